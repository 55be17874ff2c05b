package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.connection.SocketCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Admission and routing rules of the hub function, with TestProbes as the nodes' WebSockets. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class HubTest {

    static final LocalIdentity HOST = new LocalIdentity(Vmac.parse("02:ff:00:00:00:01"),
            DeviceUuid.parse("ffffffff-0000-4000-8000-000000000001"));
    static final Vmac A = Vmac.parse("02:00:00:00:00:0a");
    static final Vmac B = Vmac.parse("02:00:00:00:00:0b");
    static final Vmac C = Vmac.parse("02:00:00:00:00:0c");

    @JUnit5TestKit
    ActorTestKit kit = new JUnit5TestKitBuilder().build();

    private ActorRef<Hub.Command> hub(int maxConnections) {
        return kit.spawn(Hub.create(new HubSettings("127.0.0.1", 0, maxConnections, true, 6000, 1497, 10, HOST),
                ConnectionSettings.defaults()));
    }

    /** One node's connection as the hub sees it, with a probe as its WebSocket. */
    private final class Node {
        final ActorRef<Connection.Command> connection;
        final TestProbe<SocketCommand> socket = kit.createTestProbe();
        final Vmac vmac;
        final DeviceUuid uuid;

        Node(ActorRef<Hub.Command> hub, Vmac vmac, DeviceUuid uuid) {
            this.vmac = vmac;
            this.uuid = uuid;
            TestProbe<Optional<ActorRef<Connection.Command>>> reply = kit.createTestProbe();
            hub.tell(new Hub.Accept("127.0.0.1:" + (40000 + (vmac.bits() & 0xFF)), null, reply.ref()));
            this.connection = reply.receiveMessage().orElseThrow();
            connection.tell(new Connection.SocketOpened(socket.ref(), "127.0.0.1:40000", null));
        }

        BvlcMessage request(int maxBvlc) {
            connection.tell(new Connection.FrameReceived(BvlcCodec.encode(BvlcMessage.of(0x0100,
                    new Payload.ConnectRequest(vmac, uuid, maxBvlc, 1497)))));
            return next();
        }

        Node connected() {
            return connected(1600);
        }

        Node connected(int maxBvlc) {
            assertEquals(BvlcMessage.of(0x0100, new Payload.ConnectAccept(HOST.vmac(), HOST.deviceUuid(), 6000,
                    1497)), request(maxBvlc));
            return this;
        }

        void send(BvlcMessage m) {
            send(BvlcCodec.encode(m));
        }

        void send(ByteString frame) {
            connection.tell(new Connection.FrameReceived(frame));
        }

        BvlcMessage next() {
            SocketCommand c = socket.receiveMessage(Duration.ofSeconds(3));
            return assertInstanceOf(BvlcMessage.class,
                    BvlcCodec.decode(assertInstanceOf(SocketCommand.SendFrame.class, c).frame()));
        }

        void expectNothing() {
            socket.expectNoMessage(Duration.ofMillis(150));
        }
    }

    private Node node(ActorRef<Hub.Command> hub, Vmac vmac) {
        return new Node(hub, vmac, DeviceUuid.random()).connected();
    }

    private static BvlcMessage npdu(int id, Vmac orig, Vmac dest, String hex) {
        return BvlcMessage.of(id, orig, dest, new Payload.EncapsulatedNpdu(Hex.parse(hex)));
    }

    private HubStatus status(ActorRef<Hub.Command> hub) {
        TestProbe<HubStatus> probe = kit.createTestProbe();
        hub.tell(new Hub.GetStatus(probe.ref()));
        return probe.receiveMessage();
    }

    /** The status once it satisfies {@code condition} (events reach the hub asynchronously). */
    private HubStatus eventually(ActorRef<Hub.Command> hub, java.util.function.Predicate<HubStatus> condition) {
        TestProbe<HubStatus> probe = kit.createTestProbe();
        return probe.awaitAssert(() -> {
            HubStatus s = status(hub);
            assertTrue(condition.test(s), s.toString());
            return s;
        });
    }

    @Test
    void aNewNodeIsAcceptedWithTheHostingNodesIdentityAndListedInStatus() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        HubStatus s = status(hub);
        assertEquals(1, s.connections().size());
        HubStatus.Connection c = s.connections().get(0);
        assertEquals(ScConnectionState.CONNECTED, c.state());
        assertEquals(A, c.vmac());
        assertEquals(a.uuid, c.uuid());
        assertTrue(c.peerAddress().startsWith("127.0.0.1:"));
        assertEquals(1, s.counters().accepted());
    }

    @Test
    void duplicateVmacFromNewUuidIsNakedWith151AndRecordedAsAFailedRequest() {
        ActorRef<Hub.Command> hub = hub(10);
        node(hub, A);
        Node intruder = new Node(hub, A, DeviceUuid.random());
        BvlcMessage nak = intruder.request(1600);
        assertEquals(0x0100, nak.messageId());
        Payload.BvlcResult r = (Payload.BvlcResult) nak.payload();
        assertEquals(6, r.resultFor());
        assertEquals(ErrorCode.NODE_DUPLICATE_VMAC.code(), r.errorCode());
        assertInstanceOf(SocketCommand.Close.class, intruder.socket.receiveMessage());
        HubStatus s = eventually(hub, st -> st.failedRequests().size() == 1);
        assertEquals(1, s.counters().duplicateVmac());
        assertEquals(1, s.failedRequests().size());
        assertEquals(A, s.failedRequests().get(0).vmac());
        assertEquals(intruder.uuid, s.failedRequests().get(0).uuid());
        assertEquals(ErrorCode.NODE_DUPLICATE_VMAC, s.failedRequests().get(0).error().errorCode());
    }

    @Test
    void theSameUuidReconnectingIsAcceptedAndItsOldConnectionDisconnected() {
        ActorRef<Hub.Command> hub = hub(10);
        Node old = node(hub, A);
        Node again = new Node(hub, A, old.uuid).connected();
        assertEquals(Payload.DisconnectRequest.INSTANCE, old.next().payload());
        // Traffic for A now goes to the new connection.
        Node b = node(hub, B);
        b.send(npdu(7, null, A, "01"));
        assertEquals(npdu(7, B, null, "01"), again.next());
        assertEquals(1, status(hub).counters().replaced());
    }

    @Test
    void theSameUuidWithAnotherVmacReplacesTheOldEntry() {
        ActorRef<Hub.Command> hub = hub(10);
        Node old = node(hub, A);
        Node moved = new Node(hub, C, old.uuid).connected();
        assertEquals(Payload.DisconnectRequest.INSTANCE, old.next().payload());
        Node b = node(hub, B);
        b.send(npdu(8, null, C, "01"));
        assertEquals(npdu(8, B, null, "01"), moved.next());
    }

    @Test
    void connectionsBeyondMaxConnectionsAreRefusedAndCounted() {
        ActorRef<Hub.Command> hub = hub(2);
        node(hub, A);
        node(hub, B);
        TestProbe<Optional<ActorRef<Connection.Command>>> reply = kit.createTestProbe();
        hub.tell(new Hub.Accept("127.0.0.1:1", null, reply.ref()));
        assertEquals(Optional.empty(), reply.receiveMessage());
        assertEquals(1, status(hub).counters().refusedCapacity());
    }

    @Test
    void unicastGoesToTheDestinationWithOriginatingSetAndIdOptionsPayloadUnchanged() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        Node b = node(hub, B);
        Node c = node(hub, C);
        BvlcMessage sent = new BvlcMessage(0xBEEF, null, B,
                List.of(new HeaderOption.Proprietary(false, 555, 1, Hex.parse("aabb"))),
                List.of(HeaderOption.SecurePath.INSTANCE), new Payload.EncapsulatedNpdu(Hex.parse("0120ffff")));
        a.send(sent);
        assertEquals(sent.withVmacs(A, null), b.next());
        a.expectNothing();
        c.expectNothing();
        assertEquals(1, status(hub).counters().unicastRouted());
    }

    @Test
    void broadcastReachesEveryOtherConnectedNodeButNeverTheSender() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        Node b = node(hub, B);
        Node c = node(hub, C);
        a.send(npdu(9, null, Vmac.BROADCAST, "0100"));
        assertEquals(npdu(9, A, Vmac.BROADCAST, "0100"), b.next());
        assertEquals(npdu(9, A, Vmac.BROADCAST, "0100"), c.next());
        a.expectNothing();
        HubStatus.Counters counters = status(hub).counters();
        assertEquals(1, counters.broadcastRouted());
        assertEquals(2, counters.deliveries());
    }

    @Test
    void aRecipientThatStartedDisconnectingGetsNoRoutedFramesAndTheDropIsCounted() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        Node b = node(hub, B);
        b.connection.tell(Connection.Disconnect.INSTANCE);
        assertEquals(Payload.DisconnectRequest.INSTANCE, b.next().payload());
        a.send(npdu(12, null, B, "01"));
        a.send(npdu(13, null, Vmac.BROADCAST, "01"));
        b.expectNothing();
        HubStatus s = eventually(hub, x -> x.counters().droppedRecipientGone() == 2);
        assertEquals(0, s.counters().deliveries());
    }

    @Test
    void unicastForAnUnknownVmacIsDroppedSilentlyAndCounted() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        a.send(npdu(10, null, C, "01"));
        a.expectNothing();
        eventually(hub, s -> s.counters().droppedUnknownVmac() == 1);
    }

    @Test
    void eachRecipientsMaxBvlcIsHonoured() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        Node small = new Node(hub, B, DeviceUuid.random()).connected(100);
        Node big = node(hub, C);
        BvlcMessage m = npdu(11, null, Vmac.BROADCAST, Hex.format(ByteString.fromArray(new byte[120])));
        a.send(m);
        assertEquals(m.withVmacs(A, Vmac.BROADCAST), big.next());
        small.expectNothing();
        eventually(hub, s -> s.counters().droppedOversize() == 1);
    }

    @Test
    void connectionScopedFunctionsAreAnsweredByTheConnectionAndNeverForwarded() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        Node b = node(hub, B);
        a.send(BvlcMessage.of(12, Payload.HeartbeatRequest.INSTANCE));
        assertEquals(BvlcMessage.of(12, Payload.HeartbeatAck.INSTANCE), a.next());
        b.expectNothing();
    }

    @Test
    void aHubBoundUnicastWithoutDestinationIsNakedWithHeaderEncodingError() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        Node b = node(hub, B);
        a.send(npdu(13, null, null, "01"));
        BvlcMessage nak = a.next();
        assertEquals(ErrorCode.HEADER_ENCODING_ERROR.code(), ((Payload.BvlcResult) nak.payload()).errorCode());
        assertEquals(null, nak.destination());
        b.expectNothing();
    }

    @Test
    void anOriginatingVmacEqualToTheSendersOwnIsAcceptedAndForwardedCorrectly() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        Node b = node(hub, B);
        a.send(npdu(14, A, B, "0120"));
        assertEquals(npdu(14, A, null, "0120"), b.next());
        a.send(npdu(15, A, Vmac.BROADCAST, "0120"));
        assertEquals(npdu(15, A, Vmac.BROADCAST, "0120"), b.next());
    }

    @Test
    void anOriginatingVmacOfAnotherNodeIsNaked() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        Node b = node(hub, B);
        a.send(npdu(16, C, B, "0120"));
        assertEquals(ErrorCode.HEADER_ENCODING_ERROR.code(),
                ((Payload.BvlcResult) a.next().payload()).errorCode());
        b.expectNothing();
    }

    @Test
    void aClosedNodesVmacIsFreedForReuseByAnotherDevice() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        a.connection.tell(new Connection.SocketClosed(1006, "killed"));
        eventually(hub, s -> s.connections().get(0).state() == ScConnectionState.DISCONNECTED_WITH_ERRORS);
        Node successor = node(hub, A);
        Node b = node(hub, B);
        b.send(npdu(17, null, A, "01"));
        assertEquals(npdu(17, B, null, "01"), successor.next());
    }

    @Test
    void shutdownDisconnectsEveryNodeGracefully() {
        ActorRef<Hub.Command> hub = hub(10);
        Node a = node(hub, A);
        Node b = node(hub, B);
        TestProbe<Done> done = kit.createTestProbe();
        hub.tell(new Hub.Shutdown(done.ref()));
        for (Node n : List.of(a, b)) {
            BvlcMessage request = n.next();
            assertEquals(Payload.DisconnectRequest.INSTANCE, request.payload());
            n.send(BvlcMessage.of(request.messageId(), Payload.DisconnectAck.INSTANCE));
        }
        done.expectMessage(Duration.ofSeconds(5), Done.getInstance());
        done.expectTerminated(hub, Duration.ofSeconds(5));
    }
}
