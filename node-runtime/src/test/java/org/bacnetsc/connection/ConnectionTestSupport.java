package org.bacnetsc.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;

/** One connection under test with probes for its parent, its socket and its opener. */
final class ConnectionTestSupport {

    static final LocalIdentity ME = new LocalIdentity(Vmac.parse("02:00:00:00:00:01"),
            DeviceUuid.parse("11111111-1111-4111-8111-111111111111"));
    static final LocalIdentity PEER = new LocalIdentity(Vmac.parse("02:00:00:00:00:02"),
            DeviceUuid.parse("22222222-2222-4222-8222-222222222222"));
    static final Vmac OTHER = Vmac.parse("02:00:00:00:00:03");
    static final ConnectionSettings SETTINGS = ConnectionSettings.defaults();
    static final String PEER_ADDRESS = "127.0.0.1:47808";

    final TestProbe<ConnectionEvent> parent;
    /** The {@link ConnectionEvent.Heartbeat}s the parent got (kept apart from {@link #parent}). */
    final TestProbe<ConnectionEvent> heartbeats;
    final TestProbe<SocketCommand> socket;
    final TestProbe<ActorRef<Connection.Command>> opener;
    final ActorRef<Connection.Command> connection;
    final ActorTestKit kit;
    /** What the connection installed on its socket as the inbound shortcut (null: none). */
    final java.util.concurrent.atomic.AtomicReference<InboundShortcut> installed =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** The sink of the last Connected event. */
    FrameSink connectedSink;

    private ConnectionTestSupport(ActorTestKit kit, ActorRef<Connection.Command> connection,
                                  TestProbe<ConnectionEvent> parent, TestProbe<ConnectionEvent> heartbeats,
                                  TestProbe<SocketCommand> socket, TestProbe<ActorRef<Connection.Command>> opener) {
        this.kit = kit;
        this.connection = connection;
        this.parent = parent;
        this.heartbeats = heartbeats;
        this.socket = socket;
        this.opener = opener;
    }

    static ConnectionTestSupport initiator(ActorTestKit kit, LinkRole role) {
        return initiator(kit, role, SETTINGS);
    }

    static ConnectionTestSupport initiator(ActorTestKit kit, LinkRole role, ConnectionSettings settings) {
        TestProbe<ConnectionEvent> parent = kit.createTestProbe();
        TestProbe<ConnectionEvent> heartbeats = kit.createTestProbe();
        TestProbe<ActorRef<Connection.Command>> opener = kit.createTestProbe();
        ActorRef<Connection.Command> c = kit.spawn(Connection.initiating(role, ME, settings,
                TakingParent.of(kit, parent.ref(), heartbeats.ref()), ref -> opener.ref().tell(ref),
                VirtualTime.of(kit).nanos()));
        return new ConnectionTestSupport(kit, c, parent, heartbeats, kit.createTestProbe(), opener);
    }

    static ConnectionTestSupport acceptor(ActorTestKit kit, LinkRole role) {
        TestProbe<ConnectionEvent> parent = kit.createTestProbe();
        TestProbe<ConnectionEvent> heartbeats = kit.createTestProbe();
        ActorRef<Connection.Command> c = kit.spawn(Connection.accepting(role, ME, SETTINGS,
                TakingParent.of(kit, parent.ref(), heartbeats.ref()), true, VirtualTime.of(kit).nanos()));
        return new ConnectionTestSupport(kit, c, parent, heartbeats, kit.createTestProbe(), null);
    }

    /** The next heartbeat event: a Heartbeat-Request of this connection (the acceptor's: a probe) sent or answered. */
    void expectHeartbeatEvent(boolean probe, boolean answered) {
        heartbeats.expectMessage(new ConnectionEvent.Heartbeat(connection, probe, answered));
    }

    static ByteString encode(BvlcMessage m) {
        return BvlcCodec.encode(m);
    }

