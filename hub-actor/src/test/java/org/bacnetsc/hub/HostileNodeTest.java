package org.bacnetsc.hub;

import static org.bacnetsc.transport.WsPeer.BINARY;
import static org.bacnetsc.transport.WsPeer.CLOSE;
import static org.bacnetsc.transport.WsPeer.CONTINUATION;
import static org.bacnetsc.transport.WsPeer.FIN;
import static org.bacnetsc.transport.WsPeer.PING;
import static org.bacnetsc.transport.WsPeer.PONG;
import static org.bacnetsc.transport.WsPeer.TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsPeer;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub facing an authenticated but hostile node, over real TLS 1.3 with mutual authentication on 127.0.0.1: every
 * RFC 6455 rule broken gets its close code and its counter, and two well-behaved nodes go on exchanging traffic
 * through the same hub after each attack.
 */
@ExtendWith(LogCapturingExtension.class)
class HostileNodeTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final ActorTestKit KIT = ActorTestKit.create("hostile-node");
    static final Vmac A = Vmac.parse("02:00:00:00:0a:01");
    static final Vmac B = Vmac.parse("02:00:00:00:0b:01");
    static final Vmac ATTACKER = Vmac.parse("02:00:00:00:ee:01");

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;
    static WsPeer a;
    static WsPeer b;
    static Payload.ConnectAccept hubIdentity;
    static int sequence;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(3);
        hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir())
                .transportSettings(new TransportSettings(64, false).withCloseTimeout(Duration.ofSeconds(2)))
                .start(KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        a = WsPeer.connect(hub.uri(), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1));
        hubIdentity = assertInstanceOf(Payload.ConnectAccept.class,
                a.connect(A, DeviceUuid.random(), 1, WAIT).payload());
        b = WsPeer.connect(hub.uri(), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(2));
        assertInstanceOf(Payload.ConnectAccept.class, b.connect(B, DeviceUuid.random(), 1, WAIT).payload());
    }

    @AfterAll
    static void stop() throws Exception {
        a.close();
        b.close();
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    /** After every attack the two well-behaved nodes still reach each other through the hub, both ways. */
    @AfterEach
    void wellBehavedNodesStillExchangeTraffic() throws Exception {
        for (int i = 0; i < 2; i++) {
            WsPeer from = i == 0 ? a : b;
            WsPeer to = i == 0 ? b : a;
            ByteString npdu = ByteString.fromArray(new byte[] {1, 0, (byte) i, (byte) ++sequence});
            from.sendBvlc(BvlcMessage.of(sequence, null, i == 0 ? B : A, new Payload.EncapsulatedNpdu(npdu)));
            BvlcMessage got = to.readBvlc(WAIT);
            assertNotNull(got, "the well-behaved node's connection ended");
            assertEquals(new Payload.EncapsulatedNpdu(npdu), got.payload());
            assertEquals(i == 0 ? A : B, got.originating());
        }
    }

    private static WsPeer attacker() throws Exception {
        return WsPeer.connect(hub.uri(), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(3));
    }

    private static WsPeer admittedAttacker() throws Exception {
        WsPeer p = attacker();
        BvlcMessage answer = p.connect(ATTACKER, DeviceUuid.random(), 7, WAIT);
        assertInstanceOf(Payload.ConnectAccept.class, answer.payload());
        return p;
    }

    private static long closed(String reason) {
        return hub.transportCounters().webSocketClosedByReason().get(reason);
    }

    /** Sends {@code frame} from an admitted node and expects the hub's close with {@code code}, counted as reason. */
    private static void assertRefused(byte[] frame, int code, String reason) throws Exception {
        long before = closed(reason);
        try (WsPeer p = admittedAttacker()) {
            p.write(frame);
            WsPeer.Frame close = p.awaitClose(WAIT);
            assertNotNull(close, "a close frame before the connection ends");
            assertEquals(code, close.closeCode());
            assertFalse(close.masked(), "server frames are not masked");
            assertTrue(p.endsWithin(WAIT), "the hub ends the connection after its close");
        }
        assertEquals(before + 1, closed(reason));
    }

    private static byte[] masked(int b0, byte[] payload) {
        return WsPeer.frame(b0, payload, true);
    }

    private static byte[] closePayload(int code, byte[] reason) {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return p;
    }

    @Test
    void rsv1SetIsAProtocolError1002() throws Exception {
        assertRefused(masked(FIN | 0x40 | BINARY, new byte[] {1, 2}), 1002, "reserved_bits");
    }

    @Test
    void rsv3SetIsAProtocolError1002() throws Exception {
        assertRefused(masked(FIN | 0x10 | PING, new byte[0]), 1002, "reserved_bits");
    }

    @Test
    void reservedDataOpcode3IsAProtocolError1002AndShownInMetricsAndStatus() throws Exception {
        assertRefused(masked(FIN | 3, new byte[] {1}), 1002, "reserved_opcode");
        HubStatus status = hub.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String metrics = Management.metrics(KIT.system(), hub, status);
        assertTrue(metrics.contains("\nbacnet_sc_hub_websocket_closed_total{reason=\"reserved_opcode\"} "
                + closed("reserved_opcode") + ".0\n"), metrics);
        assertTrue(metrics.contains("\nbacnet_sc_hub_websocket_closed_total{reason=\"ping_flood\"} "), metrics);
        String json = Management.JSON.writeValueAsString(Management.JSON.valueToTree(hub.transportCounters()));
        assertTrue(json.contains("\"reserved_opcode\":" + closed("reserved_opcode")), json);
    }

    @Test
    void reservedControlOpcode0xBIsAProtocolError1002() throws Exception {
        assertRefused(masked(FIN | 0xB, new byte[] {1}), 1002, "reserved_opcode");
    }

    @Test
    void aPingOf200OctetsIsAProtocolError1002() throws Exception {
        assertRefused(masked(FIN | PING, new byte[200]), 1002, "control_too_long");
    }

    @Test
    void aPingAnnouncing100MegabytesIsRefusedFromItsHeaderAlone() throws Exception {
        assertRefused(WsPeer.frame(FIN | PING, new byte[0], true, 100L << 20), 1002, "control_too_long");
    }

    @Test
    void aFragmentedPingIsAProtocolError1002() throws Exception {
        assertRefused(masked(PING, new byte[] {1}), 1002, "control_fragmented");
    }

    @Test
    void anUnmaskedClientFrameIsAProtocolError1002() throws Exception {
        assertRefused(WsPeer.frame(FIN | BINARY, new byte[] {5, 0, 0, 1}, false), 1002, "unmasked_client_frame");
    }

    @Test
    void aCloseWithAOneOctetPayloadIsAProtocolError1002() throws Exception {
        assertRefused(masked(FIN | CLOSE, new byte[] {3}), 1002, "close_one_octet");
    }

    @Test
    void aCloseWithCode1005IsAProtocolError1002() throws Exception {
        assertRefused(masked(FIN | CLOSE, closePayload(1005, new byte[0])), 1002, "invalid_close_code");
    }

    @Test
    void aCloseWithCode999IsAProtocolError1002() throws Exception {
        assertRefused(masked(FIN | CLOSE, closePayload(999, new byte[0])), 1002, "invalid_close_code");
    }

    @Test
    void aCloseWithAnInvalidUtf8ReasonIsAnswered1007() throws Exception {
        assertRefused(masked(FIN | CLOSE, closePayload(1000, new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28})),
                1007, "invalid_close_reason");
    }

    @Test
    void aContinuationWithoutAStartedMessageIsAProtocolError1002() throws Exception {
        assertRefused(masked(FIN | CONTINUATION, new byte[] {1}), 1002, "continuation_without_start");
    }

    @Test
    void aNewDataFrameInsideAFragmentedMessageIsAProtocolError1002() throws Exception {
        byte[] first = masked(BINARY, new byte[] {1, 0});
        byte[] second = masked(FIN | BINARY, new byte[] {1, 0});
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        assertRefused(both, 1002, "data_inside_fragmented_message");
    }

    @Test
    void aTextFrameIsRefusedWith1003AndCounted() throws Exception {
        long before = hub.transportCounters().textFramesRejected();
        assertRefused(masked(FIN | TEXT, "hello".getBytes(StandardCharsets.UTF_8)), 1003, "text_frame");
        assertEquals(before + 1, hub.transportCounters().textFramesRejected());
    }

    @Test
    void aValidCloseIsEchoedWithItsCode() throws Exception {
        try (WsPeer p = admittedAttacker()) {
            p.write(masked(FIN | CLOSE, closePayload(1001, "bye".getBytes(StandardCharsets.UTF_8))));
            assertEquals(1001, p.awaitClose(WAIT).closeCode());
        }
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
        try (WsPeer p = admittedAttacker()) {
            p.write(masked(FIN | PING, new byte[] {9, 8, 7}));
            WsPeer.Frame pong = p.readFrame(WAIT);
            assertEquals(FIN | PONG, pong.b0());
            assertArrayEquals(new byte[] {9, 8, 7}, pong.payload());
        }
    }

    @Test
    void pingsBeyondTheLimitPerSecondCloseWith1008() throws Exception {
        long before = closed("ping_flood");
        try (WsPeer p = admittedAttacker()) {
            byte[] ping = masked(FIN | PING, new byte[] {1});
            // Twenty seconds' worth at once: the hub counts pings per second as it reads them, so this exceeds the
            // limit unless reading them took the hub twenty seconds (a margin for a busy machine, not a speed claim).
            for (int i = 0; i < TransportSettings.MAX_PINGS_PER_SECOND * 20; i++) {
                p.writeBuffered(ping);
            }
            p.flush();
            WsPeer.Frame close = p.awaitClose(WAIT);
            assertNotNull(close);
            assertEquals(1008, close.closeCode());
        }
        assertEquals(before + 1, closed("ping_flood"));
    }

    @Test
    void aFragmentedMessageWithAPingBetweenItsFramesIsReassembledAndRouted() throws Exception {
        try (WsPeer p = admittedAttacker()) {
            ByteString npdu = ByteString.fromArray(new byte[] {1, 0, 42, 43, 44});
            byte[] frame = BvlcCodec.encode(BvlcMessage.of(77, null, B, new Payload.EncapsulatedNpdu(npdu)))
                    .toArray();
            int cut = frame.length / 2;
            p.write(masked(BINARY, java.util.Arrays.copyOfRange(frame, 0, cut)));
            p.write(masked(FIN | PING, new byte[] {1}));
            p.write(masked(FIN | CONTINUATION, java.util.Arrays.copyOfRange(frame, cut, frame.length)));
            assertEquals(FIN | PONG, p.readFrame(WAIT).b0());
            BvlcMessage got = b.readBvlc(WAIT);
            assertEquals(ATTACKER, got.originating());
            assertEquals(new Payload.EncapsulatedNpdu(npdu), got.payload());
        }
    }

    @Test
    void aTenMegabyteDataFrameIsDiscardedAsItArrivesAndTheConnectionLivesOn() throws Exception {
        long before = hub.transportCounters().oversizeDiscarded();
        try (WsPeer p = admittedAttacker()) {
            p.write(masked(FIN | BINARY, new byte[10 << 20]));
            // the same connection still works: a Heartbeat-Request is answered
            p.sendBvlc(BvlcMessage.of(99, new Payload.HeartbeatRequest()));
            BvlcMessage ack = p.readBvlc(WAIT);
            assertNotNull(ack);
            assertEquals(99, ack.messageId());
            assertInstanceOf(Payload.HeartbeatAck.class, ack.payload());
        }
        assertEquals(before + 1, hub.transportCounters().oversizeDiscarded());
    }

    /**
     * Whether a malformed frame is answered with a NAK (digest §6): only when it has a Message ID (4 octets), its
     * function is a request (Encapsulated-NPDU, Address-Resolution, Advertisement-Solicitation, Connect-, Disconnect-,
     * Heartbeat-Request) or unknown (0x0D and up), and it is not a broadcast (a Destination VMAC flagged but cut off
     * cannot be shown to be one). Everything else is dropped without an answer.
     */
    private static boolean answeredWithNak(byte[] f) {
        if (f.length < 4) {
            return false;
        }
        int function = f[0] & 0xFF;
        boolean request = function >= 0x0D || function == 0x01 || function == 0x02 || function == 0x05
                || function == 0x06 || function == 0x08 || function == 0x0A;
        int flags = f[1] & 0xFF;
        int destinationAt = 4 + ((flags & 0x08) != 0 ? 6 : 0);
        boolean broadcast = (flags & 0x04) != 0 && f.length >= destinationAt + 6
                && java.util.stream.IntStream.range(destinationAt, destinationAt + 6).allMatch(i -> f[i] == (byte) 0xFF);
        return request && !broadcast;
    }

    @Test
    void thousandsOfMalformedBvlcFramesAreEachNakedOrDroppedAsTheDigestSaysAndTheConnectionLivesOn() throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(14);
        java.util.List<byte[]> junk = new java.util.ArrayList<>();
        java.util.List<byte[]> expected = new java.util.ArrayList<>(); // function and Message ID of each NAK, in order
        for (int i = 0; i < 3000; i++) {
            byte[] f = new byte[r.nextInt(0, 40)];
            r.nextBytes(f);
            assertInstanceOf(org.bacnetsc.codec.DecodeFailure.class, BvlcCodec.decode(ByteString.fromArray(f)),
                    "frame " + i + " is malformed (the premise of this test)");
            junk.add(f);
            if (answeredWithNak(f)) {
                expected.add(new byte[] {f[0], f[2], f[3]});
            }
        }
        assertTrue(expected.size() > 1000 && expected.size() < junk.size(), expected.size() + " NAKs expected");
        try (WsPeer p = admittedAttacker()) {
            // The hub's answers to a node that does not read meet its outbound queue (64 here): what does not fit is
            // dropped and counted. No other connection of this hub sends meanwhile.
            long dropsBefore = hub.transportCounters().queueDrops();
            for (byte[] f : junk) {
                p.writeBuffered(masked(FIN | BINARY, f));
            }
            p.flush();
            // Read the answers until each expected NAK has arrived or was counted as dropped. A reader thread takes
            // them off the socket; awaitAssert only bounds a hang.
            java.util.concurrent.BlockingQueue<Object> frames = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        WsPeer.Frame f = p.readFrame(Duration.ofMinutes(2));
                        frames.add(f == null ? "ended" : f);
                        if (f == null) {
                            return;
                        }
                    }
                } catch (java.io.IOException e) {
                    frames.add(e);
                }
            }, "malformed-frames-reader");
            reader.setDaemon(true);
            reader.start();
            java.util.List<Object> got = new java.util.ArrayList<>();
            TestProbe<Object> poll = KIT.createTestProbe();
            poll.awaitAssert(Duration.ofSeconds(60), () -> {
                frames.drainTo(got);
                assertEquals(List.of(), got.stream().filter(o -> !(o instanceof WsPeer.Frame f && f.opcode() == BINARY))
                        .toList(), "nothing but binary frames (no close, the connection does not end)");
                assertEquals(expected.size(), got.size() + hub.transportCounters().queueDrops() - dropsBefore,
                        "answers read " + got.size());
                return null;
            });
            java.util.List<BvlcMessage> answers = got.stream().map(HostileNodeTest::bvlcOf).toList();
            System.out.println(junk.size() + " malformed frames, " + expected.size() + " NAKs due: " + answers.size()
                    + " read, " + (expected.size() - answers.size()) + " dropped by the full queue");
            // Each answer is the NAK of the next frame that gets one: in order, none for a frame the digest drops.
            int at = 0;
            for (BvlcMessage m : answers) {
                Payload.BvlcResult nak = assertInstanceOf(Payload.BvlcResult.class, m.payload(), m.toString());
                assertTrue(nak.isNak(), m.toString());
                assertEquals(null, m.originating(), m.toString());
                assertEquals(null, m.destination(), m.toString());
                while (at < expected.size() && !((expected.get(at)[0] & 0xFF) == nak.resultFor()
                        && (((expected.get(at)[1] & 0xFF) << 8) | (expected.get(at)[2] & 0xFF)) == m.messageId())) {
                    at++; // dropped by the full queue (counted above)
                }
                assertTrue(at < expected.size(), "an answer no malformed frame calls for: " + m);
                at++;
            }
            // Still admitted and answered after all of it; its queue has room again, so the answer is not dropped.
            long dropsAfter = hub.transportCounters().queueDrops();
            p.sendBvlc(BvlcMessage.of(0x4242, Payload.HeartbeatRequest.INSTANCE));
            BvlcMessage ack = bvlcOf(frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(BvlcMessage.of(0x4242, Payload.HeartbeatAck.INSTANCE), ack);
            assertEquals(dropsAfter, hub.transportCounters().queueDrops());
            assertTrue(hub.status().toCompletableFuture().get(10, TimeUnit.SECONDS).connections().stream().anyMatch(c
                    -> ATTACKER.equals(c.vmac()) && c.state() == org.bacnetsc.connection.ScConnectionState.CONNECTED));
        }
    }

    /** A frame the reader took: a binary frame decoded; anything else fails. */
    private static BvlcMessage bvlcOf(Object o) {
        assertNotNull(o, "nothing more arrived");
        WsPeer.Frame f = assertInstanceOf(WsPeer.Frame.class, o, "the connection ended or failed: " + o);
        assertEquals(BINARY, f.opcode(), "a binary frame, not opcode " + f.opcode());
        return assertInstanceOf(BvlcMessage.class, BvlcCodec.decode(ByteString.fromArray(f.payload())));
    }

    @Test
    void hundredsOfConnectionsResetRightAfterTheUpgradeLeaveNothingBehind() throws Exception {
        for (int i = 0; i < 150; i++) {
            WsPeer p = attacker();
            if (i % 2 == 0) {
                p.sendBvlc(BvlcMessage.of(i, new Payload.ConnectRequest(Vmac.parse("02:00:00:00:dd:01"),
                        DeviceUuid.random(), 1600, 1497)));
            }
            p.reset();
        }
        TestProbe<Object> poll = KIT.createTestProbe();
        poll.awaitAssert(WAIT, () -> {
            HubStatus s = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(2, s.connections().stream().filter(c -> c.state()
                    == org.bacnetsc.connection.ScConnectionState.CONNECTED).count(), s.connections().toString());
            return null;
        });
    }

    /** A Connect-Request with {@code vmac} and {@code uuid} is NAKed NODE_DUPLICATE_VMAC with these details. */
    private static void assertConnectNaked(Vmac vmac, DeviceUuid uuid, String details) throws Exception {
        try (WsPeer p = attacker()) {
            BvlcMessage answer = p.connect(vmac, uuid, 5, WAIT);
            assertEquals(5, answer.messageId());
            Payload.BvlcResult nak = assertInstanceOf(Payload.BvlcResult.class, answer.payload());
            assertEquals(ErrorCode.NODE_DUPLICATE_VMAC.code(), nak.errorCode());
            assertEquals(details, nak.errorDetails());
        }
    }

    @Test
    void aConnectRequestWithTheHubsOwnVmacIsNakedDuplicateVmac() throws Exception {
        assertConnectNaked(hubIdentity.vmac(), DeviceUuid.random(), "VMAC " + hubIdentity.vmac()
                + " is the accepting peer's own");
    }

    @Test
    void aConnectRequestWithTheHubsOwnVmacAndUuidIsNakedDuplicateVmac() throws Exception {
        assertConnectNaked(hubIdentity.vmac(), hubIdentity.deviceUuid(), "VMAC " + hubIdentity.vmac()
                + " is the accepting peer's own");
    }

    @Test
    void aConnectRequestWithTheHubsOwnDeviceUuidIsNakedDuplicateVmac() throws Exception {
        assertConnectNaked(ATTACKER, hubIdentity.deviceUuid(), "Device UUID " + hubIdentity.deviceUuid()
                + " is the accepting peer's own");
    }

    @Test
    void aNakBeforeAdmissionSaysWhatIsWrongWithTheFrame() throws Exception {
        try (WsPeer p = attacker()) {
            // Advertisement-Solicitation, no VMACs, ID 0x1234: hub-bound, it lacks its Destination VMAC
            p.send(BINARY, new byte[] {0x05, 0x00, 0x12, 0x34});
            BvlcMessage answer = p.readBvlc(WAIT);
            Payload.BvlcResult nak = assertInstanceOf(Payload.BvlcResult.class, answer.payload());
            assertEquals(ErrorCode.HEADER_ENCODING_ERROR.code(), nak.errorCode());
            assertTrue(nak.errorDetails().contains("no Destination VMAC"), nak.errorDetails());
            assertFalse(nak.errorDetails().contains("carries a Destination"), nak.errorDetails());
        }
    }
}
