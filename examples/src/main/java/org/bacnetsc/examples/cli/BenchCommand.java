package org.bacnetsc.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.examples.bench.BenchTracker;
import org.bacnetsc.examples.bench.NioNodes;
import org.bacnetsc.examples.bench.PlainRelay;
import org.bacnetsc.examples.bench.HubHeap;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TlsSettings;
import org.bacnetsc.transport.WsServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bsc bench}: a load generator for any BACnet/SC hub. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Open N node connections to a BACnet/SC hub (ours or another implementation's) and send "
            + "Encapsulated-NPDUs carrying a sequence number and a send timestamp; report delivered messages/s, "
            + "latency percentiles, lost, duplicated and reordered messages, connect time, errors and CPU time."})
public final class BenchCommand implements Callable<Integer> {

    /** Traffic shape. */
    public enum Mode { unicast, broadcast, mixed }

    @Mixin
    ServiceConfig service = new ServiceConfig();

    @Option(names = "--hub", paramLabel = "URI",
            description = "the hub to measure; repeat it for the members of a clustered hub (nodes are spread "
                    + "round-robin over them: node i on hub i mod the number of hubs)")
    List<URI> hubs = new ArrayList<>();

    @Option(names = "--cross", defaultValue = "-1",
            description = "with several hubs: the fraction of unicasts (0 to 1) whose destination is on another hub "
                    + "than its sender (default: destinations in turn over all nodes)")
    double cross;

    @Option(names = "--spawn-hub", description = "start our hub in a separate JVM on 127.0.0.1 (development PKI)")
    boolean spawnHub;

    @Option(names = "--hub-pid", paramLabel = "PID", description = "a hub process on this machine (e.g. a bsc hub) "
            + "whose CPU time to report, as for --spawn-hub")
    Long hubPid;

    @Option(names = "--spawn-hub-ipv6", description = "with --spawn-hub: the hub also listens on [::1] and the nodes "
            + "are spread over 127.0.0.1 and ::1 (two address pairs: twice the ephemeral ports, for 100,000 nodes "
            + "on one machine without addresses other than loopback's)")
    boolean spawnHubIpv6;

    @Option(names = "--plain-relay", description = "measure this machine's floor instead of a hub: the same load "
            + "through a plain TCP relay on 127.0.0.1 in this process (no TLS, WebSocket or BACnet/SC; one relay "
            + "thread per processor, node i to node i + 1), to compare a hub's figures with in the same sitting")
    boolean plainRelay;

    /**
     * The collector options docs/operating-a-hub.md recommends for a hub service: G1 with its card refinement left to
     * the young pauses (a third less hub CPU per broadcast delivery than G1's defaults, measured in performance.md).
     * The heap is not fixed here: a fixed 4 GB heap connected 10,000 nodes faster but, touched for the first time
     * during short runs, cost CPU and tail in every other measurement on the development VM.
     */
    static final String SERVICE_JVM = "-Xmx4g -XX:-G1UseAdaptiveConcRefinement "
            + "-XX:G1ConcRefinementGreenZone=2000000 "
            + "-XX:G1ConcRefinementYellowZone=3000000 -XX:G1ConcRefinementRedZone=4000000";

    @Option(names = "--hub-jvm", defaultValue = SERVICE_JVM, description = "JVM options of the spawned hub "
            + "(default: those recommended for a hub service, docs/operating-a-hub.md: ${DEFAULT-VALUE})")
    String hubJvm;

    @Option(names = "--nodes", defaultValue = "10", description = "node connections (default 10)")
    int nodes;

    @Option(names = "--senders", defaultValue = "-1", description = "how many of them send (default all)")
    int senders;

    @Option(names = "--mode", defaultValue = "unicast", description = "unicast, broadcast or mixed (9:1)")
    Mode mode;

    @Option(names = "--duration", defaultValue = "10", description = "seconds of sending (default 10)")
    int duration;

    @Option(names = "--rate", defaultValue = "max", description = "messages/s in total, or max")
    String rate;

    @Option(names = "--size", defaultValue = "100", description = "NPDU octets (default 100, at least 20)")
    int size;

    @Option(names = "--window", defaultValue = "-1",
            description = "most deliveries in flight (default 100 per node, at most 4000): keeps the hub's "
                + "per-connection queues from overflowing at --rate max")
    int window;

    @Option(names = "--connect-parallelism", defaultValue = "64",
            description = "connection handshakes in flight at once")
    int parallelism;

