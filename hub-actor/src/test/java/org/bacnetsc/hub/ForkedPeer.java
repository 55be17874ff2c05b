package org.bacnetsc.hub;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.TransportCounters;

/**
 * A hub or a node in a JVM of its own, for memory proofs with a small heap: {@code hub PKI_DIR} or
 * {@code node PKI_DIR HUB_URI}. It prints {@code READY port} once up, then answers lines on stdin: {@code heap} (used
 * heap after GC, and the heap pools' peak since start), {@code status} (pings received, pongs coalesced, closes for ping floods, NPDUs received by the stream, and on a
 * hub messages dropped for an unknown VMAC, on a node NPDUs received by the node; frames dropped for a full queue;
 * on a node NPDUs its {@code npdus()} stream dropped for a full buffer; failed accepts).
 * Settings come from {@code -D} system properties (e.g. {@code -Dbacnet-sc.transport.max-pings-per-second=...}).
 */
public final class ForkedPeer {

    private ForkedPeer() {
    }

    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "forked");
        Path pki = Path.of(args[1]);
        java.util.function.Supplier<TransportCounters.Snapshot> counters;
        java.util.function.LongSupplier unknownVmacDrops = () -> 0;
        java.util.function.LongSupplier applicationDrops = () -> 0;
        AtomicLong received = new AtomicLong();
        if (args[0].equals("hub")) {
            ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki).start(system).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            counters = hub::transportCounters;
            unknownVmacDrops = () -> hub.status().toCompletableFuture().join().counters().droppedUnknownVmac();
            System.out.println("READY " + hub.uri().getPort());
        } else {
            ScNode node = ScNode.builder().primaryHub(URI.create(args[2])).devPki(pki, 1)
                    .stateDir(pki.resolve("forked-node-state")).start(system);
            node.npdus().runForeach(n -> received.incrementAndGet(), system);
            counters = node::transportCounters;
            unknownVmacDrops = () -> node.status().toCompletableFuture().join().npdusReceived();
            applicationDrops = node::npdusDropped;
            System.out.println("READY 0");
        }
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("heap")) {
                System.gc();
                System.gc();
                long peak = 0;
                for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (p.getType() == MemoryType.HEAP) {
                        peak += p.getPeakUsage().getUsed();
                    }
                }
                System.out.println("HEAP " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + " "
                        + peak + " " + Runtime.getRuntime().maxMemory());
            } else if (line.equals("histogram")) {
                // the heap's biggest classes, for a look when a proof fails
                String h = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram", new Object[] {null}, new String[] {String[].class.getName()});
                h.lines().limit(16).forEach(l -> System.out.println("HISTOGRAM " + l));
                System.out.println("HISTOGRAM-END 0");
            } else if (line.equals("status")) {
                TransportCounters.Snapshot s = counters.get();
                System.out.println("STATUS " + s.pingsReceived() + " " + s.pongsCoalesced() + " "
                        + s.webSocketClosedByReason().get("ping_flood") + " " + received.get() + " "
                        + unknownVmacDrops.getAsLong() + " " + s.queueDrops() + " " + applicationDrops.getAsLong()
                        + " " + s.acceptFailures());
            }
            System.out.flush();
        }
        system.terminate();
    }
}