    /** The next frame the connection sent, decoded. */
    BvlcMessage sent() {
        SocketCommand c = socket.receiveMessage();
        SocketCommand.SendFrame f = assertInstanceOf(SocketCommand.SendFrame.class, c, "expected a frame");
        return assertInstanceOf(BvlcMessage.class, BvlcCodec.decode(f.frame()));
    }

    void receive(BvlcMessage m) {
        receive(encode(m));
    }

    /**
     * Tells the frame and returns once it is handled: its inbound credit comes back from the connection, or from the
     * parent that took it. Time moved afterwards is after the frame, as on a real socket.
     */
    void receive(ByteString frame) {
        java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(1);
        connection.tell(new Connection.FrameReceived(frame, handled::countDown));
        try {
            // bounds a hang only: a busy machine may take long, the frame's handling is what is waited for
            if (!handled.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("the connection did not handle the frame within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    void open() {
        connection.tell(new Connection.SocketOpened(socket.ref(), PEER_ADDRESS, null, new FrameSink() {
            @Override
            public Offer offer(ByteString frame) {
                socket.ref().tell(new SocketCommand.SendFrame(frame));
                return Offer.QUEUED;
            }

            @Override
            public void shortcut(InboundShortcut s) {
                installed.set(s);
            }
        }));
    }

    /** Initiator: Start, WebSocket up; returns the Connect-Request's Message ID. */
    int startAndOpen() {
        connection.tell(Connection.Start.INSTANCE);
        assertEquals(connection, opener.receiveMessage());
        open();
        BvlcMessage request = sent();
        assertEquals(new Payload.ConnectRequest(ME.vmac(), ME.deviceUuid(), 1600, 1497), request.payload());
        return request.messageId();
    }

    /** Initiator: all the way to CONNECTED with a peer accepting 1600/1497. */
    void connectAsInitiator() {
        connectAsInitiator(1600, 1497);
    }

    void connectAsInitiator(int peerMaxBvlc, int peerMaxNpdu) {
        int id = startAndOpen();
        receive(BvlcMessage.of(id, new Payload.ConnectAccept(PEER.vmac(), PEER.deviceUuid(), peerMaxBvlc,
                peerMaxNpdu)));
        parent.expectMessage(new ConnectionEvent.Connected(connection, PEER.vmac(), PEER.deviceUuid(), peerMaxBvlc,
                peerMaxNpdu));
    }

    /** Acceptor: WebSocket accepted, Connect-Request from PEER, admitted; returns the request's ID. */
    int connectAsAcceptor() {
        open();
        int id = 0x0777;
        receive(BvlcMessage.of(id, new Payload.ConnectRequest(PEER.vmac(), PEER.deviceUuid(), 1600, 1497)));
        parent.expectMessage(new ConnectionEvent.AdmissionRequested(connection, PEER.vmac(), PEER.deviceUuid(),
                1600, 1497));
        connection.tell(Connection.Admit.INSTANCE);
        connectedSink = parent.expectMessage(new ConnectionEvent.Connected(connection, PEER.vmac(), PEER.deviceUuid(),
                1600, 1497)).sink();
        assertEquals(BvlcMessage.of(id, new Payload.ConnectAccept(ME.vmac(), ME.deviceUuid(), 1600, 1497)), sent());
        return id;
    }

    ConnectionStatus status() {
        TestProbe<ConnectionStatus> probe = kit.createTestProbe();
        connection.tell(new Connection.GetStatus(probe.ref()));
        return probe.receiveMessage();
    }

    void expectClosed() {
        SocketCommand.Close close = assertInstanceOf(SocketCommand.Close.class, socket.receiveMessage());
        assertEquals(1000, close.code());
    }

    ConnectionEvent.Disconnected expectDisconnected(ScConnectionState state) {
        ConnectionEvent.Disconnected d = assertInstanceOf(ConnectionEvent.Disconnected.class,
                parent.receiveMessage());
        assertEquals(state, d.state(), String.valueOf(d.error()));
        assertEquals(connection, d.connection());
        parent.expectTerminated(connection, Duration.ofSeconds(30));
        return d;
    }
}