    @Option(names = "--node-offset", defaultValue = "0",
            description = "number this generator's nodes from here (their VMACs follow), so that several generators "
                + "can share one hub")
    int nodeOffset;

    @Option(names = "--warmup", defaultValue = "0",
            description = "seconds of sending at the same rate before measuring (JIT warm-up; default 0)")
    int warmup;

    @Option(names = "--json", description = "print one JSON object on one line")
    boolean json;

    /** The nodes' heartbeat rule, as {@code --heartbeat-rule} spells it. */
    public enum HeartbeatRuleOption {
        /** Ours. */
        send_or_receive,
        /** The literal AB.6.3 rule. */
        receive
    }

    @Option(names = "--heartbeat-rule", defaultValue = "send_or_receive",
            description = "when a node sends a Heartbeat-Request: send_or_receive (default, as our nodes: nothing "
                    + "received or nothing sent for the Heartbeat Timeout) or receive (the literal AB.6.3 rule of "
                    + "bac-py and our earlier releases: a node that only listens never heartbeats, so its hub must "
                    + "probe it). The timeouts are bacnet-sc.connection.heartbeat-timeout and heartbeat-ack-timeout "
                    + "of the configuration (-c FILE)")
    HeartbeatRuleOption heartbeatRule;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The {@code bsc} command line's main class, which packs this command: {@code --spawn-hub} runs {@code bsc hub}
     * from the same class path (named, not referenced: the tools sit below the service module that runs them).
     */
    static final String BSC_MAIN = "org.bacnetsc.service.Bsc";

