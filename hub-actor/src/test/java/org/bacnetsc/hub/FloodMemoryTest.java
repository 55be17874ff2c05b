package org.bacnetsc.hub;

import static org.bacnetsc.transport.WsPeer.FIN;
import static org.bacnetsc.transport.WsPeer.PING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.WsPeer;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory proof of Issue 14, within the test run: a hub (and a node) in a forked JVM with {@code -Xmx128m}, the
 * ping limit lifted so that nothing but the bounds holds, and one connection that sends 2,000,000 pings without
 * ever reading. The forked process lives, its heap after GC stays where it was, and legitimate traffic loses nothing.
 */
class FloodMemoryTest {

    static final int PINGS = 2_000_000;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final long MB = 1024 * 1024;

    @TempDir
    Path dir;

    /** A peer in its own JVM; lines in, lines out. */
    static final class Forked implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final PrintStream in;

        Forked(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString(), "-Xmx128m", "-XX:+UseSerialGC",
                    "-Dbacnet-sc.transport.max-pings-per-second=1000000000", "-Dpekko.loglevel=WARNING",
                    "-Dlogback.configurationFile=forked-logback.xml",
                    "-cp", System.getProperty("java.class.path"), ForkedPeer.class.getName()));
            cmd.addAll(List.of(args));
            // its log goes to target/, for a look when a proof fails
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(
                    Path.of("target", "forked-peer.log").toFile())).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        /** The next line starting with {@code prefix}, split on spaces (other output skipped). */
        String[] expect(String prefix) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(prefix + " ")) {
                    return line.split(" ");
                }
            }
            throw new IOException("the forked peer ended (exit " + process.exitValue() + ") before " + prefix);
        }

        long[] ask(String command, String prefix) throws IOException {
            in.println(command);
            String[] f = expect(prefix);
            long[] v = new long[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                v[i - 1] = Long.parseLong(f[i]);
            }
            return v;
        }

        /** The forked peer's biggest heap classes. */
        String histogram() throws IOException {
            in.println("histogram");
            StringBuilder b = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("HISTOGRAM-END")) {
                b.append(line).append('\n');
            }
            return b.toString();
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static byte[] pings(int n, boolean masked) {
        return repeated(WsPeer.frame(FIN | PING, new byte[] {1, 2}, masked), n);
    }

    /** {@code one} written {@code n} times in a row. */
    static byte[] repeated(byte[] one, int n) {
        byte[] all = new byte[one.length * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(one, 0, all, i * one.length, one.length);
        }
        return all;
    }

    /** Accepts the forked node's connection and admits it as a hub would. */
    static WsPeer admit(WsPeer.Server server) throws IOException {
        WsPeer hub = server.accept(WAIT);
        BvlcMessage request = hub.readBvlc(WAIT);
        assertNotNull(request);
        hub.sendBvlc(BvlcMessage.of(request.messageId(), new Payload.ConnectAccept(Vmac.parse("02:00:00:00:0f:01"),
                DeviceUuid.random(), 1600, 1497)));
        return hub;
    }

    static WsPeer admitted(URI uri, DevPki pki, int cert, Vmac vmac) throws IOException {
        WsPeer p = WsPeer.connect(uri, WsServer.HUB_SUBPROTOCOL, pki.nodeTls(cert));
        assertInstanceOf(Payload.ConnectAccept.class, p.connect(vmac, DeviceUuid.random(), 1, WAIT).payload());
        return p;
    }

    @Test
    void aHubWith128MegabytesSurvivesTwoMillionUnreadPingsWhileTwoNodesLoseNothing() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(3);
        try (Forked hub = new Forked("hub", pki.dir().toString())) {
            URI uri = URI.create("wss://127.0.0.1:" + hub.expect("READY")[1] + "/hub");
            Vmac a = Vmac.parse("02:00:00:00:0a:01");
            Vmac b = Vmac.parse("02:00:00:00:0b:01");
            try (WsPeer sender = admitted(uri, pki, 1, a); WsPeer receiver = admitted(uri, pki, 2, b);
                 WsPeer flooder = admitted(uri, pki, 3, Vmac.parse("02:00:00:00:ee:01"))) {
                long heapBefore = hub.ask("heap", "HEAP")[0];
                int messages = 2000;
                CompletableFuture<Integer> got = CompletableFuture.supplyAsync(() -> {
                    int n = 0;
                    try {
                        for (; n < messages; n++) {
                            BvlcMessage m = receiver.readBvlc(WAIT);
                            if (m == null || !(m.payload() instanceof Payload.EncapsulatedNpdu p)
                                    || p.npdu().apply(3) != (byte) n || p.npdu().apply(2) != (byte) (n >> 8)) {
                                break;
                            }
                        }
                    } catch (IOException e) {
                        // counted below
                    }
                    return n;
                });
                CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < messages; i++) {
                            sender.sendBvlc(BvlcMessage.of(i & 0xFFFF, null, b, new Payload.EncapsulatedNpdu(
                                    ByteString.fromArray(new byte[] {1, 0, (byte) (i >> 8), (byte) i}))));
                            if (i % 100 == 0) {
                                Thread.sleep(1); // spread over the flood, not a timing assertion
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                byte[] flood = pings(PINGS / 100, true);
                for (int i = 0; i < 100; i++) {
                    flooder.write(flood);
                }
                traffic.get(30, TimeUnit.SECONDS);
                int delivered = got.get(30, TimeUnit.SECONDS);
                String drops = delivered == messages ? "" : "; hub status " + java.util.Arrays.toString(
                        hub.ask("status", "STATUS"));
                assertEquals(messages, delivered, "legitimate messages delivered in order" + drops);
                long[] status = untilAllPingsRead(hub);
                long[] heap = hub.ask("heap", "HEAP");
                assertTrue(hub.process.isAlive());
                assertTrue(status[1] > PINGS / 2, "pongs were coalesced while the flooder did not read: " + status[1]);
                assertTrue(heap[0] < heapBefore + 16 * MB, "heap after GC " + heap[0] / MB + " MB, before "
                        + heapBefore / MB + " MB");
                System.out.printf("hub -Xmx128m: %d pings read, %d pongs coalesced, heap after GC %d MB "
                        + "(before %d MB), heap pools' peak %d MB%n", status[0], status[1], heap[0] / MB,
                        heapBefore / MB, heap[1] / MB);
            }
        }
    }

    /** Polls the forked peer until field {@code field} of its status line reaches {@code target}; the line. */
    static long[] untilStatus(Forked peer, int field, long target, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long[] status;
        do {
            status = peer.ask("status", "STATUS");
            if (status[field] < target) {
                Thread.sleep(50); // polling another process, not a timing assertion
            }
        } while (status[field] < target && System.nanoTime() < deadline);
        assertEquals(target, status[field], what);
        return status;
    }

    /** Polls the forked peer until it has read every ping of the flood; its status line. */
    static long[] untilAllPingsRead(Forked peer) throws Exception {
        return untilStatus(peer, 0, PINGS, "pings read by the forked peer");
    }

    @Test
    void aNodeWith128MegabytesSurvivesTwoMillionUnreadPingsFromItsHubAndLosesNothing() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(1);
        try (WsPeer.Server server = new WsPeer.Server(pki.hubTls());
             Forked node = new Forked("node", pki.dir().toString(), server.uri().toString())) {
            node.expect("READY");
            try (WsPeer hub = admit(server)) {
                long heapBefore = node.ask("heap", "HEAP")[0];
                byte[] flood = pings(PINGS / 100, false);
                Vmac other = Vmac.parse("02:00:00:00:0c:01");
                int messages = 2000;
                for (int i = 0; i < 100; i++) {
                    hub.write(flood);
                    // legitimate traffic between the pings, never read back by the hub either
                    for (int j = 0; j < messages / 100; j++) {
                        int n = i * (messages / 100) + j;
                        hub.sendBvlc(BvlcMessage.of(n, other, null, new Payload.EncapsulatedNpdu(
                                ByteString.fromArray(new byte[] {1, 0, (byte) (n >> 8), (byte) n}))));
                    }
                }
                untilAllPingsRead(node);
                // the NPDUs sent after the last pings may still be on their way to the application: wait for them
                long[] status = untilStatus(node, 3, messages, "NPDUs the node received");
                long[] heap = node.ask("heap", "HEAP");
                assertTrue(node.process.isAlive());
                assertEquals(0, status[6], "NPDUs the node's application stream dropped");
                assertTrue(status[1] > PINGS / 2, "pongs coalesced: " + status[1]);
                assertTrue(heap[0] < heapBefore + 16 * MB, "heap after GC " + heap[0] / MB + " MB, before "
                        + heapBefore / MB + " MB");
                System.out.printf("node -Xmx128m: %d pings read, %d pongs coalesced, %d NPDUs received, heap after "
                        + "GC %d MB (before %d MB), heap pools' peak %d MB%n", status[0], status[1], status[3],
                        heap[0] / MB, heapBefore / MB, heap[1] / MB);
            }
        }
    }

    @Test
    void aHubWith128MegabytesSurvivesAMillionUnreadMessagesToAnUnknownVmacWhileTwoNodesLoseNothing()
            throws Exception {
        // Valid messages the hub must route (and drop), as fast as the flooder can send them: without inbound flow
        // control the actors' mailboxes filled faster than they emptied (a 256 MB hub died after 1.3 million).
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(3);
        int frames = 1_000_000;
        try (Forked hub = new Forked("hub", pki.dir().toString())) {
            URI uri = URI.create("wss://127.0.0.1:" + hub.expect("READY")[1] + "/hub");
            Vmac b = Vmac.parse("02:00:00:00:0b:01");
            try (WsPeer sender = admitted(uri, pki, 1, Vmac.parse("02:00:00:00:0a:01"));
                 WsPeer receiver = admitted(uri, pki, 2, b);
                 WsPeer flooder = admitted(uri, pki, 3, Vmac.parse("02:00:00:00:ee:01"))) {
                long heapBefore = hub.ask("heap", "HEAP")[0];
                byte[] one = WsPeer.frame(FIN | WsPeer.BINARY, org.bacnetsc.codec.BvlcCodec.encode(BvlcMessage.of(7,
                        null, Vmac.parse("02:ff:ff:ff:ff:fe"), new Payload.EncapsulatedNpdu(ByteString.fromArray(
                                new byte[50])))).toArray(), true);
                byte[] block = repeated(one, 10_000);
                CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < frames / 10_000; i++) {
                            flooder.write(block);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                int messages = 500;
                for (int i = 0; i < messages; i++) {
                    sender.sendBvlc(BvlcMessage.of(i, null, b, new Payload.EncapsulatedNpdu(
                            ByteString.fromArray(new byte[] {1, 0, (byte) (i >> 8), (byte) i}))));
                    BvlcMessage m = receiver.readBvlc(WAIT);
                    assertNotNull(m, "message " + i + " of the well-behaved node");
                    assertEquals(i & 0xFF, ((Payload.EncapsulatedNpdu) m.payload()).npdu().apply(3) & 0xFF);
                }
                flood.get(60, TimeUnit.SECONDS);
                long[] status = untilStatus(hub, 4, frames, "messages dropped for the unknown VMAC, every one counted");
                long[] heap = hub.ask("heap", "HEAP");
                assertTrue(hub.process.isAlive());
                assertTrue(heap[0] < heapBefore + 16 * MB, "heap after GC " + heap[0] / MB + " MB, before "
                        + heapBefore / MB + " MB\n" + hub.histogram());
                System.out.printf("hub -Xmx128m: %d unread messages to an unknown VMAC routed and dropped, %d of %d "
                        + "legitimate delivered, heap after GC %d MB (before %d MB), heap pools' peak %d MB%n",
                        status[4], messages, messages, heap[0] / MB, heapBefore / MB, heap[1] / MB);
            }
        }
    }

    @Test
    void aNodeWith128MegabytesSurvivesAMillionUnreadNpdusFromItsHub() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(1);
        int frames = 1_000_000;
        try (WsPeer.Server server = new WsPeer.Server(pki.hubTls());
             Forked node = new Forked("node", pki.dir().toString(), server.uri().toString())) {
            node.expect("READY");
            try (WsPeer hub = admit(server)) {
                long heapBefore = node.ask("heap", "HEAP")[0];
                byte[] one = WsPeer.frame(FIN | WsPeer.BINARY, org.bacnetsc.codec.BvlcCodec.encode(BvlcMessage.of(7,
                        Vmac.parse("02:00:00:00:0c:01"), null, new Payload.EncapsulatedNpdu(ByteString.fromArray(
                                new byte[50])))).toArray(), false);
                byte[] block = repeated(one, 10_000);
                for (int i = 0; i < frames / 10_000; i++) {
                    hub.write(block);
                }
                long[] status = untilStatus(node, 4, frames, "NPDUs the node received, every one");
                long[] heap = node.ask("heap", "HEAP");
                assertTrue(node.process.isAlive());
                assertTrue(heap[0] < heapBefore + 16 * MB, "heap after GC " + heap[0] / MB + " MB, before "
                        + heapBefore / MB + " MB\n" + node.histogram());
                System.out.printf("node -Xmx128m: %d NPDUs from a hub that does not read, %d through its stream "
                        + "(1,024 buffered, the oldest dropped), heap after GC %d MB (before %d MB), heap pools' "
                        + "peak %d MB%n", status[4], status[3], heap[0] / MB, heapBefore / MB, heap[1] / MB);
            }
        }
    }
}
