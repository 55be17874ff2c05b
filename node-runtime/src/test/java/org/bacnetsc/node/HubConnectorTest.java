package org.bacnetsc.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URI;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.connection.SocketCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hub connector's rounds, backoff and primary probing, with ManualTime and scripted sockets. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class HubConnectorTest {

    static final URI PRIMARY = URI.create("wss://primary.invalid:4443/hub");
    static final URI FAILOVER = URI.create("wss://failover.invalid:4443/hub");
    static final LocalIdentity ME = new LocalIdentity(Vmac.parse("02:00:00:00:00:01"), DeviceUuid.random());

    @JUnit5TestKit
    ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(ManualTime.config()).build();

    /** An attempt to open a socket to a URI; the test answers it. */
    record Attempt(URI uri, ActorRef<Connection.Command> connection) {
    }

    private final TestProbe<Attempt> attempts = kit.createTestProbe();
    private final TestProbe<HubConnector.Event> events = kit.createTestProbe();

    private ActorRef<HubConnector.Command> connector(URI failover) {
        HubConnector.Settings settings = new HubConnector.Settings(PRIMARY, failover, Duration.ofSeconds(2),
                Duration.ofSeconds(10), ConnectionSettings.defaults());
        return kit.spawn(HubConnector.create(settings, ME, events.ref(),
                uri -> connection -> attempts.ref().tell(new Attempt(uri, connection))));
    }

    private ManualTime time() {
        return ManualTime.get(kit.system());
    }

    private void fail(Attempt a) {
        a.connection().tell(new Connection.SocketFailed(ErrorCode.TCP_CONNECTION_REFUSED, "refused"));
    }

    /** Accepts the attempt as a hub would. */
    private TestProbe<SocketCommand> accept(Attempt a) {
        TestProbe<SocketCommand> socket = kit.createTestProbe();
        a.connection().tell(new Connection.SocketOpened(socket.ref(), a.uri().getHost(), null));
        SocketCommand.SendFrame f = assertInstanceOf(SocketCommand.SendFrame.class, socket.receiveMessage());
        BvlcMessage request = (BvlcMessage) BvlcCodec.decode(f.frame());
        a.connection().tell(new Connection.FrameReceived(BvlcCodec.encode(BvlcMessage.of(request.messageId(),
                new Payload.ConnectAccept(Vmac.parse("02:ff:00:00:00:01"), DeviceUuid.random(), 1600, 1497)))));
        return socket;
    }

    @Test
    void primaryThenFailoverThenTheDelayDoublesUpToTheMaximum() {
        connector(FAILOVER);
        long[] expectedWaits = {2, 4, 8, 10, 10};
        for (long wait : expectedWaits) {
            Attempt p = attempts.receiveMessage();
            assertEquals(PRIMARY, p.uri());
            fail(p);
            Attempt f = attempts.receiveMessage();
            assertEquals(FAILOVER, f.uri());
            fail(f);
            time().expectNoMessageFor(Duration.ofSeconds(wait).minusMillis(10), attempts);
            time().timePasses(Duration.ofMillis(10));
        }
        assertEquals(PRIMARY, attempts.receiveMessage().uri());
    }

    @Test
    void onTheFailoverThePrimaryIsProbedAndTrafficMovesBackWhenItAnswers() {
        ActorRef<HubConnector.Command> c = connector(FAILOVER);
        fail(attempts.receiveMessage());
        TestProbe<SocketCommand> failoverSocket = accept(attempts.receiveMessage());
        events.expectMessage(new HubConnector.StateChanged(2));
        // First probe after the minimum delay fails; the next comes after twice that.
        time().timePasses(Duration.ofSeconds(2));
        Attempt probe1 = attempts.receiveMessage();
        assertEquals(PRIMARY, probe1.uri());
        fail(probe1);
        time().expectNoMessageFor(Duration.ofMillis(3990), attempts);
        time().timePasses(Duration.ofMillis(10));
        Attempt probe2 = attempts.receiveMessage();
        accept(probe2);
        events.expectMessage(new HubConnector.StateChanged(1));
        // The failover is disconnected gracefully.
        SocketCommand.SendFrame dr = assertInstanceOf(SocketCommand.SendFrame.class, failoverSocket.receiveMessage());
        assertEquals(Payload.DisconnectRequest.INSTANCE, ((BvlcMessage) BvlcCodec.decode(dr.frame())).payload());
        TestProbe<HubConnector.Status> status = kit.createTestProbe();
        c.tell(new HubConnector.GetStatus(status.ref()));
        HubConnector.Status s = status.receiveMessage();
        assertEquals(1, s.hubConnectorState());
        assertEquals(ScConnectionState.CONNECTED, s.primary().state());
        assertEquals(ScConnectionState.NOT_CONNECTED, s.failover().state());
    }

    @Test
    void losingThePrimaryRetriesThePrimaryFirst() {
        connector(FAILOVER);
        Attempt first = attempts.receiveMessage();
        accept(first);
        events.expectMessage(new HubConnector.StateChanged(1));
        first.connection().tell(new Connection.SocketClosed(1006, "gone"));
        events.expectMessage(new HubConnector.StateChanged(0));
        assertEquals(PRIMARY, attempts.receiveMessage().uri());
    }

    @Test
    void withoutAFailoverEachRoundIsThePrimaryAlone() {
        ActorRef<HubConnector.Command> c = connector(null);
        fail(attempts.receiveMessage());
        time().expectNoMessageFor(Duration.ofMillis(1990), attempts);
        time().timePasses(Duration.ofMillis(10));
        Attempt again = attempts.receiveMessage();
        assertEquals(PRIMARY, again.uri());
        fail(again);
        TestProbe<HubConnector.Status> status = kit.createTestProbe();
        c.tell(new HubConnector.GetStatus(status.ref()));
        HubConnector.Status s = status.receiveMessage();
        assertEquals(0, s.hubConnectorState());
        assertEquals(ScConnectionState.FAILED_TO_CONNECT, s.primary().state());
        assertEquals(ErrorCode.TCP_CONNECTION_REFUSED, s.primary().error().errorCode());
    }
}
