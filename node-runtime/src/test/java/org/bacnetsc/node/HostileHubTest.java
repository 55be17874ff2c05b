package org.bacnetsc.node;

import static org.bacnetsc.transport.WsPeer.BINARY;
import static org.bacnetsc.transport.WsPeer.CLOSE;
import static org.bacnetsc.transport.WsPeer.FIN;
import static org.bacnetsc.transport.WsPeer.PING;
import static org.bacnetsc.transport.WsPeer.PONG;
import static org.bacnetsc.transport.WsPeer.TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ConnectionError;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.HeartbeatCounters;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.WsPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node facing a hostile hub, over real TLS 1.3 with mutual authentication on 127.0.0.1: whatever answers at the
 * hub's address (garbage, floods, huge or forbidden frames, silence), the node closes that connection with the right
 * code, counts it, reconnects and goes on delivering.
 *
 * <p>No test depends on the machine's speed: the shared node's own timers (heartbeat, connect wait, upgrade timeout)
 * are far longer than any test takes, so none of them comes into a test however slowly it runs; the two tests of
 * those timers have a node of their own with short ones ({@link Impatient}) and assert only what cannot depend on
 * speed: what the node did and why, and that it did not act before its timer was due. Waits are bounded only
 * against a hang.
 */
@ExtendWith(LogCapturingExtension.class)
class HostileHubTest {

    /** Bounds a wait for what follows at once when the rule holds: only a hang. */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Bounds a wait for a timer of a few seconds: only a hang. */
    static final Duration HANG = Duration.ofSeconds(60);
    /** The impatient nodes' bacnet-sc.transport.upgrade-timeout. */
    static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(3);
    /** The impatient nodes' Heartbeat Timeout and heartbeat-ACK timeout. */
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration HEARTBEAT_ACK_TIMEOUT = Duration.ofSeconds(2);
    static final ActorTestKit KIT = ActorTestKit.create("hostile-hub");
    static final Vmac HUB = Vmac.parse("02:00:00:00:0f:01");
    static final Vmac OTHER = Vmac.parse("02:00:00:00:0c:01");

