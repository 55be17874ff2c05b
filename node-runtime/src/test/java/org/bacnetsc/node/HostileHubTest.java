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
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ConnectionSettings;
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
 */
@ExtendWith(LogCapturingExtension.class)
class HostileHubTest {

    static final Duration WAIT = Duration.ofSeconds(10);
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
        ConnectionSettings cs = new ConnectionSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(3), Duration.ofSeconds(2), 1600, 1497);
        node = ScNode.builder().primaryHub(server.uri()).devPki(pki.dir(), 1).stateDir(dir.resolve("state"))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(200)).connectionSettings(cs)
                .config(ConfigFactory.parseString("bacnet-sc.transport { close-timeout = 2s, upgrade-timeout = 3s }")
                        .withFallback(KIT.system().settings().config()))
                .start(KIT.system());
        node.subscribe(received.ref());
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
        hub = server.accept(WAIT);
        BvlcMessage request = hub.readBvlc(WAIT);
        assertNotNull(request);
        assertInstanceOf(Payload.ConnectRequest.class, request.payload());
        hub.sendBvlc(BvlcMessage.of(request.messageId(), new Payload.ConnectAccept(HUB, DeviceUuid.random(), 1600,
                1497)));
    }

    @AfterEach
    void drop() {
        hub.close();
    }

    /** The hub delivers an NPDU from OTHER; the node hands it up. */
    private void assertDelivers(WsPeer from) throws Exception {
        ByteString npdu = ByteString.fromArray(new byte[] {1, 0, 7, (byte) ++sequence});
        from.sendBvlc(BvlcMessage.of(sequence, OTHER, null, new Payload.EncapsulatedNpdu(npdu)));
        ReceivedNpdu r = received.receiveMessage(WAIT);
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
        // nothing from the hub: after the heartbeat timeout (3 s) the node asks, after the ack timeout (2 s) it leaves
        BvlcMessage heartbeat = hub.readBvlc(WAIT);
        assertNotNull(heartbeat);
        assertInstanceOf(Payload.HeartbeatRequest.class, heartbeat.payload());
        assertTrue(hub.endsWithin(WAIT), "the node ends the silent connection");
        hub.close();
        admit();
        assertDelivers(hub);
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
    void aHubThatNeverAnswersTheUpgradeHasItsConnectionClosedAfterTheConnectWait() throws Exception {
        hub.close();
        try (WsPeer silent = server.acceptSilently(WAIT)) {
            // the node closes it after bacnet-sc.transport.upgrade-timeout (3 s here), instead of leaving one open
            // connection behind for every attempt
            assertTrue(silent.endsWithin(Duration.ofSeconds(8)), "the node closed the unanswered connection");
        }
        admit();
        assertDelivers(hub);
    }
}
