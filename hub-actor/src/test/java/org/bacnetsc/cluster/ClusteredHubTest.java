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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.ORMultiMap;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Vmac;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hub members in one JVM (three cluster ActorSystems on 127.0.0.1) acting as one hub, with nodes on each,
 * over mutual TLS 1.3. The members and their hubs are shared; every test brings its own nodes (VMACs of its own),
 * counts from what it finds, and leaves the cluster as it found it, so the tests run in any order or alone. The
 * member-loss test adds a fourth member and takes that one away.
 */
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
        awaitMembersUp(List.of(MEMBERS), 3);
        for (int i = 0; i < 3; i++) {
            HUBS[i] = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).clustered(true)
                    .start(MEMBERS[i].system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        NODES.shutdownTestKit();
        for (ActorTestKit m : MEMBERS) {
            m.shutdownTestKit();
        }
    }

    /** Waits until each of {@code members} sees {@code n} members, all up. */
    static void awaitMembersUp(List<ActorTestKit> members, int n) {
        NODES.createTestProbe().awaitAssert(WAIT, () -> {
            for (ActorTestKit m : members) {
                List<org.apache.pekko.cluster.Member> all = java.util.stream.StreamSupport.stream(
                        Cluster.get(m.system()).state().getMembers().spliterator(), false).toList();
                assertEquals(n, all.size(), "members seen by " + address(m) + ": " + all);
                assertTrue(all.stream().allMatch(x -> x.status() == MemberStatus.up()), all.toString());
            }
            return null;
        });
    }

    /** The cluster address of a member, as the directory names it. */
    static String address(ActorTestKit member) {
        return Cluster.get(member.system()).selfMember().address().toString();
    }

    static List<ScHub> shared() {
        return List.of(HUBS);
    }

    /** A node with its own state and the given VMAC. */
    static ScNode node(String name, Vmac vmac, ScHub primary, ScHub failover) {
        return ScNode.builder().primaryHub(primary.uri()).failoverHub(failover == null ? null : failover.uri())
                .devPki(pki.dir(), 1).stateDir(dir.resolve(name)).identity(vmac, null)
                .reconnect(Duration.ofMillis(200), Duration.ofSeconds(1)).start(NODES.system());
    }

    static NodeStatus connected(ScNode n) {
        return NODES.<NodeStatus>createTestProbe().awaitAssert(WAIT, () -> {
            NodeStatus s = n.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(s.connected(), s.toString());
            return s;
        });
    }

    static void stopAll(ScNode... nodes) throws Exception {
        for (ScNode n : nodes) {
            if (n != null) {
                n.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Waits until every hub of {@code hubs} knows the routers of all of them and routes each VMAC of {@code holders}
     * to the member given for it.
     */
    static void awaitRouted(List<ScHub> hubs, Map<Vmac, String> holders) {
        NODES.createTestProbe().awaitAssert(WAIT, () -> {
            for (ScHub h : hubs) {
                ClusterDirectory d = ClusterDirectory.of(h);
                assertEquals(hubs.size(), d.knownRouters(), "member routers known on " + h.uri());
                holders.forEach((v, member) -> assertEquals(Optional.of(member), d.holderOf(v),
                        "holder of " + v + " on " + h.uri()));
            }
            return null;
        });
    }

    /** Waits until no hub of {@code hubs} routes any of {@code vmacs} any more. */
    static void awaitReleased(List<ScHub> hubs, Vmac... vmacs) {
        NODES.createTestProbe().awaitAssert(WAIT, () -> {
            for (ScHub h : hubs) {
                for (Vmac v : vmacs) {
                    assertEquals(Optional.empty(), ClusterDirectory.of(h).holderOf(v), v + " on " + h.uri());
                }
            }
            return null;
        });
    }

    /** The members holding a claim to {@code vmac} in the directory as replicated on {@code member}, sorted. */
    static List<String> claimants(ActorTestKit member, Vmac vmac) throws Exception {
        Replicator.GetResponse<ORMultiMap<String, String>> r = AskPattern.<Replicator.Command,
                Replicator.GetResponse<ORMultiMap<String, String>>>ask(DistributedData.get(member.system()).replicator(),
                replyTo -> new Replicator.Get<>(ClusterKeeper.KEY, Replicator.readLocal(), replyTo),
                Duration.ofSeconds(10), member.system().scheduler()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        if (r instanceof Replicator.NotFound) {
            return List.of();
        }
        assertInstanceOf(Replicator.GetSuccess.class, r);
        return ((Replicator.GetSuccess<ORMultiMap<String, String>>) r).get(ClusterKeeper.KEY).getEntries()
                .getOrDefault(vmac.toString(), java.util.Set.of()).stream().map(t -> Claim.parse(t).member()).sorted()
                .toList();
    }

    /**
     * Waits until the directory replicated on every shared member holds exactly the claims of {@code holders} to
     * {@code vmac} (leaving aside claims of members no longer in the cluster, which nothing routes to): the
     * concurrent claims and releases of a conflict have all arrived everywhere. A test lets the directory settle
     * like this before it releases the VMAC, rather than waiting for some time to pass.
     */
    static void awaitSettled(Vmac vmac, String... holders) {
        java.util.Set<String> current = java.util.Arrays.stream(MEMBERS).map(ClusteredHubTest::address)
                .collect(java.util.stream.Collectors.toSet());
        List<String> expected = java.util.Arrays.stream(holders).sorted().toList();
        NODES.createTestProbe().awaitAssert(WAIT, () -> {
            for (ActorTestKit m : MEMBERS) {
                assertEquals(expected, claimants(m, vmac).stream().filter(current::contains).toList(),
                        "claims to " + vmac + " replicated on " + address(m));
            }
            return null;
        });
    }

    static HubStatus.Counters counters(ScHub hub) throws Exception {
        return hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS).counters();
    }

    static ByteString npdu(String text) {
        return ByteString.fromString("\u0001\u0000" + text);
    }

    static void send(ScNode from, NodeStatus to, String text) throws Exception {
        from.send(to.vmac(), npdu(text)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void nodesOnDifferentMembersExchangeUnicastAndBroadcastExactlyOnce() throws Exception {
        Vmac v1 = Vmac.parse("02:00:00:00:c0:01");
        Vmac v2 = Vmac.parse("02:00:00:00:c0:02");
        Vmac v3 = Vmac.parse("02:00:00:00:c0:03");
        ScNode n1 = null;
        ScNode n2 = null;
        ScNode n3 = null;
        try {
            n1 = node("exchange-1", v1, HUBS[0], null);
            n2 = node("exchange-2", v2, HUBS[1], null);
            n3 = node("exchange-3", v3, HUBS[2], null);
            NodeStatus s1 = connected(n1);
            NodeStatus s2 = connected(n2);
            NodeStatus s3 = connected(n3);
            awaitRouted(shared(), Map.of(v1, address(MEMBERS[0]), v2, address(MEMBERS[1]), v3, address(MEMBERS[2])));
            TestProbe<ReceivedNpdu> at1 = NODES.createTestProbe();
            TestProbe<ReceivedNpdu> at2 = NODES.createTestProbe();
            TestProbe<ReceivedNpdu> at3 = NODES.createTestProbe();
            n1.subscribe(at1.ref());
            n2.subscribe(at2.ref());
            n3.subscribe(at3.ref());
            HubStatus.Counters before = counters(HUBS[0]);
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
            HubStatus.Counters after = counters(HUBS[0]);
            assertEquals(before.forwardedOut() + 3, after.forwardedOut(),
                    "one unicast and a broadcast to each of two members");
            assertEquals(before.forwardedIn() + 1, after.forwardedIn());
        } finally {
            stopAll(n1, n2, n3);
        }
        awaitReleased(shared(), v1, v2, v3);
    }

    @Test
    void aVmacInUseOnAnotherMemberIsNakedWith151() throws Exception {
        Vmac taken = Vmac.parse("02:00:00:00:c3:01");
        ScNode holder = node("holder", taken, HUBS[0], null);
        try {
            connected(holder);
            awaitRouted(shared(), Map.of(taken, address(MEMBERS[0])));
            long before = counters(HUBS[2]).duplicateVmac();
            TestProbe<ConnectionEvent> events = NODES.createTestProbe();
            ActorRef<Connection.Command> c = raw(HUBS[2], new LocalIdentity(taken, DeviceUuid.random()),
                    events.ref(), 2);
            assertEquals(new ConnectionEvent.DuplicateVmac(c, taken), events.receiveMessage(WAIT));
            assertInstanceOf(ConnectionEvent.Disconnected.class, events.receiveMessage(WAIT));
            assertTrue(holder.status().toCompletableFuture().get(5, TimeUnit.SECONDS).connected(), "the holder stays");
            assertEquals(before + 1, counters(HUBS[2]).duplicateVmac());
            assertEquals(Optional.of(address(MEMBERS[0])), ClusterDirectory.of(HUBS[2]).holderOf(taken),
                    "still routed to the holder");
        } finally {
            stopAll(holder);
        }
        awaitReleased(shared(), taken);
    }

    @Test
    void theManagementEndpointsAnswerWithRealData() throws Exception {
        Vmac here = Vmac.parse("02:00:00:00:c4:01");
        Vmac there = Vmac.parse("02:00:00:00:c4:02");
        ScNode local = null;
        ScNode remote = null;
        org.apache.pekko.http.javadsl.ServerBinding binding = Management.bind(MEMBERS[0].system(), HUBS[0],
                "127.0.0.1", 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            local = node("management-1", here, HUBS[0], null);
            remote = node("management-2", there, HUBS[1], null);
            NodeStatus sLocal = connected(local);
            NodeStatus sRemote = connected(remote);
            awaitRouted(shared(), Map.of(here, address(MEMBERS[0]), there, address(MEMBERS[1])));
            // Other tests' nodes on member 1 are gone (their ends are handled asynchronously): it serves this one.
            awaitMembersUp(List.of(MEMBERS), 3);
            NODES.createTestProbe().awaitAssert(WAIT, () -> {
                assertEquals(1, HUBS[0].status().toCompletableFuture().get(5, TimeUnit.SECONDS).connections()
                        .stream().filter(c -> c.state() == org.bacnetsc.connection.ScConnectionState.CONNECTED)
                        .count());
                return null;
            });
            int port = binding.localAddress().getPort();
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
            ObjectMapper json = new ObjectMapper();
            JsonNode statusBefore = json.readTree(get.apply("/status").body());
            String metricsBefore = get.apply("/metrics").body();

            // Traffic of this test's own: a unicast each way between the members and a broadcast from member 1.
            TestProbe<ReceivedNpdu> atLocal = NODES.createTestProbe();
            TestProbe<ReceivedNpdu> atRemote = NODES.createTestProbe();
            local.subscribe(atLocal.ref());
            remote.subscribe(atRemote.ref());
            send(local, sRemote, "out");
            assertEquals(npdu("out"), atRemote.receiveMessage(WAIT).npdu());
            send(remote, sLocal, "in");
            assertEquals(npdu("in"), atLocal.receiveMessage(WAIT).npdu());
            local.broadcast(npdu("all")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(npdu("all"), atRemote.receiveMessage(WAIT).npdu());

            // /status shows the member's directory: read while the directory did not change (retried otherwise).
            JsonNode status = NODES.<JsonNode>createTestProbe().awaitAssert(WAIT, () -> {
                int known = ClusterDirectory.of(HUBS[0]).knownVmacs();
                JsonNode st = json.readTree(get.apply("/status").body());
                assertEquals(known, ClusterDirectory.of(HUBS[0]).knownVmacs(), "the directory changed meanwhile");
                assertEquals(known, st.get("cluster").get("knownVmacs").asInt());
                return st;
            });
            List<JsonNode> up = java.util.stream.StreamSupport.stream(status.get("connections").spliterator(), false)
                    .filter(c -> "CONNECTED".equals(c.get("state").asText())).toList();
            assertEquals(1, up.size(), status.get("connections").toString());
            assertEquals(here.toString(), up.get(0).get("vmac").asText());
            assertEquals(here.toString(), status.get("connections").get(0).get("vmac").asText(),
                    "current connections first");
            assertEquals(3, status.get("cluster").get("members").size());
            assertTrue(status.get("cluster").get("knownVmacs").asInt() >= 2, "this test's two VMACs among them");
            assertEquals(statusBefore.get("counters").get("forwardedOut").asInt() + 3,
                    status.get("counters").get("forwardedOut").asInt(), "the unicast, and the broadcast to two members");
            assertEquals(statusBefore.get("counters").get("forwardedIn").asInt() + 1,
                    status.get("counters").get("forwardedIn").asInt());
            String metrics = get.apply("/metrics").body();
            assertTrue(metrics.contains("\nbacnet_sc_hub_connections 1.0\n"), metrics);
            assertTrue(metrics.contains("\nbacnet_sc_hub_cluster_members 3.0\n"), metrics);
            assertEquals(3, metric(metrics, "bacnet_sc_hub_cluster_forwards_total{direction=\"out\"}")
                    - metric(metricsBefore, "bacnet_sc_hub_cluster_forwards_total{direction=\"out\"}"));
            assertEquals(1, metric(metrics, "bacnet_sc_hub_cluster_forward_latency_seconds_count")
                    - metric(metricsBefore, "bacnet_sc_hub_cluster_forward_latency_seconds_count"));
            assertEquals(1, metric(metrics, "bacnet_sc_hub_cluster_forward_latency_seconds_bucket{le=\"+Inf\"}")
                    - metric(metricsBefore, "bacnet_sc_hub_cluster_forward_latency_seconds_bucket{le=\"+Inf\"}"));
            assertTrue(metrics.contains("bacnet_sc_hub_cluster_forward_latency_seconds_bucket{le=\"5.0E-4\"} "),
                    metrics);
            assertEquals(1, metric(metrics, "bacnet_sc_hub_messages_routed_total{kind=\"broadcast\"}")
                    - metric(metricsBefore, "bacnet_sc_hub_messages_routed_total{kind=\"broadcast\"}"));
        } finally {
            stopAll(local, remote);
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        awaitReleased(shared(), here, there);
    }

    /** The value of the sample {@code name} (with its labels) in a Prometheus text exposition. */
    private static double metric(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no sample " + name + " in\n" + exposition));
    }

    private static ActorRef<Connection.Command> raw(ScHub on, LocalIdentity id, ActorRef<ConnectionEvent> events,
                                                    int certificate) {
        ActorRef<Connection.Command> c = NODES.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR, id,
                ConnectionSettings.defaults(), events, WsClient.opener(NODES.system(), on.uri(),
                        WsServer.HUB_SUBPROTOCOL, pki.nodeTls(certificate), WAIT, 1600,
                        TransportSettings.defaults(), new TransportCounters())));
        c.tell(Connection.Start.INSTANCE);
        return c;
    }

    @Test
    void aDeviceReconnectingToAnotherMemberClosesItsStaleConnection() throws Exception {
        LocalIdentity id = new LocalIdentity(Vmac.parse("02:00:00:00:c1:01"), DeviceUuid.random());
        long evictedBefore = counters(HUBS[0]).evicted();
        TestProbe<ConnectionEvent> onFirst = NODES.createTestProbe();
        ActorRef<Connection.Command> first = raw(HUBS[0], id, onFirst.ref(), 3);
        assertInstanceOf(ConnectionEvent.Connected.class, onFirst.receiveMessage(WAIT));
        awaitRouted(shared(), Map.of(id.vmac(), address(MEMBERS[0])));
        TestProbe<ConnectionEvent> onSecond = NODES.createTestProbe();
        ActorRef<Connection.Command> second = raw(HUBS[1], id, onSecond.ref(), 3);
        assertInstanceOf(ConnectionEvent.Connected.class, onSecond.receiveMessage(WAIT));
        // Member 1 sees the newer claim of the same device on member 2 and disconnects the stale connection.
        ConnectionEvent.Disconnected d = assertInstanceOf(ConnectionEvent.Disconnected.class,
                onFirst.receiveMessage(WAIT));
        assertEquals(first, d.connection());
        awaitRouted(shared(), Map.of(id.vmac(), address(MEMBERS[1])));
        onSecond.expectNoMessage(Duration.ofMillis(500));
        assertEquals(evictedBefore + 1, counters(HUBS[0]).evicted());
        awaitSettled(id.vmac(), address(MEMBERS[1]));
        second.tell(Connection.Disconnect.INSTANCE);
        assertInstanceOf(ConnectionEvent.Disconnected.class, onSecond.receiveMessage(WAIT));
        awaitReleased(shared(), id.vmac());
    }

    @Test
    void twoMembersAdmittingOneVmacAtOnceAgreeOnOneWinner() throws Exception {
        Vmac v = Vmac.parse("02:00:00:00:c2:02");
        // Each connection's events, kept as they come (inspected while the cluster settles, with no quiet period
        // to wait out).
        java.util.Queue<ConnectionEvent> onFirst = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.Queue<ConnectionEvent> onSecond = new java.util.concurrent.ConcurrentLinkedQueue<>();
        ActorRef<Connection.Command> a = raw(HUBS[0], new LocalIdentity(v, DeviceUuid.random()), recorder(onFirst),
                3);
        ActorRef<Connection.Command> b = raw(HUBS[1], new LocalIdentity(v, DeviceUuid.random()), recorder(onSecond),
                3);
        // Either the later request is NAKed (the claim had replicated) or both are admitted and the later admission
        // is evicted: exactly one stays connected, the other has ended, and every member routes the VMAC to the
        // winner's member.
        boolean firstWins = NODES.<Boolean>createTestProbe().awaitAssert(WAIT, () -> {
            List<ConnectionEvent> first = List.copyOf(onFirst);
            List<ConnectionEvent> second = List.copyOf(onSecond);
            boolean firstUp = last(first) instanceof ConnectionEvent.Connected;
            boolean secondUp = last(second) instanceof ConnectionEvent.Connected;
            assertTrue(firstUp ^ secondUp, "one winner: " + first + " / " + second);
            assertInstanceOf(ConnectionEvent.Disconnected.class, last(firstUp ? second : first),
                    "the other ended: " + first + " / " + second);
            String winner = address(MEMBERS[firstUp ? 0 : 1]);
            for (ScHub h : HUBS) {
                assertEquals(Optional.of(winner), ClusterDirectory.of(h).holderOf(v), "holder on " + h.uri());
            }
            return firstUp;
        });
        awaitSettled(v, address(MEMBERS[firstWins ? 0 : 1]));
        (firstWins ? a : b).tell(Connection.Disconnect.INSTANCE);
        awaitReleased(shared(), v);
    }

    private static ActorRef<ConnectionEvent> recorder(java.util.Queue<ConnectionEvent> into) {
        return NODES.spawn(Behaviors.receiveMessage(e -> {
            into.add(e);
            return Behaviors.same();
        }));
    }

    private static ConnectionEvent last(List<ConnectionEvent> events) {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }

    @Test
    void whenAMemberLeavesItsNodesContinueThroughAnother() throws Exception {
        // A fourth member of this test's own, so that losing it leaves the shared three as they were.
        ActorTestKit fourth = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, CLUSTER);
        ScHub leaving = null;
        ScNode n1 = null;
        ScNode n4 = null;
        Vmac v1 = Vmac.parse("02:00:00:00:c5:01");
        Vmac v4 = Vmac.parse("02:00:00:00:c5:04");
        try {
            Cluster.get(fourth.system()).manager().tell(Join.create(Cluster.get(MEMBERS[0].system()).selfMember()
                    .address()));
            awaitMembersUp(List.of(MEMBERS[0], MEMBERS[1], MEMBERS[2], fourth), 4);
            leaving = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).clustered(true).start(fourth.system())
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            List<ScHub> all = List.of(HUBS[0], HUBS[1], HUBS[2], leaving);
            n1 = node("leave-1", v1, HUBS[0], null);
            n4 = node("leave-4", v4, leaving, HUBS[1]);
            NodeStatus s1 = connected(n1);
            NodeStatus s4 = connected(n4);
            assertEquals(1, s4.hubConnectorState(), "on its primary, the fourth member");
            awaitRouted(all, Map.of(v1, address(MEMBERS[0]), v4, address(fourth)));

            leaving.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
            fourth.system().terminate();
            // n4's primary is gone; it fails over to member 2 and traffic resumes.
            ScNode failingOver = n4;
            NODES.createTestProbe().awaitAssert(WAIT, () -> {
                assertEquals(2, failingOver.status().toCompletableFuture().get(5, TimeUnit.SECONDS)
                        .hubConnectorState());
                return null;
            });
            NODES.createTestProbe().awaitAssert(WAIT, () -> {
                for (ActorTestKit m : MEMBERS) {
                    assertEquals(3, java.util.stream.StreamSupport.stream(Cluster.get(m.system()).state()
                            .getMembers().spliterator(), false).count(), "the fourth member removed");
                }
                return null;
            });
            awaitRouted(shared(), Map.of(v1, address(MEMBERS[0]), v4, address(MEMBERS[1])));
            TestProbe<ReceivedNpdu> at4 = NODES.createTestProbe();
            n4.subscribe(at4.ref());
            TestProbe<ReceivedNpdu> at1 = NODES.createTestProbe();
            n1.subscribe(at1.ref());
            send(n1, s4, "1 to 4 again");
            assertEquals(new ReceivedNpdu(s1.vmac(), npdu("1 to 4 again"), List.of(), false), at4.receiveMessage(WAIT));
            send(n4, s1, "4 to 1 again");
            assertEquals(new ReceivedNpdu(s4.vmac(), npdu("4 to 1 again"), List.of(), false), at1.receiveMessage(WAIT));
            awaitSettled(v4, address(MEMBERS[1]));
        } finally {
            stopAll(n1, n4);
            if (leaving != null && !leaving.stopped()) {
                leaving.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            fourth.shutdownTestKit();
        }
        awaitReleased(shared(), v1, v4);
        awaitMembersUp(List.of(MEMBERS), 3);
    }
}
