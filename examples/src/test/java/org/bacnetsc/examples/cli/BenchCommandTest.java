package org.bacnetsc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.bacnetsc.hub.HubStatus;
import org.bacnetsc.hub.ScHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    static final ActorTestKit KIT = ActorTestKit.create("bench-test");

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private JsonNode bench(ScHub hub, String... extra) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> args = new java.util.ArrayList<>(List.of("bench", "--hub", hub.uri().toString(), "--pki",
                dir.resolve("pki").toString(), "--json"));
        args.addAll(List.of(extra));
        if (!args.contains("--duration")) {
            args.addAll(List.of("--duration", "1"));
        }
        assertEquals(0, cli.execute(args.toArray(new String[0])), err.toString());
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void unicastAndBroadcastAtAModestRateArriveCompletelyAndTheReportHasEveryKey() throws Exception {
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(dir.resolve("pki")).start(KIT.system())
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        try {
            JsonNode u = bench(hub, "--nodes", "4", "--rate", "200", "--mode", "unicast");
            for (String key : List.of("messagesPerSecond", "lost", "duplicated", "reordered", "connectSeconds",
                    "errors", "cpuSeconds")) {
                assertTrue(u.has(key), key + " in " + u);
            }
            for (String key : List.of("p50", "p95", "p99", "max")) {
                assertTrue(u.get("latencyMs").has(key), key);
            }
            // the pacer never sends faster than the rate (how many it sent is the machine's business)
            assertTrue(u.get("sent").asLong() > 0, u.toString());
            assertTrue(u.get("sent").asLong() <= 200 * u.get("durationSeconds").asDouble() + 2, u.toString());
            assertEquals(u.get("sent").asLong(), u.get("delivered").asLong(), u.toString());
            assertEquals(0, u.get("lost").asLong());
            assertEquals(0, u.get("duplicated").asLong());

            JsonNode b = bench(hub, "--nodes", "4", "--senders", "1", "--rate", "100", "--mode", "broadcast");
            assertEquals(3 * b.get("sent").asLong(), b.get("delivered").asLong(), "each broadcast reaches 3 nodes");
            assertEquals(0, b.get("lost").asLong());
        } finally {
            hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theHubsCpuIsReportedPerMessageAndAsAMultipleOfTheGeneratorsMeasuredOverTheSameWindow() throws Exception {
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(dir.resolve("pki")).start(KIT.system())
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        try {
            // The hub runs in this very process: its CPU and the generator's are the same clock over the same
            // window, so the ratio must come out as 1 (up to the operating system's tick).
            JsonNode r = bench(hub, "--nodes", "4", "--rate", "400", "--mode", "unicast", "--hub-pid",
                    Long.toString(ProcessHandle.current().pid()));
            long delivered = r.get("delivered").asLong();
            double cpu = r.get("cpuSeconds").asDouble();
            assertTrue(delivered > 0 && cpu > 0, r.toString());
            assertEquals(cpu * 1e6 / delivered, r.get("cpuMicrosPerMessage").asDouble(),
                    0.01 * r.get("cpuMicrosPerMessage").asDouble() + 0.001, r.toString());
            assertEquals(r.get("hubCpuSeconds").asDouble() * 1e6 / delivered,
                    r.get("hubCpuMicrosPerMessage").asDouble(), 0.01 * r.get("hubCpuMicrosPerMessage").asDouble()
                            + 0.001, r.toString());
            // the ratio is the hub's CPU over the generator's in the same window (both rounded to 1 ms in the report)
            double ratio = r.get("hubCpuPerGeneratorCpu").asDouble();
            assertEquals(r.get("hubCpuSeconds").asDouble() / cpu, ratio, 0.002 / cpu + 0.001, r.toString());
        } finally {
            hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWarmUpIsSentButNotCounted() throws Exception {
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(dir.resolve("pki")).start(KIT.system())
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        try {
            JsonNode w = bench(hub, "--nodes", "3", "--rate", "300", "--warmup", "1");
            assertEquals(1, w.get("warmupSeconds").asInt());
            // One measured second at 300/s: the warm-up's 300 messages are not in the counts.
            long sent = w.get("sent").asLong();
            // never faster than 300/s over warm-up and measurement together (a warm-up that fell behind on a busy
            // machine is caught up after it: those messages count)
            assertTrue(sent > 0 && sent <= 300 * (1 + w.get("durationSeconds").asDouble()) + 2, w.toString());
            assertEquals(sent, w.get("delivered").asLong(), w.toString());
            // The hub routed both: the measured messages and those of the warm-up.
            long routed = hub.status().toCompletableFuture().get(10, TimeUnit.SECONDS).counters().unicastRouted();
            assertTrue(routed > sent, "routed " + routed + ", measured " + sent);
        } finally {
            hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A hub whose silence limit (2 x a 1 s Heartbeat Timeout) passes twice during the run, and the generator with the
     * same Heartbeat Timeout (its configuration file): three of four nodes only receive broadcasts.
     */
    private JsonNode listeningNodes(String rule) throws Exception {
        org.bacnetsc.connection.ConnectionSettings oneSecond = org.bacnetsc.connection.ConnectionSettings.defaults()
                .withTimeouts(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(10),
                        java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(dir.resolve("pki")).connectionSettings(oneSecond)
                .start(KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        Path conf = dir.resolve("heartbeat-1s.conf");
        java.nio.file.Files.writeString(conf, "bacnet-sc.connection { heartbeat-timeout = 1s, "
                + "heartbeat-ack-timeout = 1s }\n");
        try {
            JsonNode r = bench(hub, "--config", conf.toString(), "--nodes", "4", "--senders", "1", "--mode",
                    "broadcast", "--rate", "20", "--duration", "5", "--heartbeat-rule", rule);
            assertEquals(0, r.get("errors").asLong(), r.toString());
            assertEquals(0, r.get("lost").asLong(), r.toString());
            assertEquals(3 * r.get("sent").asLong(), r.get("delivered").asLong(), r.toString());
            HubStatus s = KIT.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(10), () -> {
                HubStatus h = hub.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals(h.counters().silenceProbes(), h.counters().silenceProbesAnswered(), h.counters()
                        .toString());
                return h;
            });
            assertEquals(4, s.counters().accepted(), "no reconnect: " + s.counters());
            ((com.fasterxml.jackson.databind.node.ObjectNode) r).put("hubSilenceProbes",
                    s.counters().silenceProbes());
            return r;
        } finally {
            hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theGeneratorsListeningNodesHeartbeatBecauseTheySendNothingAndTheHubNeverProbesThem() throws Exception {
        JsonNode r = listeningNodes("send_or_receive");
        JsonNode hb = r.get("heartbeats");
        assertEquals("send_or_receive", hb.get("rule").asText());
        assertEquals(1, hb.get("timeoutSeconds").asLong());
        // every node heartbeats about once a second (the three listeners: nothing sent; the sender: nothing received)
        assertTrue(hb.get("sent").asLong() > 0, r.toString());
        assertTrue(hb.get("answered").asLong() >= hb.get("sent").asLong() - 4, "at most one in flight per node: " + r);
        assertEquals(0, r.get("hubSilenceProbes").asLong(), r.toString());
    }

    @Test
    void listeningNodesUnderTheLiteralRuleAreProbedByTheHubAndStay() throws Exception {
        JsonNode r = listeningNodes("receive");
        assertEquals("receive", r.get("heartbeats").get("rule").asText());
        // the listeners never heartbeat (they receive all the time); the hub probed each of them and they answered
        assertTrue(r.get("hubSilenceProbes").asLong() >= 3, r.toString());
    }

    @Test
    void aHubWithAnotherPkiIsAClearError() throws Exception {
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(dir.resolve("hub-pki")).start(KIT.system())
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        try {
            StringWriter err = new StringWriter();
            CommandLine cli = Tools.commandLine();
            cli.setErr(new PrintWriter(err));
            int code = cli.execute("bench", "--hub", hub.uri().toString(), "--pki", dir.resolve("pki").toString(),
                    "--nodes", "2", "--duration", "1");
            assertEquals(1, code);
            assertTrue(err.toString().contains("does the PKI match") && err.toString().contains("TLS"),
                    err.toString());
        } finally {
            hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void thePlainRelayBaselineDeliversTheSameLoadWithoutAHubAndReportsTheRelaysCpu() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(0, cli.execute("bench", "--plain-relay", "--nodes", "5", "--rate", "500", "--warmup", "1",
                "--duration", "1", "--json"), err.toString());
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertEquals("plain-relay", r.get("baseline").asText());
        long sent = r.get("sent").asLong();
        // never faster than 500/s over warm-up and measurement together
        assertTrue(sent > 0 && sent <= 500 * (1 + r.get("durationSeconds").asDouble()) + 2, r.toString());
        assertEquals(sent, r.get("delivered").asLong(), r.toString());
        assertEquals(0, r.get("lost").asLong());
        for (String key : List.of("p50", "p99", "p999", "max")) {
            assertTrue(r.get("latencyMs").has(key), key);
        }
        assertTrue(r.get("relayCpuMicrosPerMessage").asDouble() > 0, r.toString());
        assertTrue(r.get("cpuSeconds").asDouble() >= r.get("relayCpuSeconds").asDouble(), r.toString());
    }

    @Test
    void theSpawnedHubsDefaultJvmOptionsAreAcceptedByThisJvm() throws Exception {
        // the G1 refinement options recommended for a hub service exist on JDK 17-19 only (obsolete from 20)
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(BenchCommand.SERVICE_JVM.split(" ")));
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(!output.contains("Ignoring option") && !output.contains("Unrecognized"), output);
    }

    @Test
    void thePlainRelayNeedingMoreDescriptorsThanThisProcessMayOpenIsAClearErrorBeforeOpeningAny() {
        long max = ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        long nodes = Math.min(Integer.MAX_VALUE / 2, max / 2 + 1);
        StringWriter err = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("bench", "--plain-relay", "--nodes", String.valueOf(nodes), "--rate", "10",
                "--duration", "1"));
        assertTrue(err.toString().contains("file descriptors (two sockets each)"), err.toString());
    }

    @Test
    void thePlainRelayWithAHubIsAClearError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("bench", "--plain-relay", "--spawn-hub", "--nodes", "2"));
        assertTrue(err.toString().contains("--plain-relay measures unicast without a hub"), err.toString());
    }

    @Test
    void anUnreachableHubIsAClearError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench", "--hub", "wss://127.0.0.1:1/hub", "--pki", dir.resolve("pki").toString(),
                "--nodes", "2", "--duration", "1");
        assertEquals(1, code);
        assertTrue(err.toString().contains("is the hub reachable"), err.toString());
    }

    @Test
    void crossPicksThatFractionOfDestinationsOnAnotherHubAndTheRestOnTheSendersOwn() {
        for (double cross : new double[] {0.0, 0.25, 1.0}) {
            BenchCommand b = new BenchCommand();
            new CommandLine(b).parseArgs("--hub", "wss://127.0.0.1:1/hub", "--hub", "wss://127.0.0.1:2/hub", "--hub",
                    "wss://127.0.0.1:3/hub", "--nodes", "20", "--cross", String.valueOf(cross));
            int crossing = 0;
            int total = 0;
            for (long seq = 0; seq < 200; seq++) {
                for (int s = 0; s < 20; s++) {
                    int d = b.destination(s, seq);
                    assertTrue(d >= 0 && d < 20 && d != s, "sender " + s + " -> " + d);
                    if (d % 3 != s % 3) {
                        crossing++;
                    }
                    total++;
                }
            }
            assertEquals(Math.round(cross * total), crossing, "cross " + cross);
        }
    }
}
