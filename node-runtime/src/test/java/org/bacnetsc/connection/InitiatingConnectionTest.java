package org.bacnetsc.connection;

import static org.bacnetsc.connection.ConnectionTestSupport.ME;
import static org.bacnetsc.connection.ConnectionTestSupport.PEER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The initiating peer's state machine, one test per row of the digest §9 table. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class InitiatingConnectionTest {

    @JUnit5TestKit
    ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(ManualTime.config()).build();

    private ConnectionTestSupport c() {
        return ConnectionTestSupport.initiator(kit, LinkRole.HUB_CONNECTOR);
    }

    private VirtualTime time() {
        return VirtualTime.of(kit);
    }

    @Test
    void idleStartOpensTheWebSocketAndAwaitsIt() {
        ConnectionTestSupport c = c();
        assertEquals(ConnectionPhase.IDLE, c.status().phase());
        c.connection.tell(Connection.Start.INSTANCE);
        assertEquals(c.connection, c.opener.receiveMessage());
        assertEquals(ConnectionPhase.AWAITING_WEBSOCKET, c.status().phase());
    }

    @Test
    void webSocketUpSendsConnectRequestAndAwaitsAccept() {
        ConnectionTestSupport c = c();
        c.startAndOpen();
        ConnectionStatus s = c.status();
        assertEquals(ConnectionPhase.AWAITING_ACCEPT, s.phase());
        assertEquals(ConnectionTestSupport.PEER_ADDRESS, s.peerAddress());
    }

    @Test
    void webSocketErrorWhileAwaitingWebSocketFailsToConnectWithItsCode() {
        ConnectionTestSupport c = c();
        c.connection.tell(Connection.Start.INSTANCE);
        c.opener.receiveMessage();
        c.connection.tell(new Connection.SocketFailed(ErrorCode.TCP_CONNECTION_REFUSED, "refused"));
        ConnectionEvent.Disconnected d = c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
        assertEquals(ConnectionError.communication(ErrorCode.TCP_CONNECTION_REFUSED, "refused"), d.error());
    }

    @Test
    void connectWaitExpiryWhileAwaitingWebSocketFailsToConnect() {
        ConnectionTestSupport c = c();
        c.connection.tell(Connection.Start.INSTANCE);
        c.opener.receiveMessage();
        time().expectNoMessageFor(Duration.ofSeconds(9), c.parent);
        time().timePasses(Duration.ofSeconds(1));
        ConnectionEvent.Disconnected d = c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
        assertEquals(ErrorCode.TIMEOUT, d.error().errorCode());
    }

    @Test
    void connectAcceptWithMatchingIdConnectsAndStoresThePeer() {
        ConnectionTestSupport c = c();
        c.connectAsInitiator(6000, 1497);
        ConnectionStatus s = c.status();
        assertEquals(ConnectionPhase.CONNECTED, s.phase());
        assertEquals(PEER.vmac(), s.peerVmac());
        assertEquals(PEER.deviceUuid(), s.peerUuid());
        assertEquals(6000, s.peerMaxBvlcLength());
        assertNotNull(s.connectTimestamp());
    }

    @Test
    void connectAcceptWithAnotherMessageIdIsDiscarded() {
        ConnectionTestSupport c = c();
        int id = c.startAndOpen();
        c.receive(BvlcMessage.of((id + 1) & 0xFFFF, new Payload.ConnectAccept(PEER.vmac(), PEER.deviceUuid(), 1600,
                1497)));
        c.parent.expectNoMessage(Duration.ofMillis(100));
        assertEquals(ConnectionPhase.AWAITING_ACCEPT, c.status().phase());
        assertEquals(1, c.status().counters().unexpected());
    }

    @Test
    void nakNodeDuplicateVmacClosesAndReportsTheDuplicate() {
        ConnectionTestSupport c = c();
        int id = c.startAndOpen();
        c.receive(BvlcMessage.of(id, Payload.BvlcResult.nak(6, ErrorCode.NODE_DUPLICATE_VMAC, "in use")));
        c.parent.expectMessage(new ConnectionEvent.DuplicateVmac(c.connection, ME.vmac()));
        c.expectClosed();
        ConnectionEvent.Disconnected d = c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
        assertEquals(ErrorCode.NODE_DUPLICATE_VMAC, d.error().errorCode());
    }

    @Test
    void duplicateVmacNakInTheFieldsDeviantNumberingsIsStillADuplicate() {
        for (int deviant : new int[] {0x9700, 113}) {
            ConnectionTestSupport c = c();
            int id = c.startAndOpen();
            c.receive(BvlcMessage.of(id, new Payload.BvlcResult(6, Payload.ResultCode.NAK, 0, 7, deviant, "")));
            c.parent.expectMessage(new ConnectionEvent.DuplicateVmac(c.connection, ME.vmac()));
            c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
        }
    }

    @Test
    void nakWithAnotherMessageIdIsDiscarded() {
        ConnectionTestSupport c = c();
        int id = c.startAndOpen();
        c.receive(BvlcMessage.of((id + 5) & 0xFFFF, Payload.BvlcResult.nak(6, ErrorCode.NODE_DUPLICATE_VMAC, "")));
        c.parent.expectNoMessage(Duration.ofMillis(100));
        assertEquals(ConnectionPhase.AWAITING_ACCEPT, c.status().phase());
    }

    @Test
    void otherNakClosesAndKeepsTheError() {
        ConnectionTestSupport c = c();
        int id = c.startAndOpen();
        c.receive(BvlcMessage.of(id, Payload.BvlcResult.nak(6, ErrorCode.NOT_A_BACNET_SC_HUB, "no hub here")));
        c.expectClosed();
        ConnectionEvent.Disconnected d = c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
        assertEquals(ErrorCode.NOT_A_BACNET_SC_HUB, d.error().errorCode());
    }

    @Test
    void connectWaitExpiryWhileAwaitingAcceptCloses() {
        ConnectionTestSupport c = c();
        c.startAndOpen();
        time().expectNoMessageFor(Duration.ofSeconds(9), c.parent);
        time().timePasses(Duration.ofSeconds(1));
        c.expectClosed();
        assertEquals(ErrorCode.TIMEOUT, c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT).error()
                .errorCode());
    }

    @Test
    void webSocketClosedWhileAwaitingAcceptFailsToConnect() {
        ConnectionTestSupport c = c();
        c.startAndOpen();
        c.connection.tell(new Connection.SocketClosed(1011, "busy"));
        ConnectionEvent.Disconnected d = c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
        assertEquals(ErrorCode.WEBSOCKET_REQUEST_UNAVAILABLE, d.error().errorCode());
        c.socket.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void disconnectRequestWhileAwaitingAcceptIsAckedAndCloses() {
        ConnectionTestSupport c = c();
        c.startAndOpen();
        c.receive(BvlcMessage.of(0x55, Payload.DisconnectRequest.INSTANCE));
        assertEquals(BvlcMessage.of(0x55, Payload.DisconnectAck.INSTANCE), c.sent());
        c.expectClosed();
        c.expectDisconnected(ScConnectionState.FAILED_TO_CONNECT);
    }

    @Test
    void anythingElseWhileAwaitingAcceptIsDiscarded() {
        ConnectionTestSupport c = c();
        int id = c.startAndOpen();
        c.receive(BvlcMessage.of(1, PEER.vmac(), null, new Payload.EncapsulatedNpdu(
                org.bacnetsc.codec.Hex.parse("01"))));
        c.receive(BvlcMessage.of(2, Payload.HeartbeatRequest.INSTANCE));
        c.parent.expectNoMessage(Duration.ofMillis(100));
        c.socket.expectNoMessage(Duration.ofMillis(10));
        c.receive(BvlcMessage.of(id, new Payload.ConnectAccept(PEER.vmac(), PEER.deviceUuid(), 1600, 1497)));
        c.parent.expectMessage(new ConnectionEvent.Connected(c.connection, PEER.vmac(), PEER.deviceUuid(), 1600,
                1497));
    }

    @Test
    void localDisconnectBeforeTheHandshakeEndsWithoutError() {
        ConnectionTestSupport c = c();
        c.startAndOpen();
        c.connection.tell(Connection.Disconnect.INSTANCE);
        c.expectClosed();
        assertEquals(null, c.expectDisconnected(ScConnectionState.NOT_CONNECTED).error());
    }

    @Test
    void messageIdsComeFromAWrappingCounter() {
        ConnectionTestSupport c = c();
        int id = c.startAndOpen();
        c.receive(BvlcMessage.of(id, new Payload.ConnectAccept(PEER.vmac(), PEER.deviceUuid(), 1600, 1497)));
        c.parent.receiveMessage();
        TestSends sends = new TestSends(kit);
        int previous = id;
        for (int i = 0; i < 3; i++) {
            c.connection.tell(new Connection.Send(BvlcMessage.of(0, null, PEER.vmac(),
                    Payload.AddressResolution.INSTANCE), true, sends.ref()));
            int next = c.sent().messageId();
            assertEquals((previous + 1) & 0xFFFF, next);
            previous = next;
        }
    }
}
