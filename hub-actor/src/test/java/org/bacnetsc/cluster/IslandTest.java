package org.bacnetsc.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.TakingParent;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TransportCounters;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsClient;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No islands (issue 15): a clustered hub member admits nodes only while it is Up in the cluster. A member that no
 * seed node has admitted refuses the upgrade with 503, counts it and says why; once it is Up it admits.
 */
class IslandTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ActorTestKit MEMBER = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, ClusterTestConfig.MEMBER);
    static final ActorTestKit NODES = ActorTestKit.create("island-nodes");

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        NODES.shutdownTestKit();
        MEMBER.shutdownTestKit();
    }

    private ConnectionEvent.Disconnected orConnected(ScHub hub, DevPki pki, TestProbe<ConnectionEvent> events) {
        ActorRef<Connection.Command> c = NODES.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                new LocalIdentity(Vmac.parse("02:00:00:00:15:01"), DeviceUuid.random()), ConnectionSettings.defaults(),
                TakingParent.of(NODES, events.ref()), WsClient.opener(NODES.system(), hub.uri(),
                        WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1), Duration.ofSeconds(5), 1600,
                        TransportSettings.defaults(), new TransportCounters())));
        c.tell(Connection.Start.INSTANCE);
        ConnectionEvent e = events.receiveMessage(WAIT);
        return e instanceof ConnectionEvent.Disconnected d ? d : null;
    }

    @Test
    void aMemberNoSeedAdmittedRefusesNodesWith503UntilItIsUp() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(1);
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).clustered(true).start(MEMBER.system())
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        try {
            assertTrue(hub.notReady().orElse("").startsWith("joining: no seed node or contact point has admitted "
                    + "this member"), hub.notReady().toString());
            TestProbe<ConnectionEvent> events = NODES.createTestProbe();
            ConnectionEvent.Disconnected refused = orConnected(hub, pki, events);
            assertEquals(ErrorCode.HTTP_TEMPORARY_UNAVAILABLE, refused.error().errorCode(), refused.toString());
            assertEquals(1, hub.transportCounters().refusedNotReady());
            assertEquals(0, hub.transportCounters().refusedCapacity());

            // Up (here: a cluster of its own, as a first seed would form): it admits.
            Cluster.get(MEMBER.system()).manager().tell(Join.create(Cluster.get(MEMBER.system()).selfMember()
                    .address()));
            NODES.createTestProbe().awaitAssert(WAIT, () -> {
                assertEquals(MemberStatus.up(), Cluster.get(MEMBER.system()).selfMember().status());
                assertTrue(hub.notReady().isEmpty());
                return null;
            });
            TestProbe<ConnectionEvent> admitted = NODES.createTestProbe();
            assertEquals(null, orConnected(hub, pki, admitted));
            assertEquals(1, hub.transportCounters().accepted());
        } finally {
            hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
