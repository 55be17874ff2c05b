package org.bacnetsc.connection;

import static org.bacnetsc.connection.ConnectionTestSupport.ME;
import static org.bacnetsc.connection.ConnectionTestSupport.PEER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The accepting peer's state machine, one test per row of the digest §9 table. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class AcceptingConnectionTest {

    @JUnit5TestKit
    ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(ManualTime.config()).build();

    private ConnectionTestSupport c() {
        return ConnectionTestSupport.acceptor(kit, LinkRole.HUB_FUNCTION);
    }

    private VirtualTime time() {
        return VirtualTime.of(kit);
    }

    private static BvlcMessage connectRequest(int id, Vmac vmac, DeviceUuid uuid) {
        return BvlcMessage.of(id, new Payload.ConnectRequest(vmac, uuid, 1600, 1497));
    }

    private static BvlcMessage nak151(int id) {
        return BvlcMessage.of(id, new Payload.BvlcResult(6, Payload.ResultCode.NAK, 0, 7, 151, ""));
    }

    @Test
    void acceptedWebSocketAwaitsConnectRequest() {
        ConnectionTestSupport c = c();
        assertEquals(ConnectionPhase.IDLE, c.status().phase());
        c.open();
        assertEquals(ConnectionPhase.AWAITING_REQUEST, c.status().phase());
    }

    @Test
    void connectWaitExpiryWhileAwaitingRequestCloses() {
        ConnectionTestSupport c = c();
        c.open();
        c.status();
        time().expectNoMessageFor(Duration.ofSeconds(9), c.parent);
        time().timePasses(Duration.ofSeconds(1));
        c.expectClosed();
        assertEquals(ErrorCode.TIMEOUT, c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT).error()
                .errorCode());
    }

    @Test
    void connectRequestWithoutCollisionIsAcceptedWithTheRequestsMessageId() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        assertEquals(ConnectionPhase.CONNECTED, c.status().phase());
        assertEquals(PEER.vmac(), c.status().peerVmac());
    }

    @Test
    void connectRequestRefusedByTheParentIsNakedWith151AndTheRequestsIdThenClosed() {
        ConnectionTestSupport c = c();
        c.open();
        c.receive(connectRequest(0x4321, PEER.vmac(), PEER.deviceUuid()));
        c.parent.expectMessage(new ConnectionEvent.AdmissionRequested(c.connection, PEER.vmac(), PEER.deviceUuid(),
                1600, 1497));
        c.connection.tell(new Connection.Reject(ErrorCode.NODE_DUPLICATE_VMAC, ""));
        assertEquals(nak151(0x4321), c.sent());
        c.expectClosed();
        ConnectionEvent.Disconnected d = c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
        assertEquals(ErrorCode.NODE_DUPLICATE_VMAC, d.error().errorCode());
        assertEquals(PEER.vmac(), d.peerVmac());
        assertEquals(PEER.deviceUuid(), d.peerUuid());
    }

    @Test
    void unsetOrBroadcastVmacIsNakedWith151WithoutAskingTheParent() {
        for (Vmac bad : new Vmac[] {Vmac.UNSET, Vmac.BROADCAST}) {
            ConnectionTestSupport c = c();
            c.open();
            c.receive(connectRequest(9, bad, PEER.deviceUuid()));
            BvlcMessage nak = c.sent();
            assertEquals(9, nak.messageId());
            assertEquals(151, ((Payload.BvlcResult) nak.payload()).errorCode());
            c.expectClosed();
            c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
        }
    }

    @Test
    void ownVmacWithAnotherUuidIsNakedWith151() {
        ConnectionTestSupport c = c();
        c.open();
        c.receive(connectRequest(10, ME.vmac(), PEER.deviceUuid()));
        assertEquals(151, ((Payload.BvlcResult) c.sent().payload()).errorCode());
        c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
    }

    @Test
    void ownVmacWithOwnUuidIsNakedWith151() {
        // A peer that learnt our VMAC and Device UUID from a Connect-Accept and poses as us (Issue 14).
        ConnectionTestSupport c = c();
        c.open();
        c.receive(connectRequest(10, ME.vmac(), ME.deviceUuid()));
        Payload.BvlcResult nak = (Payload.BvlcResult) c.sent().payload();
        assertEquals(151, nak.errorCode());
        assertEquals("VMAC " + ME.vmac() + " is the accepting peer's own", nak.errorDetails());
        c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
    }

    @Test
    void ownDeviceUuidWithAnotherVmacIsNakedWith151() {
        ConnectionTestSupport c = c();
        c.open();
        c.receive(connectRequest(11, PEER.vmac(), ME.deviceUuid()));
        Payload.BvlcResult nak = (Payload.BvlcResult) c.sent().payload();
        assertEquals(151, nak.errorCode());
        assertEquals("Device UUID " + ME.deviceUuid() + " is the accepting peer's own", nak.errorDetails());
        c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
    }

    @Test
    void otherMessagesWhileAwaitingRequestAreDiscarded() {
        ConnectionTestSupport c = c();
        c.open();
        c.receive(BvlcMessage.of(1, null, PEER.vmac(), new Payload.EncapsulatedNpdu(Hex.parse("01"))));
        c.receive(BvlcMessage.of(2, Payload.HeartbeatRequest.INSTANCE));
        c.parent.expectNoMessage(Duration.ofMillis(100));
        c.socket.expectNoMessage(Duration.ofMillis(10));
        assertEquals(2, c.status().counters().unexpected());
    }

    @Test
    void aSecondConnectRequestWhileTheFirstAwaitsAdmissionIsDiscarded() {
        ConnectionTestSupport c = c();
        c.open();
        c.receive(connectRequest(1, PEER.vmac(), PEER.deviceUuid()));
        c.parent.receiveMessage();
        c.receive(connectRequest(2, PEER.vmac(), PEER.deviceUuid()));
        c.parent.expectNoMessage(Duration.ofMillis(100));
        c.connection.tell(Connection.Admit.INSTANCE);
        assertEquals(1, c.sent().messageId());
    }

    /** The acceptor's probe of a silent peer: sent after twice the Heartbeat Timeout (600 s) of silence. */
    private static BvlcMessage expectProbe(ConnectionTestSupport c) {
        BvlcMessage probe = c.sent();
        assertEquals(Payload.HeartbeatRequest.INSTANCE, probe.payload());
        c.expectHeartbeatEvent(true, false);
        return probe;
    }

    @Test
    void aPeerSilentForTwiceTheHeartbeatTimeoutIsProbedThenClosedWithTimeoutOneAckTimeoutLater() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        time().expectNoMessageFor(Duration.ofSeconds(599), c.socket, c.parent);
        time().timePasses(Duration.ofSeconds(1));
        expectProbe(c);
        time().expectNoMessageFor(Duration.ofSeconds(299), c.socket, c.parent);
        time().timePasses(Duration.ofSeconds(1));
        c.expectClosed();
        ConnectionError error = c.expectDisconnected(ScConnectionState.DISCONNECTED_WITH_ERRORS).error();
        assertEquals(ErrorCode.TIMEOUT, error.errorCode());
        assertEquals("nothing received for 600 s, nor within 300 s of a Heartbeat-Request", error.details());
        c.heartbeats.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void acceptorSilenceTimerRestartsOnEveryValidMessage() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        time().timePasses(Duration.ofSeconds(500));
        c.receive(BvlcMessage.of(3, Payload.HeartbeatRequest.INSTANCE));
        assertEquals(BvlcMessage.of(3, Payload.HeartbeatAck.INSTANCE), c.sent());
        time().expectNoMessageFor(Duration.ofSeconds(599), c.socket, c.parent);
        time().timePasses(Duration.ofSeconds(1));
        expectProbe(c);
    }

    @Test
    void aPeerThatNeverSendsButAnswersTheProbeStaysConnectedAcrossManySilencePeriods() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        for (int period = 1; period <= 6; period++) {
            time().expectNoMessageFor(Duration.ofSeconds(599), c.socket, c.parent);
            time().timePasses(Duration.ofSeconds(1));
            BvlcMessage probe = expectProbe(c);
            c.receive(BvlcMessage.of(probe.messageId(), Payload.HeartbeatAck.INSTANCE));
            c.expectHeartbeatEvent(true, true);
        }
        ConnectionStatus status = c.status();
        assertEquals(ConnectionPhase.CONNECTED, status.phase());
        assertEquals(new HeartbeatCounters(0, 0, 6, 6), status.counters().heartbeats());
        assertEquals(0, status.counters().unexpected());
    }

    @Test
    void anythingFromThePeerWithinTheAckTimeoutAnswersTheProbe() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        time().timePasses(Duration.ofSeconds(600));
        expectProbe(c);
        time().timePasses(Duration.ofSeconds(100));
        BvlcMessage unicast = BvlcMessage.of(9, null, ConnectionTestSupport.OTHER,
                new Payload.EncapsulatedNpdu(Hex.parse("0120")));
        c.receive(unicast);
        c.parent.receiveMessage();
        // the ACK timeout passes without an ACK: the peer was heard since the probe, so it stays
        time().timePasses(Duration.ofSeconds(200));
        c.expectHeartbeatEvent(true, true);
        assertEquals(ConnectionPhase.CONNECTED, c.status().phase());
        // the next silence limit counts from the unicast (at 700 s): a probe at 1300 s
        time().expectNoMessageFor(Duration.ofSeconds(399), c.socket, c.parent);
        time().timePasses(Duration.ofSeconds(1));
        expectProbe(c);
    }

    @Test
    void aNakForTheProbeAnswersIt() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        time().timePasses(Duration.ofSeconds(600));
        BvlcMessage probe = expectProbe(c);
        c.receive(BvlcMessage.of(probe.messageId(), Payload.BvlcResult.nak(0x0A, ErrorCode.OTHER, "")));
        c.expectHeartbeatEvent(true, true);
        time().expectNoMessageFor(Duration.ofSeconds(599), c.socket, c.parent);
        assertEquals(ConnectionPhase.CONNECTED, c.status().phase());
    }

    @Test
    void aLateAckForAnOldProbeIsUnexpectedAndDoesNotAnswerTheCurrentOne() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        time().timePasses(Duration.ofSeconds(600));
        BvlcMessage probe = expectProbe(c);
        time().timePasses(Duration.ofSeconds(299));
        // an ACK with another Message ID is not this probe's, but the peer was heard: it stays
        c.receive(BvlcMessage.of((probe.messageId() + 1) & 0xFFFF, Payload.HeartbeatAck.INSTANCE));
        assertEquals(1, c.status().counters().unexpected());
        time().timePasses(Duration.ofSeconds(1));
        c.expectHeartbeatEvent(true, true);
        assertEquals(ConnectionPhase.CONNECTED, c.status().phase());
    }

    @Test
    void framesTheParentsShortcutTakesKeepTheConnectionAliveAreCountedAndTheShortcutEndsWithTheConnection() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        java.util.List<org.apache.pekko.util.ByteString> taken = new java.util.concurrent.CopyOnWriteArrayList<>();
        c.connectedSink.shortcut(frame -> taken.add(frame));
        InboundShortcut socketSide = c.installed.get();
        org.apache.pekko.util.ByteString unicast = ConnectionTestSupport.encode(BvlcMessage.of(9, null,
                ConnectionTestSupport.OTHER, new Payload.EncapsulatedNpdu(Hex.parse("0120"))));
        time().timePasses(Duration.ofSeconds(500));
        org.junit.jupiter.api.Assertions.assertTrue(socketSide.take(unicast));
        assertEquals(java.util.List.of(unicast), taken);
        assertEquals(2, c.status().counters().framesReceived(), "the Connect-Request and the frame taken");
        // silence counts from the frame the shortcut took, not from the last one the actor saw
        time().expectNoMessageFor(Duration.ofSeconds(599), c.socket, c.parent);
        time().timePasses(Duration.ofSeconds(1));
        expectProbe(c);
        // a frame the shortcut takes answers the probe too
        time().timePasses(Duration.ofSeconds(10));
        org.junit.jupiter.api.Assertions.assertTrue(socketSide.take(unicast));
        time().timePasses(Duration.ofSeconds(290));
        c.expectHeartbeatEvent(true, true);
        time().expectNoMessageFor(Duration.ofSeconds(309), c.socket, c.parent);
        time().timePasses(Duration.ofSeconds(1));
        expectProbe(c);
        time().timePasses(Duration.ofSeconds(300));
        c.expectClosed();
        assertEquals(null, c.installed.get(), "no shortcut once the connection leaves Connected");
    }

    @Test
    void theShortcutTakesNothingOnceTheConnectionIsDisconnecting() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        c.connectedSink.shortcut(frame -> true);
        InboundShortcut socketSide = c.installed.get();
        c.connection.tell(Connection.Disconnect.INSTANCE);
        assertEquals(Payload.DisconnectRequest.INSTANCE, c.sent().payload());
        org.junit.jupiter.api.Assertions.assertFalse(socketSide.take(ConnectionTestSupport.encode(BvlcMessage.of(9,
                null, ConnectionTestSupport.OTHER, new Payload.EncapsulatedNpdu(Hex.parse("0120"))))));
    }

    @Test
    void hubSideAcceptsAndStripsAnOriginatingVmacEqualToTheSendersOwn() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        BvlcMessage bacPy = BvlcMessage.of(5, PEER.vmac(), ConnectionTestSupport.OTHER,
                new Payload.EncapsulatedNpdu(Hex.parse("0120")));
        c.receive(bacPy);
        ConnectionEvent.MessageReceived r = (ConnectionEvent.MessageReceived) c.parent.receiveMessage();
        assertEquals(bacPy.withVmacs(null, ConnectionTestSupport.OTHER), r.message());
        assertEquals(ConnectionTestSupport.encode(bacPy), r.frame());
    }

    @Test
    void hubSideNaksAnOriginatingVmacOfAnotherNodeWith145() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        c.receive(BvlcMessage.of(5, ConnectionTestSupport.OTHER, PEER.vmac(),
                new Payload.EncapsulatedNpdu(Hex.parse("0120"))));
        BvlcMessage nak = c.sent();
        assertEquals(BvlcMessage.of(5, null, null, new Payload.BvlcResult(1, Payload.ResultCode.NAK, 0, 7,
                ErrorCode.HEADER_ENCODING_ERROR.code(), ((Payload.BvlcResult) nak.payload()).errorDetails())), nak);
        c.parent.expectNoMessage(Duration.ofMillis(100));
        assertEquals(ConnectionPhase.CONNECTED, c.status().phase());
    }

    @Test
    void hubSideNaksAHubBoundUnicastWithoutDestinationWith145() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        c.receive(BvlcMessage.of(6, new Payload.EncapsulatedNpdu(Hex.parse("0120"))));
        assertEquals(145, ((Payload.BvlcResult) c.sent().payload()).errorCode());
    }

    @Test
    void hubSideForwardsDestinationOptionsWithoutProcessingThem() {
        ConnectionTestSupport c = c();
        c.connectAsAcceptor();
        // Destination option type 3 with Must Understand: for the recipient to judge, not the hub.
        c.receive(Hex.parse("01 06 0007 020000000003 43 0120"));
        ConnectionEvent.MessageReceived r = (ConnectionEvent.MessageReceived) c.parent.receiveMessage();
        assertEquals(7, r.message().messageId());
        c.socket.expectNoMessage(Duration.ofMillis(50));
    }
}
