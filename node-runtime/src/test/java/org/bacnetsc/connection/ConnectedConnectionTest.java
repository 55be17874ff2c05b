package org.bacnetsc.connection;

import static org.bacnetsc.connection.ConnectionTestSupport.OTHER;
import static org.bacnetsc.connection.ConnectionTestSupport.PEER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CONNECTED and DISCONNECTING: heartbeat, graceful disconnect from either side, bad frames, sends. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class ConnectedConnectionTest {

    /** Virtual time; the probes' default wait (a presence check's) is generous: it only bounds a hang. */
    @JUnit5TestKit
    ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(ConfigFactory.parseString(
            "pekko.actor.testkit.typed.single-expect-default = 30s").withFallback(ManualTime.config())).build();

    private VirtualTime time() {
        return VirtualTime.of(kit);
    }

    private ConnectionTestSupport connectedNode() {
        ConnectionTestSupport c = ConnectionTestSupport.initiator(kit, LinkRole.HUB_CONNECTOR);
        c.connectAsInitiator();
        return c;
    }

    private ConnectionTestSupport connectedDirect() {
        ConnectionTestSupport c = ConnectionTestSupport.initiator(kit, LinkRole.DIRECT);
        c.connectAsInitiator();
        return c;
    }

    /**
     * The next frame the connection sent, once the connection has finished handling what made it send that frame.
     * The frame reaches the socket in the middle of the handler, before the handler starts its timers (the
     * heartbeat-ACK wait, the disconnect wait); the status request is answered after the handler. So virtual time
     * moved afterwards is after those timers were started, however the threads happen to be scheduled.
     */
    private static BvlcMessage sentAndHandled(ConnectionTestSupport c) {
        BvlcMessage m = c.sent();
        c.status();
        return m;
    }

    private static BvlcMessage npduFrom(Vmac origin, int id) {
        return BvlcMessage.of(id, origin, null, new Payload.EncapsulatedNpdu(Hex.parse("0120ffff00ff")));
    }

    // -------------------------------------------------------------------------------------------- heartbeat

    @Test
    void heartbeatRequestIsSentAfterHeartbeatTimeoutOfReceiveSilence() {
        ConnectionTestSupport c = connectedNode();
        time().expectNoMessageFor(Duration.ofSeconds(299), c.socket);
        time().timePasses(Duration.ofSeconds(1));
        assertEquals(Payload.HeartbeatRequest.INSTANCE, c.sent().payload());
        c.expectHeartbeatEvent(false, false);
    }

    @Test
    void noHeartbeatWhileTrafficFlowsBothWays() {
        ConnectionTestSupport c = connectedNode();
        TestSends sends = new TestSends(kit);
        for (int i = 0; i < 5; i++) {
            time().timePasses(Duration.ofSeconds(250));
            c.receive(npduFrom(OTHER, i));
            c.parent.receiveMessage();
            c.connection.tell(new Connection.Send(npduFrom(null, 1).withVmacs(null, OTHER), true, sends.ref()));
            assertInstanceOf(Payload.EncapsulatedNpdu.class, c.sent().payload());
        }
        time().expectNoMessageFor(Duration.ofSeconds(299), c.socket);
        time().timePasses(Duration.ofSeconds(1));
        assertEquals(Payload.HeartbeatRequest.INSTANCE, c.sent().payload());
    }

    /**
     * A Heartbeat Timeout and heartbeat-ACK timeout of 3 s (the shortest the digest's range allows): loops that move
     * virtual time a second at a time stay short (ManualTime waits 100 ms of real time for each move).
     */
    private static final ConnectionSettings THREE_SECONDS = ConnectionSettings.defaults().withTimeouts(
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(3));

    @Test
    void aNodeThatOnlyReceivesSendsAHeartbeatEveryHeartbeatTimeout() {
        ConnectionTestSupport c = ConnectionTestSupport.initiator(kit, LinkRole.HUB_CONNECTOR, THREE_SECONDS);
        c.connectAsInitiator();
        for (int second = 1; second <= 15; second++) {
            time().timePasses(Duration.ofSeconds(1));
            if (second % 3 == 0) {
                BvlcMessage request = c.sent();
                assertEquals(Payload.HeartbeatRequest.INSTANCE, request.payload(), "at " + second + " s");
                c.expectHeartbeatEvent(false, false);
                c.receive(BvlcMessage.of(request.messageId(), Payload.HeartbeatAck.INSTANCE));
                c.expectHeartbeatEvent(false, true);
            } else {
                c.receive(npduFrom(OTHER, second));
                c.parent.receiveMessage();
            }
        }
        ConnectionStatus.Counters counters = c.status().counters();
        assertEquals(new HeartbeatCounters(5, 5, 0, 0), counters.heartbeats());
        assertEquals(1 + 5, counters.framesSent(), "the Connect-Request and one heartbeat every 3 s, nothing else");
        assertEquals(ConnectionPhase.CONNECTED, c.status().phase());
    }

    @Test
    void aNodeThatSendsAndReceivesEverySecondSendsNoHeartbeat() {
        ConnectionTestSupport c = ConnectionTestSupport.initiator(kit, LinkRole.HUB_CONNECTOR, THREE_SECONDS);
        c.connectAsInitiator();
        TestSends sends = new TestSends(kit);
        for (int second = 1; second <= 15; second++) {
            time().timePasses(Duration.ofSeconds(1));
            c.receive(npduFrom(OTHER, second));
            c.parent.receiveMessage();
            c.connection.tell(new Connection.Send(npduFrom(null, 1).withVmacs(null, OTHER), true, sends.ref()));
            assertInstanceOf(Payload.EncapsulatedNpdu.class, c.sent().payload(), "at " + second + " s");
        }
        ConnectionStatus.Counters counters = c.status().counters();
        assertEquals(HeartbeatCounters.ZERO, counters.heartbeats());
        assertEquals(1 + 15, counters.framesSent());
    }

    @Test
    void aNodeThatOnlySendsStillHeartbeatsAfterTheHeartbeatTimeoutWithNothingReceived() {
        ConnectionTestSupport c = ConnectionTestSupport.initiator(kit, LinkRole.HUB_CONNECTOR, THREE_SECONDS);
        c.connectAsInitiator();
        TestSends sends = new TestSends(kit);
        for (int second = 1; second <= 2; second++) {
            time().timePasses(Duration.ofSeconds(1));
            c.connection.tell(new Connection.Send(npduFrom(null, 1).withVmacs(null, OTHER), true, sends.ref()));
            assertInstanceOf(Payload.EncapsulatedNpdu.class, c.sent().payload());
        }
        time().timePasses(Duration.ofSeconds(1));
        assertEquals(Payload.HeartbeatRequest.INSTANCE, c.sent().payload(), "nothing received for 3 s");
    }

    @Test
    void theSendRuleCountsFromTheHeartbeatItselfNotFromItsAck() {
        ConnectionTestSupport c = ConnectionTestSupport.initiator(kit, LinkRole.HUB_CONNECTOR, THREE_SECONDS);
        c.connectAsInitiator();
        time().timePasses(Duration.ofSeconds(3));
        BvlcMessage request = sentAndHandled(c);
        time().timePasses(Duration.ofSeconds(2));
        c.receive(BvlcMessage.of(request.messageId(), Payload.HeartbeatAck.INSTANCE));
        // sent at 3 s: the next is due at 6 s (nothing sent since), not 3 s after the ACK
        time().expectNoMessageFor(Duration.ofMillis(999), c.socket);
        time().timePasses(Duration.ofMillis(1));
        assertEquals(Payload.HeartbeatRequest.INSTANCE, c.sent().payload());
    }

    @Test
    void heartbeatAckWithinTheWaitKeepsTheConnection() {
        ConnectionTestSupport c = connectedNode();
        time().timePasses(Duration.ofSeconds(300));
        BvlcMessage request = sentAndHandled(c);
        c.expectHeartbeatEvent(false, false);
        time().timePasses(Duration.ofSeconds(100));
        c.receive(BvlcMessage.of(request.messageId(), Payload.HeartbeatAck.INSTANCE));
        c.expectHeartbeatEvent(false, true);
        // the next heartbeat is due 300 s after this one was sent (nothing sent since)
        time().expectNoMessageFor(Duration.ofSeconds(199), c.parent, c.socket);
        time().timePasses(Duration.ofSeconds(1));
        assertEquals(Payload.HeartbeatRequest.INSTANCE, c.sent().payload(), "the next heartbeat, not a disconnect");
        assertEquals(ConnectionPhase.CONNECTED, c.status().phase());
        assertEquals(new HeartbeatCounters(2, 1, 0, 0), c.status().counters().heartbeats());
    }

    @Test
    void missingHeartbeatAckDisconnectsAfterTheAckWait() {
        ConnectionTestSupport c = connectedNode();
        time().timePasses(Duration.ofSeconds(300));
        assertEquals(Payload.HeartbeatRequest.INSTANCE, sentAndHandled(c).payload());
        time().expectNoMessageFor(Duration.ofSeconds(299), c.parent);
        time().timePasses(Duration.ofSeconds(1));
        c.expectClosed();
        assertEquals(ErrorCode.TIMEOUT,
                c.expectDisconnected(ScConnectionState.DISCONNECTED_WITH_ERRORS).error().errorCode());
    }

    @Test
    void otherTrafficDoesNotStandInForTheHeartbeatAck() {
        ConnectionTestSupport c = connectedNode();
        time().timePasses(Duration.ofSeconds(300));
        assertEquals(Payload.HeartbeatRequest.INSTANCE, sentAndHandled(c).payload());
        time().timePasses(Duration.ofSeconds(200));
        c.receive(npduFrom(OTHER, 1));
        c.parent.receiveMessage();
        time().timePasses(Duration.ofSeconds(100));
        c.expectClosed();
        c.expectDisconnected(ScConnectionState.DISCONNECTED_WITH_ERRORS);
    }

    @Test
    void heartbeatRequestFromThePeerIsAckedWithItsMessageId() {
        ConnectionTestSupport c = connectedNode();
        c.receive(BvlcMessage.of(0xBEEF, Payload.HeartbeatRequest.INSTANCE));
        assertEquals(BvlcMessage.of(0xBEEF, Payload.HeartbeatAck.INSTANCE), c.sent());
    }

    // -------------------------------------------------------------------------------------------- disconnect

    @Test
    void localDisconnectSendsDisconnectRequestAndClosesOnTheAck() {
        ConnectionTestSupport c = connectedNode();
        c.connection.tell(Connection.Disconnect.INSTANCE);
        BvlcMessage request = c.sent();
        assertEquals(Payload.DisconnectRequest.INSTANCE, request.payload());
        assertEquals(ConnectionPhase.DISCONNECTING, c.status().phase());
        c.receive(BvlcMessage.of(request.messageId(), Payload.DisconnectAck.INSTANCE));
        c.expectClosed();
        assertEquals(null, c.expectDisconnected(ScConnectionState.NOT_CONNECTED).error());
    }

    @Test
    void disconnectWaitExpiryCloses() {
        ConnectionTestSupport c = connectedNode();
        c.connection.tell(Connection.Disconnect.INSTANCE);
        assertEquals(Payload.DisconnectRequest.INSTANCE, sentAndHandled(c).payload());
        time().expectNoMessageFor(Duration.ofSeconds(9), c.parent, c.socket);
        time().timePasses(Duration.ofSeconds(1));
        c.expectClosed();
        c.expectDisconnected(ScConnectionState.NOT_CONNECTED);
    }

    @Test
    void nakForTheDisconnectRequestCloses() {
        ConnectionTestSupport c = connectedNode();
        c.connection.tell(Connection.Disconnect.INSTANCE);
        BvlcMessage request = c.sent();
        c.receive(BvlcMessage.of(request.messageId(), Payload.BvlcResult.nak(8, ErrorCode.OTHER, "")));
        c.expectClosed();
        c.expectDisconnected(ScConnectionState.NOT_CONNECTED);
    }

    @Test
    void resultsAreStillDeliveredWhileDisconnectingButNewRequestsAreIgnored() {
        ConnectionTestSupport c = connectedNode();
        c.connection.tell(Connection.Disconnect.INSTANCE);
        c.sent();
        BvlcMessage result = BvlcMessage.of(4, OTHER, null, Payload.BvlcResult.nak(1, ErrorCode.OTHER, "x"));
        c.receive(result);
        assertEquals(result, assertInstanceOf(ConnectionEvent.MessageReceived.class, c.parent.receiveMessage())
                .message());
        c.receive(npduFrom(OTHER, 5));
        c.parent.expectNoMessage(Duration.ofMillis(100));
        TestSends sends = new TestSends(kit);
        c.connection.tell(new Connection.Send(npduFrom(null, 1).withVmacs(null, OTHER), false, sends.ref()));
        assertEquals(SendResult.Reason.NOT_CONNECTED,
                assertInstanceOf(SendResult.Refused.class, sends.probe.receiveMessage()).reason());
    }

    @Test
    void webSocketClosedWhileDisconnectingEnds() {
        ConnectionTestSupport c = connectedNode();
        c.connection.tell(Connection.Disconnect.INSTANCE);
        c.sent();
        c.connection.tell(new Connection.SocketClosed(1000, ""));
        c.expectDisconnected(ScConnectionState.NOT_CONNECTED);
        c.socket.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void disconnectRequestFromThePeerIsAckedWithItsIdAndCloses() {
        ConnectionTestSupport c = connectedNode();
        c.receive(BvlcMessage.of(0x0102, Payload.DisconnectRequest.INSTANCE));
        assertEquals(BvlcMessage.of(0x0102, Payload.DisconnectAck.INSTANCE), c.sent());
        c.expectClosed();
        assertEquals(null, c.expectDisconnected(ScConnectionState.NOT_CONNECTED).error());
    }

    @Test
    void gracefulDisconnectFromTheAcceptingSide() {
        ConnectionTestSupport c = ConnectionTestSupport.acceptor(kit, LinkRole.HUB_FUNCTION);
        c.connectAsAcceptor();
        c.connection.tell(Connection.Disconnect.INSTANCE);
        BvlcMessage request = c.sent();
        assertEquals(Payload.DisconnectRequest.INSTANCE, request.payload());
        c.receive(BvlcMessage.of(request.messageId(), Payload.DisconnectAck.INSTANCE));
        c.expectClosed();
        c.expectDisconnected(ScConnectionState.NOT_CONNECTED);
    }

    @Test
    void unexpectedDisconnectAckCloses() {
        ConnectionTestSupport c = connectedNode();
        c.receive(BvlcMessage.of(3, Payload.DisconnectAck.INSTANCE));
        c.expectClosed();
        c.expectDisconnected(ScConnectionState.DISCONNECTED_WITH_ERRORS);
    }

    @Test
    void webSocketLostWhileConnectedIsDisconnectedWithErrors() {
        ConnectionTestSupport c = connectedNode();
        c.connection.tell(new Connection.SocketClosed(1006, ""));
        ConnectionEvent.Disconnected d = c.expectDisconnected(ScConnectionState.DISCONNECTED_WITH_ERRORS);
        assertEquals(ErrorCode.WEBSOCKET_CLOSED_ABNORMALLY, d.error().errorCode());
        assertEquals(PEER.vmac(), d.peerVmac());
        c.socket.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void webSocketClosedNormallyWhileConnectedIsNotConnected() {
        ConnectionTestSupport c = connectedNode();
        c.connection.tell(new Connection.SocketClosed(1000, "bye"));
        assertEquals(ErrorCode.WEBSOCKET_CLOSED_BY_PEER,
                c.expectDisconnected(ScConnectionState.NOT_CONNECTED).error().errorCode());
    }

    // -------------------------------------------------------------------------------------------- bad frames

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource({
        "truncated payload, 06 00 0042 0200000000, MESSAGE_INCOMPLETE",
        "unknown function, 1f 00 0042, BVLC_FUNCTION_UNKNOWN",
        "empty NPDU, 01 00 0042, PAYLOAD_EXPECTED",
        "heartbeat with payload, 0a 00 0042 00, UNEXPECTED_DATA",
        "data options on heartbeat, 0a 01 0042 01, INCONSISTENT_PARAMETERS",
        "reserved flag bits, 01 80 0042 01, PARAMETER_OUT_OF_RANGE",
        "secure path with data, 01 01 0042 21 0000 01, HEADER_ENCODING_ERROR",
        "VMAC on a direct link, 02 04 0042 020000000003, HEADER_ENCODING_ERROR",
        "unknown must-understand option, 02 02 0042 45, HEADER_NOT_UNDERSTOOD",
    })
    void malformedUnicastRequestOnADirectLinkIsNakedAndTheConnectionStaysUp(String name, String hex, String code) {
        ConnectionTestSupport c = connectedDirect();
        c.receive(Hex.parse(hex));
        BvlcMessage nak = c.sent();
        assertEquals(0x42, nak.messageId());
        Payload.BvlcResult r = assertInstanceOf(Payload.BvlcResult.class, nak.payload());
        assertTrue(r.isNak());
        assertEquals(ErrorCode.valueOf(code).code(), r.errorCode());
        assertEquals(null, nak.destination());
        c.parent.expectNoMessage(Duration.ofMillis(50));
        ConnectionStatus s = c.status();
        assertEquals(ConnectionPhase.CONNECTED, s.phase());
        assertEquals(1, s.counters().malformed());
        assertEquals(1, s.counters().naksSent());
        assertEquals(ErrorCode.valueOf(code), s.lastError().errorCode());
        // ... and still works.
        c.receive(BvlcMessage.of(7, Payload.HeartbeatRequest.INSTANCE));
        assertEquals(BvlcMessage.of(7, Payload.HeartbeatAck.INSTANCE), c.sent());
    }

    @Test
    void malformedResponsesAndBroadcastsAreDroppedSilently() {
        ConnectionTestSupport c = connectedNode();
        for (String hex : List.of("00 00 0001 01", "07 00 0001 00", "0b 00 0001 00",
                "01 0c 0001 020000000003 ffffffffffff", "00", "0c 08 0001 020000000003 00")) {
            c.receive(Hex.parse(hex));
        }
        c.socket.expectNoMessage(Duration.ofMillis(100));
        c.parent.expectNoMessage(Duration.ofMillis(10));
        assertEquals(6, c.status().counters().malformed());
    }

    @Test
    void aNakIsNeverAnsweredWithANak() {
        ConnectionTestSupport c = connectedDirect();
        // A NAK whose details contain NUL: malformed, but a response, so no NAK back (and not delivered).
        c.receive(Hex.parse("00 00 0009 01 01 00 0007 0091 00"));
        // A well-formed NAK for something we never sent is delivered, not answered.
        BvlcMessage nak = BvlcMessage.of(3, Payload.BvlcResult.nak(1, ErrorCode.OTHER, ""));
        c.receive(nak);
        // The parent gets the NAK, with its raw frame, as the next event: the malformed one before it was dropped.
        ConnectionEvent.MessageReceived r = assertInstanceOf(ConnectionEvent.MessageReceived.class,
                c.parent.receiveMessage());
        assertEquals(List.of(c.connection, nak, ConnectionTestSupport.encode(nak)), List.of(r.connection(),
                r.message(), r.frame()));
        // Neither was answered: the status is read after both frames were handled (the actor's order), so its
        // counters are final, whatever the speed: nothing sent since the Connect-Request, one malformed, no NAK.
        ConnectionStatus s = c.status();
        assertEquals(1, s.counters().framesSent(), "the Connect-Request only");
        assertEquals(0, s.counters().naksSent());
        assertEquals(1, s.counters().malformed());
        assertEquals(ConnectionPhase.CONNECTED, s.phase());
        c.socket.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void onAHubConnectionTheNakIsAddressedToTheSendersOriginatingVmac() {
        ConnectionTestSupport c = connectedNode();
        c.receive(Hex.parse("01 08 0033 020000000003"));
        BvlcMessage nak = c.sent();
        assertEquals(BvlcMessage.of(0x33, null, OTHER, new Payload.BvlcResult(1, Payload.ResultCode.NAK, 0, 7,
                ErrorCode.PAYLOAD_EXPECTED.code(), ((Payload.BvlcResult) nak.payload()).errorDetails())), nak);
    }

    @Test
    void nodeSideChecksMustUnderstandDestinationOptionsWithTheMarkerAsReceived() {
        ConnectionTestSupport c = connectedNode();
        c.receive(Hex.parse("01 0a 0034 020000000003 c4 02 0120"));
        BvlcMessage nak = c.sent();
        Payload.BvlcResult r = (Payload.BvlcResult) nak.payload();
        assertEquals(ErrorCode.HEADER_NOT_UNDERSTOOD.code(), r.errorCode());
        assertEquals(0xC4, r.errorHeaderMarker());
        assertEquals(OTHER, nak.destination());
    }

    @Test
    void nodeSideNaksAHubDeliveredUnicastThatStillCarriesADestination() {
        ConnectionTestSupport c = connectedNode();
        c.receive(BvlcMessage.of(0x35, OTHER, PEER.vmac(), new Payload.EncapsulatedNpdu(Hex.parse("01"))));
        assertEquals(ErrorCode.HEADER_ENCODING_ERROR.code(),
                ((Payload.BvlcResult) c.sent().payload()).errorCode());
    }

    @Test
    void framesLongerThanOurMaxBvlcAreDiscardedAndCounted() {
        ConnectionTestSupport c = connectedNode();
        byte[] npdu = new byte[1600];
        c.receive(BvlcMessage.of(1, OTHER, null, new Payload.EncapsulatedNpdu(ByteString.fromArray(npdu))));
        c.socket.expectNoMessage(Duration.ofMillis(100));
        c.parent.expectNoMessage(Duration.ofMillis(10));
        assertEquals(1, c.status().counters().oversizeDropped());
        assertEquals(ConnectionPhase.CONNECTED, c.status().phase());
    }

    // -------------------------------------------------------------------------------------------- delivery

    @Test
    void validMessagesAreReportedWithTheirRawFrame() {
        ConnectionTestSupport c = connectedNode();
        BvlcMessage m = npduFrom(OTHER, 0x99);
        c.receive(m);
        ConnectionEvent.MessageReceived r = assertInstanceOf(ConnectionEvent.MessageReceived.class,
                c.parent.receiveMessage());
        assertEquals(List.of(c.connection, m, ConnectionTestSupport.encode(m)), List.of(r.connection(), r.message(),
                r.frame()));
    }

    @Test
    void sendHandsTheFrameToTheSocketWhichAnswersTheCaller() {
        ConnectionTestSupport c = connectedNode();
        TestSends sends = new TestSends(kit);
        BvlcMessage m = BvlcMessage.of(0x10, null, OTHER, new Payload.EncapsulatedNpdu(Hex.parse("0120")));
        c.connection.tell(new Connection.Send(m, false, sends.ref()));
        // The socket gets the frame with the caller's reply-to: it answers once the frame is queued.
        assertEquals(new SocketCommand.SendFrame(ConnectionTestSupport.encode(m), sends.ref()),
                c.socket.receiveMessage());
    }

    @Test
    void sendLongerThanThePeersMaxBvlcIsRefusedWithAReason() {
        ConnectionTestSupport c = ConnectionTestSupport.initiator(kit, LinkRole.HUB_CONNECTOR);
        c.connectAsInitiator(100, 1497);
        TestSends sends = new TestSends(kit);
        c.connection.tell(new Connection.Send(BvlcMessage.of(1, null, OTHER,
                new Payload.EncapsulatedNpdu(ByteString.fromArray(new byte[100]))), false, sends.ref()));
        SendResult.Refused r = assertInstanceOf(SendResult.Refused.class, sends.probe.receiveMessage());
        assertEquals(SendResult.Reason.TOO_LONG_FOR_PEER, r.reason());
        assertTrue(r.details().contains("Max-BVLC of 100"), r.details());
        c.socket.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void sendOfAnNpduLongerThanThePeersMaxNpduIsRefused() {
        ConnectionTestSupport c = ConnectionTestSupport.initiator(kit, LinkRole.HUB_CONNECTOR);
        c.connectAsInitiator(1600, 50);
        TestSends sends = new TestSends(kit);
        c.connection.tell(new Connection.Send(BvlcMessage.of(1, null, OTHER,
                new Payload.EncapsulatedNpdu(ByteString.fromArray(new byte[51]))), false, sends.ref()));
        assertEquals(SendResult.Reason.TOO_LONG_FOR_PEER,
                assertInstanceOf(SendResult.Refused.class, sends.probe.receiveMessage()).reason());
    }

    @Test
    void sendWithVmacsThatBreakTheLinkRulesIsRefused() {
        ConnectionTestSupport c = connectedNode();
        TestSends sends = new TestSends(kit);
        c.connection.tell(new Connection.Send(npduFrom(OTHER, 1), false, sends.ref()));
        assertEquals(SendResult.Reason.NOT_ALLOWED,
                assertInstanceOf(SendResult.Refused.class, sends.probe.receiveMessage()).reason());
        c.connection.tell(new Connection.Send(BvlcMessage.of(1, Payload.HeartbeatRequest.INSTANCE), false,
                sends.ref()));
        assertEquals(SendResult.Reason.NOT_ALLOWED,
                assertInstanceOf(SendResult.Refused.class, sends.probe.receiveMessage()).reason());
    }

    @Test
    void sendBeforeTheHandshakeIsRefusedAsNotConnected() {
        ConnectionTestSupport c = ConnectionTestSupport.initiator(kit, LinkRole.HUB_CONNECTOR);
        TestSends sends = new TestSends(kit);
        c.connection.tell(new Connection.Send(npduFrom(null, 1).withVmacs(null, OTHER), false, sends.ref()));
        assertEquals(SendResult.Reason.NOT_CONNECTED,
                assertInstanceOf(SendResult.Refused.class, sends.probe.receiveMessage()).reason());
        assertEquals(1, c.status().counters().sendsRefused());
    }

    @Test
    void forwardedFramesLongerThanThePeersMaxBvlcAreDroppedAndCounted() {
        ConnectionTestSupport c = ConnectionTestSupport.acceptor(kit, LinkRole.HUB_FUNCTION);
        c.connectAsAcceptor();
        ByteString small = ConnectionTestSupport.encode(npduFrom(OTHER, 1));
        c.connection.tell(new Connection.Forward(small));
        assertEquals(new SocketCommand.SendFrame(small), c.socket.receiveMessage());
        c.connection.tell(new Connection.Forward(ByteString.fromArray(new byte[1601])));
        c.socket.expectNoMessage(Duration.ofMillis(50));
        ConnectionStatus s = c.status();
        assertEquals(1, s.counters().sendsRefused());
        assertNotNull(s.connectTimestamp());
    }

    @Test
    void stoppingTheActorClosesItsWebSocket() {
        ConnectionTestSupport c = connectedNode();
        kit.stop(c.connection);
        SocketCommand.Close close = assertInstanceOf(SocketCommand.Close.class, c.socket.receiveMessage());
        assertEquals(1001, close.code());
    }
}
