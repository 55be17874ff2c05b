package org.bacnetsc.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.hub.HubStatus;
import org.bacnetsc.hub.Management;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.node.NodeStatus;
import org.bacnetsc.node.ReceivedNpdu;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TransportCounters;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsClient;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hub members in one JVM (three cluster ActorSystems on 127.0.0.1) acting as one hub, with nodes on each,
 * over mutual TLS 1.3. The member-loss test runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusteredHubTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Config CLUSTER = ConfigFactory.parseString("""
            pekko.cluster.downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
            pekko.cluster.distributed-data.gossip-interval = 200ms
            pekko.cluster.distributed-data.notify-subscribers-interval = 100ms
            """).withFallback(ClusterTestConfig.MEMBER);
    static final ActorTestKit NODES = ActorTestKit.create("cluster-nodes");
    static final ActorTestKit[] MEMBERS = new ActorTestKit[3];
    static final ScHub[] HUBS = new ScHub[3];

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScNode n1;
    static ScNode n2;
    static ScNode n3;
    static NodeStatus s1;
    static NodeStatus s2;
    static NodeStatus s3;

    @BeforeAll
    static void formTheCluster() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(4);
        for (int i = 0; i < 3; i++) {
            MEMBERS[i] = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, CLUSTER);
        }
        Cluster first = Cluster.get(MEMBERS[0].system());
        for (ActorTestKit m : MEMBERS) {
            Cluster.get(m.system()).manager().tell(Join.create(first.selfMember().address()));
        }
        NODES.createTestProbe().awaitAssert(WAIT, () -> {
            for (ActorTestKit m : MEMBERS) {
                assertEquals(3, java.util.stream.StreamSupport.stream(Cluster.get(m.system()).state().getMembers()
                        .spliterator(), false).filter(x -> x.status() == MemberStatus.up()).count());
            }
            return null;
        });
        for (int i = 0; i < 3; i++) {
            HUBS[i] = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).clustered(true)
                    .start(MEMBERS[i].system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        n1 = node("n1", HUBS[0], null);
        n2 = node("n2", HUBS[1], null);
        n3 = node("n3", HUBS[2], HUBS[1]);
        s1 = connected(n1);
        s2 = connected(n2);
        s3 = connected(n3);
        awaitKnownEverywhere(3);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ScNode n : List.of(n1, n2, n3)) {
            n.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        NODES.shutdownTestKit();
        for (ActorTestKit m : MEMBERS) {
            m.shutdownTestKit();
        }
    }

    static ScNode node(String name, ScHub primary, ScHub failover) {
        return ScNode.builder().primaryHub(primary.uri()).failoverHub(failover == null ? null : failover.uri())
                .devPki(pki.dir(), 1).stateDir(dir.resolve(name))
                .reconnect(Duration.ofMillis(200), Duration.ofSeconds(1)).start(NODES.system());
    }

    static NodeStatus connected(ScNode n) {
        return NODES.<NodeStatus>createTestProbe().awaitAssert(WAIT, () -> {
            NodeStatus s = n.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(s.connected(), s.toString());
            return s;
        });
    }

    /** Waits until every running member's replica holds {@code n} VMACs and every member's router. */
    static void awaitKnownEverywhere(int n) {
        long running = java.util.Arrays.stream(HUBS).filter(h -> !h.stopped()).count();
        NODES.createTestProbe().awaitAssert(WAIT, () -> {
            for (ScHub h : HUBS) {
                if (!h.stopped()) {
                    ClusterDirectory d = ClusterDirectory.of(h);
                    assertEquals(n, d.knownVmacs(), "VMACs known on " + h.uri());
                    assertEquals(running, d.knownRouters(), "member routers known on " + h.uri());
                }
            }
            return null;
        });
    }

    static ByteString npdu(String text) {
        return ByteString.fromString("\u0001\u0000" + text);
    }

    static void send(ScNode from, NodeStatus to, String text) throws Exception {
        from.send(to.vmac(), npdu(text)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void nodesOnDifferentMembersExchangeUnicastAndBroadcastExactlyOnce() throws Exception {
        TestProbe<ReceivedNpdu> at1 = NODES.createTestProbe();
        TestProbe<ReceivedNpdu> at2 = NODES.createTestProbe();
        TestProbe<ReceivedNpdu> at3 = NODES.createTestProbe();
        n1.subscribe(at1.ref());
        n2.subscribe(at2.ref());
        n3.subscribe(at3.ref());
        send(n1, s2, "1 to 2");
        send(n2, s3, "2 to 3");
        send(n3, s1, "3 to 1");
        assertEquals(new ReceivedNpdu(s1.vmac(), npdu("1 to 2"), List.of(), false), at2.receiveMessage(WAIT));
        assertEquals(new ReceivedNpdu(s2.vmac(), npdu("2 to 3"), List.of(), false), at3.receiveMessage(WAIT));
        assertEquals(new ReceivedNpdu(s3.vmac(), npdu("3 to 1"), List.of(), false), at1.receiveMessage(WAIT));
        n1.broadcast(npdu("1 to all")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(new ReceivedNpdu(s1.vmac(), npdu("1 to all"), List.of(), true), at2.receiveMessage(WAIT));
        assertEquals(new ReceivedNpdu(s1.vmac(), npdu("1 to all"), List.of(), true), at3.receiveMessage(WAIT));
        // Exactly once, and never back to the sender.
        at1.expectNoMessage(Duration.ofMillis(500));
        at2.expectNoMessage(Duration.ofMillis(1));
        at3.expectNoMessage(Duration.ofMillis(1));
        HubStatus.Counters c1 = HUBS[0].status().toCompletableFuture().get(5, TimeUnit.SECONDS).counters();
        assertEquals(3, c1.forwardedOut(), "one unicast and a broadcast to each of two members");
        assertEquals(1, c1.forwardedIn());
    }

    @Test
    @Order(2)
    void aVmacInUseOnAnotherMemberIsNakedWith151() throws Exception {
        TestProbe<ConnectionEvent> events = NODES.createTestProbe();
        ActorRef<Connection.Command> c = NODES.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                new LocalIdentity(s1.vmac(), DeviceUuid.random()), ConnectionSettings.defaults(), events.ref(),
                WsClient.opener(NODES.system(), HUBS[2].uri(), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(2),
                        Duration.ofSeconds(5), 1600, TransportSettings.defaults(), new TransportCounters())));
        c.tell(Connection.Start.INSTANCE);
        assertEquals(new ConnectionEvent.DuplicateVmac(c, s1.vmac()), events.receiveMessage(WAIT));
        assertInstanceOf(ConnectionEvent.Disconnected.class, events.receiveMessage(WAIT));
        assertTrue(n1.status().toCompletableFuture().get(5, TimeUnit.SECONDS).connected(), "the holder stays");
        assertEquals(1, HUBS[2].status().toCompletableFuture().get(5, TimeUnit.SECONDS).counters().duplicateVmac());
    }

    @Test
    @Order(3)
    void theManagementEndpointsAnswerWithRealData() throws Exception {
        int port = Management.bind(MEMBERS[0].system(), HUBS[0], "127.0.0.1", 0).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).localAddress().getPort();
        HttpClient http = HttpClient.newHttpClient();
        java.util.function.Function<String, HttpResponse<String>> get = path -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertEquals(200, get.apply("/health/live").statusCode());
        assertEquals(200, get.apply("/health/ready").statusCode());
        assertEquals(404, get.apply("/nothing").statusCode());
        JsonNode status = new ObjectMapper().readTree(get.apply("/status").body());
        assertEquals(s1.vmac().toString(), status.get("connections").get(0).get("vmac").asText());
        assertEquals("CONNECTED", status.get("connections").get(0).get("state").asText());
        assertEquals(3, status.get("cluster").get("members").size());
        assertEquals(3, status.get("cluster").get("knownVmacs").asInt());
        assertEquals(3, status.get("counters").get("forwardedOut").asInt());
        String metrics = get.apply("/metrics").body();
        assertTrue(metrics.contains("\nbacnet_sc_hub_connections 1.0\n"), metrics);
        assertTrue(metrics.contains("\nbacnet_sc_hub_cluster_members 3.0\n"), metrics);
        assertTrue(metrics.contains("bacnet_sc_hub_cluster_forwards_total{direction=\"out\"} 3.0\n"), metrics);
        assertTrue(metrics.contains("bacnet_sc_hub_cluster_forward_latency_seconds_count 1\n"), metrics);
        assertTrue(metrics.contains("bacnet_sc_hub_cluster_forward_latency_seconds_bucket{le=\"+Inf\"} 1\n"),
                metrics);
        assertTrue(metrics.contains("bacnet_sc_hub_cluster_forward_latency_seconds_bucket{le=\"5.0E-4\"} "),
                metrics);
        assertTrue(metrics.contains("bacnet_sc_hub_messages_routed_total{kind=\"broadcast\"} 1.0\n"), metrics);
    }

    private static ActorRef<Connection.Command> raw(ScHub on, LocalIdentity id, TestProbe<ConnectionEvent> events) {
        ActorRef<Connection.Command> c = NODES.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR, id,
                ConnectionSettings.defaults(), events.ref(), WsClient.opener(NODES.system(), on.uri(),
                        WsServer.HUB_SUBPROTOCOL, pki.nodeTls(3), Duration.ofSeconds(5), 1600,
                        TransportSettings.defaults(), new TransportCounters())));
        c.tell(Connection.Start.INSTANCE);
        return c;
    }

    @Test
    @Order(4)
    void aDeviceReconnectingToAnotherMemberClosesItsStaleConnection() throws Exception {
        LocalIdentity id = new LocalIdentity(org.bacnetsc.codec.Vmac.parse("02:00:00:00:c1:01"), DeviceUuid.random());
        TestProbe<ConnectionEvent> onFirst = NODES.createTestProbe();
        ActorRef<Connection.Command> first = raw(HUBS[0], id, onFirst);
        assertInstanceOf(ConnectionEvent.Connected.class, onFirst.receiveMessage(WAIT));
        awaitKnownEverywhere(4);
        TestProbe<ConnectionEvent> onSecond = NODES.createTestProbe();
        ActorRef<Connection.Command> second = raw(HUBS[1], id, onSecond);
        assertInstanceOf(ConnectionEvent.Connected.class, onSecond.receiveMessage(WAIT));
        // Member 1 sees the newer claim of the same device on member 2 and disconnects the stale connection.
        ConnectionEvent.Disconnected d = assertInstanceOf(ConnectionEvent.Disconnected.class,
                onFirst.receiveMessage(WAIT));
        assertEquals(first, d.connection());
        onSecond.expectNoMessage(Duration.ofMillis(500));
        assertEquals(1, HUBS[0].status().toCompletableFuture().get(5, TimeUnit.SECONDS).counters().evicted());
        second.tell(Connection.Disconnect.INSTANCE);
        assertInstanceOf(ConnectionEvent.Disconnected.class, onSecond.receiveMessage(WAIT));
        awaitKnownEverywhere(3);
    }

    @Test
    @Order(5)
    void twoMembersAdmittingOneVmacAtOnceAgreeOnOneWinner() throws Exception {
        org.bacnetsc.codec.Vmac v = org.bacnetsc.codec.Vmac.parse("02:00:00:00:c2:02");
        TestProbe<ConnectionEvent> onFirst = NODES.createTestProbe();
        TestProbe<ConnectionEvent> onSecond = NODES.createTestProbe();
        ActorRef<Connection.Command> a = raw(HUBS[0], new LocalIdentity(v, DeviceUuid.random()), onFirst);
        ActorRef<Connection.Command> b = raw(HUBS[1], new LocalIdentity(v, DeviceUuid.random()), onSecond);
        // Either the later request is NAKed (the claim had replicated) or both are admitted and the later admission
        // is evicted: exactly one stays connected, and every member routes the VMAC to it.
        List<ConnectionEvent> first = drain(onFirst);
        List<ConnectionEvent> second = drain(onSecond);
        boolean firstUp = stillConnected(first);
        boolean secondUp = stillConnected(second);
        assertTrue(firstUp ^ secondUp, "one winner: " + first + " / " + second);
        NODES.createTestProbe().awaitAssert(WAIT, () -> {
            for (int i = 0; i < 3; i++) {
                ClusterDirectory d = ClusterDirectory.of(HUBS[i]);
                assertEquals(4, d.knownVmacs(), "member " + i);
            }
            return null;
        });
        (firstUp ? a : b).tell(Connection.Disconnect.INSTANCE);
        awaitKnownEverywhere(3);
    }

    private static List<ConnectionEvent> drain(TestProbe<ConnectionEvent> p) {
        List<ConnectionEvent> events = new java.util.ArrayList<>();
        events.add(p.receiveMessage(WAIT));
        events.addAll(p.receiveSeveralMessages(0, Duration.ofMillis(1)));
        while (true) {
            try {
                events.add(p.receiveMessage(Duration.ofSeconds(3)));
            } catch (AssertionError timeout) {
                return events;
            }
        }
    }

    private static boolean stillConnected(List<ConnectionEvent> events) {
        return events.get(events.size() - 1) instanceof ConnectionEvent.Connected;
    }

    @Test
    @Order(6)
    void whenAMemberLeavesItsNodesContinueThroughAnother() throws Exception {
        HUBS[2].stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        MEMBERS[2].system().terminate();
        // n3's primary is gone; it fails over to member 2 and traffic resumes.
        NODES.createTestProbe().awaitAssert(WAIT, () -> {
            assertEquals(2, n3.status().toCompletableFuture().get(5, TimeUnit.SECONDS).hubConnectorState());
            return null;
        });
        NODES.createTestProbe().awaitAssert(WAIT, () -> {
            for (int i = 0; i < 2; i++) {
                assertEquals(2, java.util.stream.StreamSupport.stream(Cluster.get(MEMBERS[i].system()).state()
                        .getMembers().spliterator(), false).count(), "member 3 removed");
            }
            return null;
        });
        awaitKnownEverywhere(3);
        String second = Cluster.get(MEMBERS[1].system()).selfMember().address().toString();
        NODES.createTestProbe().awaitAssert(WAIT, () -> {
            assertEquals(java.util.Optional.of(second), ClusterDirectory.of(HUBS[0]).holderOf(s3.vmac()),
                    "member 1 routes n3 to member 2");
            return null;
        });
        TestProbe<ReceivedNpdu> at3 = NODES.createTestProbe();
        n3.subscribe(at3.ref());
        TestProbe<ReceivedNpdu> at1 = NODES.createTestProbe();
        n1.subscribe(at1.ref());
        send(n1, s3, "1 to 3 again");
        assertEquals(new ReceivedNpdu(s1.vmac(), npdu("1 to 3 again"), List.of(), false), at3.receiveMessage(WAIT));
        send(n3, s1, "3 to 1 again");
        assertEquals(new ReceivedNpdu(s3.vmac(), npdu("3 to 1 again"), List.of(), false), at1.receiveMessage(WAIT));
    }
}