    /** The spawned hub, whose heap is measured around connecting. */
    private Process spawned;

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || size < BenchTracker.HEADER || duration < 1 || nodeOffset < 0
                || (long) nodes + nodeOffset >= Integer.MAX_VALUE) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nodes >= 2, --size >= "
                    + BenchTracker.HEADER + ", --duration >= 1 and 0 <= --node-offset < 2^31 - nodes are required");
        }
        int k = senders < 0 ? nodes : Math.min(senders, nodes);
        if (window < 0) {
            window = Math.min(4000, 100 * nodes);
        }
        double perSecond = rate.equals("max") ? Double.MAX_VALUE : Double.parseDouble(rate);
        if (plainRelay) {
            if (spawnHub || !hubs.isEmpty() || mode != Mode.unicast) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--plain-relay measures unicast without a hub: no --hub, --spawn-hub or --mode " + mode);
            }
            return plainRelay(perSecond);
        }
        Config c = service.load();
        Process hubProcess = null;
        Path pkiDir = service.pki();
        if (spawnHub) {
            if (pkiDir == null) {
                pkiDir = Files.createTempDirectory("bsc-bench-pki");
            }
            DevPki.at(pkiDir).ensure(2);
            hubProcess = spawnHub(pkiDir);
            hubs = readHubUris(hubProcess);
            spawned = hubProcess;
        }
        if (hubs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--hub URI or --spawn-hub is required");
        }
        if (cross > 1 || (cross >= 0 && (hubs.size() < 2 || nodes < 2 * hubs.size()))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cross (0 to 1) needs at least two --hub "
                    + "and two nodes per hub");
        }
        TlsSettings tls;
        if (pkiDir != null) {
            DevPki pki = DevPki.at(pkiDir);
            pki.ensure(2);
            tls = pki.nodeTls(1);
        } else if (TlsSettings.configured(c)) {
            tls = TlsSettings.fromConfig(c);
        } else {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--pki DIR or --cert/--key/--issuer (or bacnet-sc.tls) is required");
        }
        PrintWriter err = spec.commandLine().getErr();
        org.bacnetsc.connection.ConnectionSettings cs;
        try {
            cs = org.bacnetsc.connection.ConnectionSettings.fromConfig(c);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        NioNodes.Heartbeats heartbeats = new NioNodes.Heartbeats(cs.heartbeatTimeout(), cs.heartbeatAckTimeout(),
                heartbeatRule == HeartbeatRuleOption.receive ? NioNodes.HeartbeatRule.RECEIVE
                        : NioNodes.HeartbeatRule.SEND_OR_RECEIVE);
        try {
            return run(tls, k, perSecond, heartbeats, err);
        } finally {
            if (hubProcess != null) {
                hubProcess.destroy();
                hubProcess.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private int run(TlsSettings tls, int k, double perSecond, NioNodes.Heartbeats heartbeats, PrintWriter err)
            throws Exception {
        BenchTracker tracker = new BenchTracker(nodes, hubs.size(), nodeOffset);
        List<Vmac> vmacs = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            vmacs.add(vmac(i));
        }
        try (NioNodes io = new NioNodes(hubs,
                WsServer.HUB_SUBPROTOCOL, tls, vmacs, tracker, heartbeats)) {
            long heapBefore = spawned == null ? -1 : HubHeap.usedAfterGc(spawned.pid());
            long hubCpuConnect = hubCpuNanos();
            long startConnect = System.nanoTime();
            // Keep at most --connect-parallelism handshakes in flight; give up after two minutes.
            long giveUp = startConnect + TimeUnit.SECONDS.toNanos(120);
            int opened = 0;
            while (io.connected() + io.failed() < nodes && System.nanoTime() < giveUp) {
                while (opened < nodes && opened - io.connected() - io.failed() < parallelism) {
                    io.open(opened++);
                }
                io.poll(5);
            }
            if (io.connected() < nodes) {
                err.println("bsc bench: only " + io.connected() + " of " + nodes + " nodes connected to " + hubs
                        + " (errors " + io.failed() + "); is the hub reachable and does the PKI match?");
                io.firstErrors().forEach(e -> err.println("  " + e));
                err.flush();
                return 1;
            }
            double connectSeconds = (System.nanoTime() - startConnect) / 1e9;
            long hubConnectCpu = hubCpuConnect < 0 ? -1 : hubCpuNanos() - hubCpuConnect;
            long heapAfter = heapBefore < 0 ? -1 : HubHeap.usedAfterGc(spawned.pid());
            err.printf("connected %d nodes in %.2f s%s%n", nodes, connectSeconds, heapAfter < 0 ? ""
                    : String.format(", hub heap %.1f MB -> %.1f MB", heapBefore / 1e6, heapAfter / 1e6));
            err.flush();

            long[] seq = new long[nodes];
            if (warmup > 0) {
                err.printf("warming up for %d s (not measured)%n", warmup);
                err.flush();
            }
            long[] cpuStart = new long[2];
            double sendSeconds = send(io, tracker, seq, k, perSecond, warmup, duration, err, () -> {
                cpuStart[0] = cpuNanos();
                cpuStart[1] = hubCpuNanos();
            });
            long hubCpuStart = cpuStart[1];
            tracker.stopMeasuring();
            double cpuSeconds = (cpuNanos() - cpuStart[0]) / 1e9;
            long hubRunCpu = hubCpuStart < 0 ? -1 : hubCpuNanos() - hubCpuStart;
            report(tracker, sendSeconds, connectSeconds, io, heapBefore, heapAfter, cpuSeconds, k,
                    new HubCpu(hubConnectCpu, hubRunCpu), heartbeats);
            io.disconnectAll(2000);
        }
        return 0;
    }

    /**
     * Sends at the rate (within the window) for {@code warmupSeconds} and then {@code seconds} more, measuring only
     * the messages sent in the second part, then waits up to 5 s for what is in flight; prints a progress line a
     * second. Returns the measured sending time in seconds.
     *
     * <p>Warm-up and measurement are one loop, so that the code the JIT compiled while warming up is the code that is
     * measured: with two calls (and a warm-up without the progress lines) the JIT threw the loop's compiled code
     * away at the start of the measurement and compiled it again while measuring ({@code -Xlog:jit+compilation}).
     */
    private double send(NioNodes io, BenchTracker tracker, long[] seq, int k, double perSecond, int warmupSeconds,
                        int seconds, PrintWriter err, Runnable atMeasureStart) throws java.io.IOException {
        long start = System.nanoTime();
        long measureAt = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = measureAt + TimeUnit.SECONDS.toNanos(seconds);
        boolean measuring = false;
        long sentCount = 0;
        int sender = 0;
        long nextProgress = start + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (!measuring && now >= measureAt) {
                measuring = true;
                measureAt = now;
                tracker.measureFrom(now);
                atMeasureStart.run();
            }
            double due = perSecond == Double.MAX_VALUE ? Double.MAX_VALUE : perSecond * (now - start) / 1e9;
            int batch = 0;
            while (sentCount < due && tracker.expected() - tracker.delivered() < window && batch++ < 256) {
                int s = sender;
                sender = (sender + 1) % k;
                boolean broadcast = mode == Mode.broadcast || (mode == Mode.mixed && sentCount % 10 == 9);
                Vmac dest = broadcast ? Vmac.BROADCAST : vmac(destination(s, seq[s]));
                ByteString npdu = BenchTracker.npdu(s + nodeOffset, seq[s]++, size);
                tracker.sent(broadcast ? nodes - 1 : 1);
                io.send(s, BvlcCodec.encode(BvlcMessage.of(io.nextMessageId(), null, dest,
                        new Payload.EncapsulatedNpdu(npdu))));
                sentCount++;
            }
            if (now > nextProgress) {
                Histogram h = tracker.interval();
                err.printf("t=%ds%s sent=%d delivered=%d in-flight=%d p99=%.2fms errors=%d%n",
                        (now - start) / 1_000_000_000L, measuring ? "" : " (warm-up)", tracker.sent(),
                        tracker.delivered(), tracker.expected() - tracker.delivered(),
                        h.getValueAtPercentile(99) / 1000.0, io.failed());
                err.flush();
                nextProgress += TimeUnit.SECONDS.toNanos(1);
            }
            // Without anything due, wait for the network (at most until the next message is due).
            io.poll(batch > 0 ? 0 : 1);
        }
        double sendSeconds = (System.nanoTime() - measureAt) / 1e9;
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (tracker.delivered() + tracker.duplicated() < tracker.expected() && System.nanoTime() < drainUntil) {
            io.poll(10);
        }
        return sendSeconds;
    }

    private int plainRelay(double perSecond) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        int loops = Runtime.getRuntime().availableProcessors();
        err.printf("plain TCP relay on 127.0.0.1, %d relay threads, %d nodes%s%n", loops, nodes,
                warmup > 0 ? ", warming up for " + warmup + " s (not measured)" : "");
        err.flush();
        PlainRelay.Result r;
        try {
            r = PlainRelay.run(nodes, perSecond, Math.max(size, PlainRelay.HEADER), window, warmup, duration, loops);
        } catch (java.io.IOException e) {
            // e.g. more connections than this process may open (ulimit -n): the floor needs two sockets per node
            err.println("bsc bench --plain-relay: " + e.getMessage());
            err.flush();
            return 1;
        }
        Histogram h = r.latencyMicros();
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("baseline", "plain-relay");
        o.put("relayThreads", loops);
        o.put("nodes", nodes);
        o.put("size", size);
        o.put("rate", rate);
        o.put("warmupSeconds", warmup);
        o.put("durationSeconds", round(r.seconds()));
        o.put("sent", r.sent());
        o.put("delivered", r.delivered());
        o.put("messagesPerSecond", round(r.delivered() / r.seconds()));
        putLatency(o, h);
        o.put("lost", Math.max(0, r.sent() - r.delivered()));
        o.put("cpuSeconds", round(r.cpuSeconds()));
        o.put("cpuMicrosPerMessage", r.delivered() == 0 ? null : round(r.cpuSeconds() * 1e6 / r.delivered()));
        // the relay threads alone: what compares with a hub's hubCpuMicrosPerMessage
        o.put("relayCpuSeconds", round(r.relayCpuSeconds()));
        o.put("relayCpuMicrosPerMessage", r.delivered() == 0 ? null
                : round(r.relayCpuSeconds() * 1e6 / r.delivered()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            out.printf("plain relay: delivered %d of %d (%.0f msg/s); lost %d%n", r.delivered(), r.sent(),
                    r.delivered() / r.seconds(), Math.max(0, r.sent() - r.delivered()));
            out.printf("latency ms: p50 %.3f  p95 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0,
                    h.getMaxValue() / 1000.0);
            out.printf("CPU %.2f s (relay and generator), %.1f us per message; the relay threads %.2f s, %.1f us%n",
                    r.cpuSeconds(), r.delivered() == 0 ? 0 : r.cpuSeconds() * 1e6 / r.delivered(),
                    r.relayCpuSeconds(), r.delivered() == 0 ? 0 : r.relayCpuSeconds() * 1e6 / r.delivered());
        }
        out.flush();
        return 0;
    }

    /** "latencyMs": the percentiles of {@code micros} in milliseconds. */
    private static void putLatency(ObjectNode o, Histogram micros) {
        ObjectNode lat = o.putObject("latencyMs");
        lat.put("p50", micros.getValueAtPercentile(50) / 1000.0);
        lat.put("p95", micros.getValueAtPercentile(95) / 1000.0);
        lat.put("p99", micros.getValueAtPercentile(99) / 1000.0);
        lat.put("p999", micros.getValueAtPercentile(99.9) / 1000.0);
        lat.put("max", micros.getMaxValue() / 1000.0);
    }

    private void report(BenchTracker tracker, double sendSeconds, double connectSeconds, NioNodes io,
                        long heapBefore, long heapAfter, double cpuSeconds, int k, HubCpu hubCpu,
                        NioNodes.Heartbeats heartbeats) throws Exception {
        long errors = io.failed();
        Histogram all = tracker.total();
        long lost = Math.max(0, tracker.expected() - tracker.delivered());
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("hub", hubs.get(0).toString());
        if (spawned != null) {
            o.put("hubJvm", hubJvm);
        }
        if (hubs.size() > 1) {
            ArrayNode list = o.putArray("hubs");
            hubs.forEach(h -> list.add(h.toString()));
            o.put("cross", cross < 0 ? null : cross);
            o.put("crossMemberDelivered", tracker.crossDelivered());
            Histogram c = tracker.crossTotal();
            ObjectNode cl = o.putObject("crossMemberLatencyMs");
            cl.put("p50", c.getValueAtPercentile(50) / 1000.0);
            cl.put("p99", c.getValueAtPercentile(99) / 1000.0);
            cl.put("max", c.getMaxValue() / 1000.0);
        }
        o.put("nodes", nodes);
        o.put("senders", k);
        o.put("mode", mode.name());
        o.put("size", size);
        o.put("rate", rate);
        o.put("warmupSeconds", warmup);
        o.put("durationSeconds", round(sendSeconds));
        o.put("sent", tracker.sent());
        o.put("delivered", tracker.delivered());
        o.put("messagesPerSecond", round(tracker.delivered() / sendSeconds));
        putLatency(o, all);
        o.put("lost", lost);
        o.put("duplicated", tracker.duplicated());
        o.put("reordered", tracker.reordered());
        o.put("connectSeconds", round(connectSeconds));
        o.put("errors", errors);
        ArrayNode firstErrors = o.putArray("firstErrors");
        io.firstErrors().forEach(firstErrors::add);
        ObjectNode hb = o.putObject("heartbeats");
        hb.put("rule", heartbeatRule.name());
        hb.put("timeoutSeconds", heartbeats.timeout().toSeconds());
        hb.put("sent", io.heartbeatsSent());
        hb.put("answered", io.heartbeatsAnswered());
        if (heapBefore >= 0 && heapAfter >= 0) {
            o.put("hubHeapBytesPerConnection", (heapAfter - heapBefore) / nodes);
        }
        o.put("cpuSeconds", round(cpuSeconds));
        o.put("cpuMicrosPerMessage", tracker.delivered() == 0 ? null
                : round(cpuSeconds * 1e6 / tracker.delivered()));
        if (hubCpu.run() >= 0) {
            // The hub's CPU (user + system, all its threads) while measuring, and while the nodes connected.
            o.put("hubCpuSeconds", round(hubCpu.run() / 1e9));
            o.put("hubCpuMicrosPerMessage", tracker.delivered() == 0 ? null
                    : round(hubCpu.run() / 1e3 / tracker.delivered()));
            // The same run's own baseline: the generator does comparable work per message (TLS, WebSocket,
            // BACnet/SC) on the same machine at the same time, so the ratio cancels what the machine's state does
            // to both (docs/performance.md: the two correlate at 0.99 from run to run).
            o.put("hubCpuPerGeneratorCpu", cpuSeconds <= 0 ? null : round(hubCpu.run() / 1e9 / cpuSeconds));
            o.put("hubConnectCpuMillisPerConnection", round(hubCpu.connect() / 1e6 / nodes));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            out.printf("%s %d nodes, %d senders, %s, %d octets, %.1f s%s%n", hubs, nodes, k, mode, size, sendSeconds,
                    warmup > 0 ? " after a " + warmup + " s warm-up" : "");
            out.printf("delivered %d of %d (%.0f msg/s); lost %d, duplicated %d, reordered %d%n",
                    tracker.delivered(), tracker.expected(), tracker.delivered() / sendSeconds, lost,
                    tracker.duplicated(), tracker.reordered());
            out.printf("latency ms: p50 %.3f  p95 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                    all.getValueAtPercentile(50) / 1000.0, all.getValueAtPercentile(95) / 1000.0,
                    all.getValueAtPercentile(99) / 1000.0, all.getValueAtPercentile(99.9) / 1000.0,
                    all.getMaxValue() / 1000.0);
            if (hubCpu.run() >= 0) {
                out.printf("hub CPU %.2f s (%.1f us per delivered message, %.2f x the generator's); connecting: "
                        + "%.2f ms per connection%n", hubCpu.run() / 1e9,
                        tracker.delivered() == 0 ? 0.0 : hubCpu.run() / 1e3 / tracker.delivered(),
                        cpuSeconds <= 0 ? 0.0 : hubCpu.run() / 1e9 / cpuSeconds, hubCpu.connect() / 1e6 / nodes);
            }
            out.printf("connect %.2f s, errors %d, generator CPU %.1f s%n", connectSeconds, errors, cpuSeconds);
            io.firstErrors().forEach(e -> out.println("  " + e));
            out.printf("heartbeats (%s, %d s): sent %d, answered %d%n", heartbeatRule, heartbeats.timeout().toSeconds(),
                    io.heartbeatsSent(), io.heartbeatsAnswered());
            if (heapBefore >= 0 && heapAfter >= 0) {
                out.printf("spawned hub heap after full GC: %.1f MB idle, %.1f MB with %d connections "
                        + "(%.1f KB per connection)%n", heapBefore / 1e6, heapAfter / 1e6, nodes,
                        (heapAfter - heapBefore) / 1024.0 / nodes);
            }
        }
        out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Crossing unicasts due so far, against those sent ({@link #destination}). */
    private double crossDue;

    /**
     * The destination node of sender {@code s}'s message {@code seq}: in turn over all other nodes, or with
     * {@code --cross} on another hub for that fraction of the messages and on the sender's own hub for the rest.
     */
    int destination(int s, long seq) {
        int h = hubs.size();
        if (cross < 0 || h < 2) {
            return (s + 1 + (int) (seq % (nodes - 1))) % nodes;
        }
        crossDue += cross;
        int own = s % h;
        if (crossDue >= 1) {
            crossDue -= 1;
            int other = (own + 1 + (int) (seq % (h - 1))) % h;
            int onOther = (nodes - other + h - 1) / h;
            return other + h * (int) ((seq / (h - 1)) % onOther);
        }
        int onOwn = (nodes - own + h - 1) / h;
        int position = s / h;
        return own + h * ((position + 1 + (int) (seq % (onOwn - 1))) % onOwn);
    }

    private Vmac vmac(int i) {
        return new Vmac(0x02_00_00_00_00_00L | ((long) (i + 1 + nodeOffset) << 8));
    }

    /** The hub's CPU nanoseconds while connecting and while measuring; -1 when no hub process is known. */
    private record HubCpu(long connect, long run) {
    }

    /** CPU time of the spawned hub or of --hub-pid (all threads, user + system), or -1. */
    private long hubCpuNanos() {
        java.util.Optional<ProcessHandle> p = spawned != null ? java.util.Optional.of(spawned.toHandle())
                : hubPid != null ? ProcessHandle.of(hubPid) : java.util.Optional.empty();
        return p.flatMap(h -> h.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(-1L);
    }

    private static long cpuNanos() {
        return PlainRelay.cpuNanos();
    }

    private Process spawnHub(Path pkiDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        for (String opt : hubJvm.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                cmd.add(opt);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BSC_MAIN, "hub", "--bind",
                "127.0.0.1:0", "--pki", pkiDir.toString(), "--management", "127.0.0.1:0"));
        if (spawnHubIpv6) {
            cmd.addAll(List.of("--also-bind", "[::1]:0"));
        }
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The URIs of "hub listening on URI[, URI...] (stop ...)". */
    private static List<URI> readHubUris(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
            int at = line.indexOf("wss://");
            if (line.startsWith("hub listening on") && at >= 0) {
                Thread drain = new Thread(() -> r.lines().forEach(l -> { }), "bsc-bench-hub-stdout");
                drain.setDaemon(true);
                drain.start();
                List<URI> uris = new ArrayList<>();
                for (String u : line.substring(at, line.indexOf(" (", at)).split(", ")) {
                    uris.add(URI.create(u.trim()));
                }
                return uris;
            }
        }
        throw new IllegalStateException("the spawned hub did not start");
    }
}