    @TempDir
    static Path dir;
    static DevPki pki;
    static WsPeer.Server server;
    static ScNode node;
    static final TestProbe<ReceivedNpdu> received = KIT.createTestProbe();
    static int sequence;
    WsPeer hub;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(1);
        server = new WsPeer.Server(pki.hubTls());
        // Its first heartbeat would be due 300 s after a Connect-Request (it sends nothing else), its connect wait
        // and upgrade timeout are 60 s: all far beyond any test.
        node = startNode(server, new ConnectionSettings(HANG, Duration.ofSeconds(5), Duration.ofSeconds(300),
                Duration.ofSeconds(2), 1600, 1497), HANG, "state");
        node.subscribe(received.ref());
    }

    private static ScNode startNode(WsPeer.Server hub, ConnectionSettings cs, Duration upgradeTimeout,
                                    String state) {
        return ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 1).stateDir(dir.resolve(state))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(200)).connectionSettings(cs)
                .config(ConfigFactory.parseString("bacnet-sc.transport { close-timeout = 2s, upgrade-timeout = "
                        + upgradeTimeout.toMillis() + "ms }")
                        .withFallback(KIT.system().settings().config()))
                .start(KIT.system());
    }

    /**
     * A node of its own, on a hub of its own, with the one short timer under test (the heartbeat's, or the
     * upgrade's) and all others far beyond any test.
     */
    private static final class Impatient implements AutoCloseable {
        final WsPeer.Server hub;
        final ScNode node;
        final TestProbe<ReceivedNpdu> received = KIT.createTestProbe();

        /** Heartbeat Timeout 3 s, heartbeat-ACK timeout 2 s. */
        static Impatient heartbeat(String name) throws Exception {
            return new Impatient(name, HEARTBEAT_TIMEOUT, HEARTBEAT_ACK_TIMEOUT, HANG);
        }

        /** Upgrade timeout 3 s. */
        static Impatient upgrade(String name) throws Exception {
            return new Impatient(name, Duration.ofSeconds(300), Duration.ofSeconds(2), UPGRADE_TIMEOUT);
        }

        private Impatient(String name, Duration heartbeat, Duration heartbeatAck, Duration upgrade)
                throws Exception {
            hub = new WsPeer.Server(pki.hubTls());
            node = startNode(hub, new ConnectionSettings(HANG, Duration.ofSeconds(5), heartbeat, heartbeatAck, 1600,
                    1497), upgrade, name);
            node.subscribe(received.ref());
        }

        /** Its primary hub's status once {@code check} holds for it (bounded only against a hang). */
        HubConnectionStatus primaryOnce(java.util.function.Consumer<NodeStatus> check) {
            return KIT.<NodeStatus>createTestProbe().awaitAssert(HANG, () -> {
                NodeStatus s = node.status().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                check.accept(s);
                return s.primary();
            });
        }

        /** Stops the node (not connected by then: no Disconnect-Request waits for an answer) and its hub. */
        @Override
        public void close() throws Exception {
            node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
            hub.close();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        server.close();
        KIT.shutdownTestKit();
    }

    /** Each test begins with the node (re)connected to the hostile hub and admitted. */
    @BeforeEach
    void admit() throws Exception {
        hub = admit(server);
    }

    /** Accepts the node's next connection at {@code on}, upgrades it and accepts its Connect-Request. */
    private static WsPeer admit(WsPeer.Server on) throws Exception {
        WsPeer peer = on.accept(WAIT);
        BvlcMessage request = peer.readBvlc(WAIT);
        assertNotNull(request);
        return accepted(peer, request);
    }

    private static WsPeer accepted(WsPeer peer, BvlcMessage request) throws Exception {
        assertInstanceOf(Payload.ConnectRequest.class, request.payload());
        peer.sendBvlc(BvlcMessage.of(request.messageId(), new Payload.ConnectAccept(HUB, DeviceUuid.random(), 1600,
                1497)));
        return peer;
    }

    /**
     * {@link #admit} for a node with a short upgrade timeout: attempts it gave up on before the test came to them
     * (how soon the test gets there is not the rule) end before their Connect-Request; they are skipped and counted
     * in {@code skipped}. A node that makes no attempt at all still fails the wait.
     */
    private static WsPeer admitLive(WsPeer.Server on, AtomicInteger skipped) throws Exception {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (true) {
            WsPeer peer = null;
            try {
                peer = on.accept(WAIT);
                BvlcMessage request = peer.readBvlc(WAIT);
                if (request != null) {
                    return accepted(peer, request);
                }
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                // ended before the upgrade was answered: an attempt the node has given up on
            }
            if (peer != null) {
                peer.close();
            }
            skipped.incrementAndGet();
            assertTrue(System.nanoTime() < deadline, "no live attempt within " + HANG);
        }
    }

    @AfterEach
    void drop() {
        hub.close();
    }

    /** The hub delivers an NPDU from OTHER; the node hands it up. */
    private void assertDelivers(WsPeer from) throws Exception {
        assertDelivers(from, received);
    }

    private static void assertDelivers(WsPeer from, TestProbe<ReceivedNpdu> to) throws Exception {
        ByteString npdu = ByteString.fromArray(new byte[] {1, 0, 7, (byte) ++sequence});
        from.sendBvlc(BvlcMessage.of(sequence, OTHER, null, new Payload.EncapsulatedNpdu(npdu)));
        ReceivedNpdu r = to.receiveMessage(WAIT);
        assertEquals(OTHER, r.source());
        assertEquals(npdu, r.npdu());
    }

    private static long closed(String reason) {
        return node.transportCounters().webSocketClosedByReason().get(reason);
    }

    /** Sends {@code frame} as the hub; the node answers with a (masked) close of {@code code}, counted. */
    private void assertNodeCloses(byte[] frame, int code, String reason) throws Exception {
        long before = closed(reason);
        hub.write(frame);
        WsPeer.Frame close = hub.awaitClose(WAIT);
        assertNotNull(close, "a close frame before the connection ends");
        assertEquals(CLOSE, close.opcode());
        assertTrue(close.masked(), "client frames are masked");
        assertEquals(code, close.closeCode());
        assertEquals(before + 1, closed(reason));
    }

    @Test
    void aMaskedServerFrameIsAProtocolError1002() throws Exception {
        assertNodeCloses(WsPeer.frame(FIN | BINARY, new byte[] {1, 2, 3}, true), 1002, "masked_server_frame");
    }

    @Test
    void aReservedOpcodeIsAProtocolError1002() throws Exception {
        assertNodeCloses(WsPeer.frame(FIN | 0xB, new byte[0], false), 1002, "reserved_opcode");
    }

    @Test
    void rsvBitsAreAProtocolError1002() throws Exception {
        assertNodeCloses(WsPeer.frame(FIN | 0x20 | BINARY, new byte[] {1}, false), 1002, "reserved_bits");
    }

    @Test
    void aPingOf200OctetsIsAProtocolError1002() throws Exception {
        assertNodeCloses(WsPeer.frame(FIN | PING, new byte[200], false), 1002, "control_too_long");
    }

    @Test
    void aTextFrameIsRefusedWith1003() throws Exception {
        assertNodeCloses(WsPeer.frame(FIN | TEXT, new byte[] {'x'}, false), 1003, "text_frame");
    }

    @Test
    void aPingFloodClosesWith1008AndTheNodeReconnects() throws Exception {
        byte[] ping = WsPeer.frame(FIN | PING, new byte[] {1}, false);
        long before = closed("ping_flood");
        for (int i = 0; i < 1000; i++) {
            hub.writeBuffered(ping);
        }
        hub.flush();
        WsPeer.Frame close = hub.awaitClose(WAIT);
        assertNotNull(close);
        assertEquals(1008, close.closeCode());
        assertEquals(before + 1, closed("ping_flood"));
        hub.close();
        admit();
        assertDelivers(hub);
    }

    @Test
    void aPingIsAnsweredWithAMaskedPong() throws Exception {
        hub.write(WsPeer.frame(FIN | PING, new byte[] {4, 5}, false));
        WsPeer.Frame pong = hub.readFrame(WAIT);
        assertEquals(FIN | PONG, pong.b0());
        assertTrue(pong.masked());
        assertArrayEquals(new byte[] {4, 5}, pong.payload());
    }

    @Test
    void garbageFramesAreSurvivedAndTheConnectionGoesOnDelivering() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[r.nextInt(0, 64)];
            r.nextBytes(junk);
            hub.writeBuffered(WsPeer.frame(FIN | BINARY, junk, false));
        }
        hub.flush();
        assertDelivers(hub);
    }

    @Test
    void aTenMegabyteFrameIsDiscardedAndTheConnectionGoesOnDelivering() throws Exception {
        long before = node.transportCounters().oversizeDiscarded();
        hub.write(WsPeer.frame(FIN | BINARY, new byte[10 << 20], false));
        assertDelivers(hub);
        assertEquals(before + 1, node.transportCounters().oversizeDiscarded());
    }

    @Test
    void aSilentHubIsHeartbeatedThenLeftAndTheNodeReconnects() throws Exception {
        // The node's Connect-Request (its last frame sent) and so its heartbeat timer come after this.
        long before = System.nanoTime();
        try (Impatient n = Impatient.heartbeat("state-heartbeat")) {
            try (WsPeer silent = admit(n.hub)) {
                // nothing from the hub: a Heartbeat Timeout after its Connect-Request the node asks ...
                BvlcMessage heartbeat = silent.readBvlc(HANG);
                Duration asked = Duration.ofNanos(System.nanoTime() - before);
                assertNotNull(heartbeat);
                assertInstanceOf(Payload.HeartbeatRequest.class, heartbeat.payload());
                // ... and a heartbeat-ACK timeout later it leaves
                assertTrue(silent.endsWithin(HANG), "the node ends the silent connection");
                Duration left = Duration.ofNanos(System.nanoTime() - before);
                // Lower bounds only: timers never fire early, however busy the machine.
                assertTrue(asked.compareTo(HEARTBEAT_TIMEOUT) >= 0, "asked after " + asked);
                assertTrue(left.compareTo(HEARTBEAT_TIMEOUT.plus(HEARTBEAT_ACK_TIMEOUT)) >= 0, "left after " + left);
            }
            // Why it left, as its status tells: the unanswered heartbeat, the only one it sent.
            HubConnectionStatus primary = n.primaryOnce(s -> {
                assertEquals(ScConnectionState.DISCONNECTED_WITH_ERRORS, s.primary().state(), s.toString());
                assertEquals(new HeartbeatCounters(1, 0, 0, 0), s.hubHeartbeats());
            });
            assertEquals(ConnectionError.communication(ErrorCode.TIMEOUT, "no Heartbeat-ACK within "
                    + HEARTBEAT_ACK_TIMEOUT.toSeconds() + " s"), primary.error());
            try (WsPeer next = admit(n.hub)) {
                assertDelivers(next, n.received);
            }
        }
    }

    @Test
    void aHubThatSelectsAnExtensionWeDidNotOfferIsFailedBeforeAnyFrame() throws Exception {
        long before = node.transportCounters().handshakeFailures();
        hub.close();
        try (WsPeer deflating = server.accept(WAIT, "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            assertTrue(deflating.endsWithin(WAIT), "no Connect-Request, the connection is ended");
        }
        assertEquals(before + 1, node.transportCounters().handshakeFailures());
        admit();
        assertDelivers(hub);
    }

    @Test
    void aHubThatNeverAnswersTheUpgradeHasItsConnectionClosedAfterTheUpgradeTimeout() throws Exception {
        // The node's first attempt, and so its upgrade timer, starts after this.
        long before = System.nanoTime();
        try (Impatient n = Impatient.upgrade("state-upgrade")) {
            try (WsPeer silent = n.hub.acceptSilently(HANG)) {
                // the node closes it after bacnet-sc.transport.upgrade-timeout, instead of leaving one open
                // connection behind for every attempt; HANG only bounds a node that never does
                assertTrue(silent.endsWithin(HANG), "the node closed the unanswered connection");
            }
            Duration open = Duration.ofNanos(System.nanoTime() - before);
            // A lower bound only: timers never fire early, however busy the machine (how late is not a rule).
            assertTrue(open.compareTo(UPGRADE_TIMEOUT) >= 0, "closed after " + open + ", before the upgrade timeout "
                    + UPGRADE_TIMEOUT + ": not the upgrade timer's doing");
            // It was the upgrade timer: the attempt failed with TIMEOUT, in the hub's status ...
            HubConnectionStatus primary = n.primaryOnce(s -> assertEquals(ScConnectionState.FAILED_TO_CONNECT,
                    s.primary().state(), s.toString()));
            assertEquals(ConnectionError.communication(ErrorCode.TIMEOUT, "UpgradeFailed no WebSocket upgrade within "
                    + UPGRADE_TIMEOUT.toMillis() + " ms"), primary.error());
            // ... and it goes on: the next attempt, answered, delivers.
            AtomicInteger skipped = new AtomicInteger();
            try (WsPeer next = admitLive(n.hub, skipped)) {
                assertDelivers(next, n.received);
            }
            // Counted once per attempt that failed: the silent one (and any the test was too slow to answer).
            assertEquals(1 + skipped.get(), n.node.transportCounters().handshakeFailures());
        }
    }
}
