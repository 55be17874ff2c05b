package org.bacnetsc.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.connection.SendResult;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TransportCounters;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsClient;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node switch (digest §12) between real ScNodes and real hubs over mutual TLS 1.3 on 127.0.0.1. */
class DirectConnectionTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ActorTestKit KIT = ActorTestKit.create("direct-test");
    // The Address-Resolution timeout is as long as the tests wait: a busy machine must not turn a slow answer into a
    // timeout (aResolutionWithoutAnAckTimesOutAndIsNotCached sets a short one where the timeout is the subject).
    static final DirectConnectSettings ACCEPTING = DirectConnectSettings.disabled().initiating(true)
            .accepting("127.0.0.1", 0).withTimes(WAIT, Duration.ofSeconds(600), Duration.ofSeconds(300));
    static final DirectConnectSettings INITIATING_ONLY = DirectConnectSettings.disabled().initiating(true)
            .withTimes(WAIT, Duration.ofSeconds(600), Duration.ofSeconds(300));

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(4);
        hub = startHub();
    }

    static ScHub startHub() throws Exception {
        return Hubs.start(KIT, pki, 0);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    private static int names;

    private static ScNode node(ScHub on, DirectConnectSettings dc) {
        return node(on, dc, null, null);
    }

    private static ScNode node(ScHub on, DirectConnectSettings dc, Vmac vmac, DeviceUuid uuid) {
        return ScNode.builder().primaryHub(on.uri()).devPki(pki.dir(), 1 + names % 4)
                .stateDir(dir.resolve("state-" + (++names))).identity(vmac, uuid)
                .reconnect(Duration.ofMillis(200), Duration.ofSeconds(1)).directConnect(dc).start(KIT.system());
    }

    private static NodeStatus status(ScNode node) throws Exception {
        return node.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static NodeStatus awaitConnected(ScNode node) {
        return KIT.<NodeStatus>createTestProbe().awaitAssert(WAIT, () -> {
            NodeStatus s = status(node);
            assertEquals(1, s.hubConnectorState(), s.toString());
            return s;
        });
    }

    private static NodeStatus awaitAccepting(ScNode node) {
        return KIT.<NodeStatus>createTestProbe().awaitAssert(WAIT, () -> {
            NodeStatus s = status(node);
            assertEquals(1, s.hubConnectorState(), s.toString());
            assertTrue(s.acceptsDirectConnections(), s.toString());
            return s;
        });
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static long hubUnicasts(ScHub h) throws Exception {
        return get(h.status()).counters().unicastRouted();
    }

    private static void stopAll(ScNode... nodes) throws Exception {
        for (ScNode n : nodes) {
            get(n.stop());
        }
    }

    /** A unicast from {@code from} reaches {@code to} and the hub counts it as routed. */
    private static void assertAUnicastGoesThroughTheHub(ScNode from, ScNode to, Vmac toVmac) throws Exception {
        TestProbe<ReceivedNpdu> at = KIT.createTestProbe();
        to.subscribe(at.ref());
        long before = hubUnicasts(hub);
        get(from.send(toVmac, npdu("through the hub")));
        assertEquals(npdu("through the hub"), at.receiveMessage(WAIT).npdu());
        assertEquals(before + 1, hubUnicasts(hub));
    }

    private static ByteString npdu(String text) {
        return ByteString.fromString("\u0001\u0000" + text);
    }

    @Test
    void twoNodesResolveEachOtherConnectDirectlyAndUnicastLeavesTheHub() throws Exception {
        ScNode a = node(hub, INITIATING_ONLY);
        ScNode b = node(hub, ACCEPTING);
        NodeStatus sa = awaitConnected(a);
        NodeStatus sb = awaitAccepting(b);
        List<URI> bUris = sb.direct().acceptUris();
        assertEquals(1, bUris.size());
        assertTrue(bUris.get(0).toString().startsWith("wss://127.0.0.1:"), bUris.toString());

        assertEquals(bUris, get(a.resolve(sb.vmac())));
        assertEquals(bUris.get(0), get(a.connectDirect(sb.vmac())));

        TestProbe<ReceivedNpdu> atB = KIT.createTestProbe();
        b.subscribe(atB.ref());
        TestProbe<ReceivedNpdu> atA = KIT.createTestProbe();
        a.subscribe(atA.ref());
        long routedBefore = hubUnicasts(hub);
        for (int i = 0; i < 20; i++) {
            get(a.send(sb.vmac(), npdu("direct " + i)));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(new ReceivedNpdu(sa.vmac(), npdu("direct " + i), List.of(), false),
                    atB.receiveMessage(WAIT));
        }
        // The reply is addressed to the VMAC learnt in the handshake and goes back on the same connection.
        get(b.send(sa.vmac(), npdu("reply")));
        assertEquals(new ReceivedNpdu(sb.vmac(), npdu("reply"), List.of(), false), atA.receiveMessage(WAIT));
        assertEquals(routedBefore, hubUnicasts(hub), "the hub routed none of them");

        NodeStatus after = status(a);
        assertEquals(20, after.direct().counters().npdusSent());
        assertEquals(1, after.direct().counters().npdusReceived());
        DirectConnectionStatus entry = after.direct().connections().get(0);
        assertEquals(ScConnectionState.CONNECTED, entry.state());
        assertEquals(sb.vmac(), entry.peerVmac());
        assertEquals(sb.deviceUuid(), entry.peerUuid());
        assertEquals(bUris.get(0), entry.uri());
        assertTrue(entry.initiated());
        NodeStatus bAfter = status(b);
        assertEquals(1, bAfter.direct().counters().connectsAccepted());
        assertEquals(sa.vmac(), bAfter.direct().connections().get(0).peerVmac());

        // Broadcasts still go through the hub.
        get(a.broadcast(npdu("all")));
        ReceivedNpdu all = atB.receiveMessage(WAIT);
        assertTrue(all.broadcast());
        assertEquals(sa.vmac(), all.source());

        // Disconnecting directly puts unicasts back on the hub.
        a.disconnectDirect(sb.vmac());
        KIT.createTestProbe().awaitAssert(WAIT, () -> {
            assertTrue(status(a).direct().connections().stream()
                    .noneMatch(c -> c.state() == ScConnectionState.CONNECTED));
            return null;
        });
        get(a.send(sb.vmac(), npdu("via hub")));
        assertEquals(npdu("via hub"), atB.receiveMessage(WAIT).npdu());
        assertEquals(routedBefore + 1, hubUnicasts(hub));
        stopAll(a, b);
    }

    @Test
    void anAcceptingNodeAdvertisesItAndAnswersAddressResolutionWithItsUris() throws Exception {
        ScNode b = node(hub, ACCEPTING);
        NodeStatus sb = awaitAccepting(b);
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        ActorRef<Connection.Command> asker = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                new LocalIdentity(Vmac.parse("02:00:00:00:aa:02"), DeviceUuid.random()),
                ConnectionSettings.defaults(), events.ref(), WsClient.opener(KIT.system(), hub.uri(),
                        WsServer.HUB_SUBPROTOCOL, pki.nodeTls(2), WAIT, 1600,
                        TransportSettings.defaults(), new TransportCounters())));
        asker.tell(Connection.Start.INSTANCE);
        assertInstanceOf(ConnectionEvent.Connected.class, events.receiveMessage(WAIT));
        TestProbe<SendResult> sent = KIT.createTestProbe();
        asker.tell(new Connection.Send(BvlcMessage.of(0x0C0C, null, sb.vmac(),
                Payload.AdvertisementSolicitation.INSTANCE), false, sent.ref()));
        assertEquals(BvlcMessage.of(0x0C0C, sb.vmac(), null, new Payload.Advertisement(1, true, 1600, 1497)),
                assertInstanceOf(ConnectionEvent.MessageReceived.class, events.receiveMessage(WAIT)).message());
        asker.tell(new Connection.Send(BvlcMessage.of(0x0D0D, null, sb.vmac(), Payload.AddressResolution.INSTANCE),
                false, sent.ref()));
        assertEquals(BvlcMessage.of(0x0D0D, sb.vmac(), null, new Payload.AddressResolutionAck(
                        sb.direct().acceptUris().stream().map(URI::toString).toList())),
                assertInstanceOf(ConnectionEvent.MessageReceived.class, events.receiveMessage(WAIT)).message());
        asker.tell(Connection.Disconnect.INSTANCE);
        stopAll(b);
    }

    @Test
    void theDirectConnectionKeepsWorkingWhileTheHubIsDown() throws Exception {
        ScHub own = startHub();
        ScNode a = node(own, INITIATING_ONLY);
        ScNode b = node(own, ACCEPTING);
        NodeStatus sa = awaitConnected(a);
        NodeStatus sb = awaitAccepting(b);
        get(a.connectDirect(sb.vmac()));
        get(own.stop());
        KIT.createTestProbe().awaitAssert(WAIT, () -> {
            assertEquals(0, status(a).hubConnectorState());
            assertEquals(0, status(b).hubConnectorState());
            return null;
        });
        TestProbe<ReceivedNpdu> atB = KIT.createTestProbe();
        b.subscribe(atB.ref());
        TestProbe<ReceivedNpdu> atA = KIT.createTestProbe();
        a.subscribe(atA.ref());
        get(a.send(sb.vmac(), npdu("no hub")));
        assertEquals(new ReceivedNpdu(sa.vmac(), npdu("no hub"), List.of(), false), atB.receiveMessage(WAIT));
        get(b.send(sa.vmac(), npdu("still here")));
        assertEquals(npdu("still here"), atA.receiveMessage(WAIT).npdu());
        // A broadcast needs the hub.
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(a.broadcast(npdu("all"))));
        assertInstanceOf(ScNode.SendFailedException.class, e.getCause());
        stopAll(a, b);
    }

    @Test
    void aNodeThatDoesNotAcceptIsNakedWith45AndTheRequesterFallsBackToTheHub() throws Exception {
        ScNode a = node(hub, INITIATING_ONLY);
        ScNode c = node(hub, DirectConnectSettings.disabled());
        awaitConnected(a);
        NodeStatus sc = awaitConnected(c);
        assertEquals(List.of(), get(a.resolve(sc.vmac())));
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(a.connectDirect(sc.vmac())));
        assertTrue(e.getCause().getMessage().contains("does not accept direct connections"), e.getMessage());
        NodeSwitch.Counters counters = status(a).direct().counters();
        assertEquals(1, counters.resolutionsSent(), counters.toString());
        assertEquals(1, counters.resolutionNaks());
        assertEquals(1, counters.cacheHits(), "the NAK was cached as 'no URIs'");
        assertEquals(0, counters.connectsInitiated());

        assertAUnicastGoesThroughTheHub(a, c, sc.vmac());
        stopAll(a, c);
    }

    @Test
    void aConnectAcceptFromAnotherVmacThanTheResolvedOneIsRefused() throws Exception {
        // D accepts; B accepts too but publishes D's URI, so A resolving B reaches D.
        ScNode d = node(hub, ACCEPTING);
        NodeStatus sd = awaitAccepting(d);
        ScNode b = node(hub, ACCEPTING.withAcceptUris(sd.direct().acceptUris()));
        NodeStatus sb = awaitAccepting(b);
        ScNode a = node(hub, INITIATING_ONLY);
        awaitConnected(a);
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(a.connectDirect(sb.vmac())));
        assertTrue(e.getCause().getMessage().contains("Connect-Accept carries VMAC " + sd.vmac()),
                e.getCause().getMessage());
        NodeStatus sa = status(a);
        assertEquals(1, sa.direct().counters().wrongVmacRefused());
        DirectConnectionStatus refused = sa.direct().connections().stream()
                .filter(c -> c.state() == ScConnectionState.FAILED_TO_CONNECT).findFirst().orElseThrow();
        assertEquals(sb.vmac(), refused.peerVmac());
        // Unicasts to B still reach B, through the hub.
        TestProbe<ReceivedNpdu> atB = KIT.createTestProbe();
        b.subscribe(atB.ref());
        get(a.send(sb.vmac(), npdu("to b")));
        assertEquals(npdu("to b"), atB.receiveMessage(WAIT).npdu());
        stopAll(a, b, d);
    }

    @Test
    void aResolutionIsAnsweredFromTheCacheWhileFresh() throws Exception {
        // A freshness no run comes near: every resolve after the first is a cache hit, however slow the machine.
        ScNode a = node(hub, INITIATING_ONLY.withTimes(WAIT, Duration.ofHours(1), Duration.ofSeconds(300)));
        ScNode b = node(hub, ACCEPTING);
        awaitConnected(a);
        NodeStatus sb = awaitAccepting(b);
        List<URI> first = get(a.resolve(sb.vmac()));
        assertEquals(sb.direct().acceptUris(), first);
        for (int i = 0; i < 3; i++) {
            assertEquals(first, get(a.resolve(sb.vmac())));
        }
        NodeSwitch.Counters c = status(a).direct().counters();
        assertEquals(1, c.resolutionsSent(), c.toString());
        assertEquals(1, c.resolutionsAnswered(), c.toString());
        assertEquals(3, c.cacheHits(), c.toString());
        stopAll(a, b);
    }

    @Test
    void anExpiredResolutionIsSentAgain() throws Exception {
        Duration freshness = Duration.ofSeconds(1);
        ScNode a = node(hub, INITIATING_ONLY.withTimes(WAIT, freshness, Duration.ofSeconds(300)));
        ScNode b = node(hub, ACCEPTING);
        awaitConnected(a);
        NodeStatus sb = awaitAccepting(b);
        long asked = System.nanoTime();
        List<URI> first = get(a.resolve(sb.vmac()));
        assertEquals(sb.direct().acceptUris(), first);
        assertEquals(1, status(a).direct().counters().resolutionsSent());
        // Resolve until the answer has expired and is asked for again; meanwhile each resolve is a cache hit. How
        // many hits that takes depends on the machine's speed, so it is counted, not fixed.
        int[] resolves = {1};
        List<String> early = new java.util.ArrayList<>();
        KIT.createTestProbe().awaitAssert(WAIT, () -> {
            resolves[0]++;
            assertEquals(first, get(a.resolve(sb.vmac())));
            long sinceAsked = System.nanoTime() - asked;
            NodeSwitch.Counters c = status(a).direct().counters();
            if (sinceAsked < freshness.toNanos() && c.resolutionsSent() != 1) {
                // The first answer was cached after we asked and this resolve was handled before it returned: less
                // than the freshness apart, so it had to be a hit. (Noted here, asserted below: awaitAssert would
                // retry past it.) A slow machine only makes this check rarer, never wrong. (The node's cache runs on
                // the wall clock, this on nanoTime: only a step of the wall clock could upset it.)
                early.add("resolve " + resolves[0] + " after " + sinceAsked / 1_000_000 + " ms: " + c);
            }
            assertEquals(2, c.resolutionsSent(), "not yet resolved again");
            return null;
        });
        assertEquals(List.of(), early, "resolved again before the freshness ran out");
        NodeSwitch.Counters c = status(a).direct().counters();
        assertEquals(2, c.resolutionsSent(), c.toString());
        assertEquals(2, c.resolutionsAnswered(), c.toString());
        assertEquals(resolves[0] - 2, c.cacheHits(), "every other resolve was answered from the cache: " + c);
        stopAll(a, b);
    }

    @Test
    void aResolutionWithoutAnAckTimesOutAndIsNotCached() throws Exception {
        ScNode a = node(hub, INITIATING_ONLY.withTimes(Duration.ofMillis(300), Duration.ofSeconds(600),
                Duration.ofSeconds(300)));
        awaitConnected(a);
        Vmac nobody = Vmac.parse("02:00:00:00:0d:0d");
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(a.resolve(nobody)));
        assertTrue(e.getCause().getMessage().contains("no Address-Resolution-ACK within 300 ms"),
                e.getCause().getMessage());
        assertThrows(ExecutionException.class, () -> get(a.resolve(nobody)));
        NodeSwitch.Counters c = status(a).direct().counters();
        assertEquals(2, c.resolutionsSent());
        assertEquals(2, c.resolutionTimeouts());
        assertEquals(0, c.cacheHits());
        stopAll(a);
    }

    @Test
    void aConnectRequestWithAVmacInUseOrOurOwnIsNakedWith151() throws Exception {
        ScNode b = node(hub, ACCEPTING);
        ScNode x = node(hub, INITIATING_ONLY);
        NodeStatus sb = awaitAccepting(b);
        NodeStatus sx = awaitConnected(x);
        get(x.connectDirect(sb.vmac()));
        URI bUri = sb.direct().acceptUris().get(0);
        // Another device with X's VMAC, and one with B's own VMAC: both refused.
        for (Vmac taken : List.of(sx.vmac(), sb.vmac())) {
            TestProbe<ConnectionEvent> events = KIT.createTestProbe();
            ActorRef<Connection.Command> c = KIT.spawn(Connection.initiating(LinkRole.DIRECT,
                    new LocalIdentity(taken, DeviceUuid.random()), ConnectionSettings.defaults(), events.ref(),
                    WsClient.opener(KIT.system(), bUri, WsServer.DIRECT_SUBPROTOCOL, pki.nodeTls(3),
                            WAIT, 1600, TransportSettings.defaults(), new TransportCounters())));
            c.tell(Connection.Start.INSTANCE);
            assertEquals(new ConnectionEvent.DuplicateVmac(c, taken), events.receiveMessage(WAIT));
            ConnectionEvent.Disconnected d = assertInstanceOf(ConnectionEvent.Disconnected.class,
                    events.receiveMessage(WAIT));
            assertEquals(ScConnectionState.FAILED_TO_CONNECT, d.state());
        }
        // B records the failed requests once its side of each connection has ended.
        NodeStatus after = KIT.<NodeStatus>createTestProbe().awaitAssert(WAIT, () -> {
            NodeStatus s = status(b);
            assertEquals(2, s.direct().failedRequests().size(), s.direct().toString());
            return s;
        });
        assertEquals(2, after.direct().counters().duplicateVmacRefused());
        assertTrue(after.direct().failedRequests().stream().allMatch(f -> f.peerAddress().startsWith("127.0.0.1:")
                && f.state() == ScConnectionState.FAILED_TO_CONNECT));
        // X's own direct connection is untouched.
        assertTrue(after.direct().connections().stream().anyMatch(e -> e.state() == ScConnectionState.CONNECTED
                && sx.vmac().equals(e.peerVmac())));
        stopAll(b, x);
    }

    @Test
    void aDirectConnectionWithACertificateFromAnotherCaIsAFailedRequest() throws Exception {
        ScNode b = node(hub, ACCEPTING);
        NodeStatus sb = awaitAccepting(b);
        DevPki other = DevPki.at(dir.resolve("other-pki"));
        other.ensure(1);
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        ActorRef<Connection.Command> c = KIT.spawn(Connection.initiating(LinkRole.DIRECT,
                new LocalIdentity(Vmac.parse("02:00:00:00:0f:01"), DeviceUuid.random()), ConnectionSettings.defaults(),
                events.ref(), WsClient.opener(KIT.system(), sb.direct().acceptUris().get(0),
                        WsServer.DIRECT_SUBPROTOCOL, org.bacnetsc.transport.TlsSettings.pem(other.node(1),
                                List.of(pki.caCertificate())), WAIT, 1600,
                        TransportSettings.defaults(), new TransportCounters())));
        c.tell(Connection.Start.INSTANCE);
        assertInstanceOf(ConnectionEvent.Disconnected.class, events.receiveMessage(WAIT));
        KIT.createTestProbe().awaitAssert(WAIT, () -> {
            NodeStatus s = status(b);
            assertTrue(s.direct().failedRequests().stream().anyMatch(f -> f.error().errorCode()
                    == org.bacnetsc.codec.ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR
                    && f.error().details().contains("CN=node-1")), s.direct().toString());
            return null;
        });
        stopAll(b);
    }

    @Test
    void aDuplicateVmacNakOnADirectConnectionDropsItAndTheNodeKeepsItsVmac() throws Exception {
        // X (on the hub) holds a direct connection to B with VMAC V. A, on a second hub, also uses V: it reaches B
        // through C, which publishes B's URI, and B refuses V as a duplicate.
        ScHub second = startHub();
        ScNode b = node(hub, ACCEPTING);
        NodeStatus sb = awaitAccepting(b);
        Vmac v = Vmac.parse("02:00:00:00:0e:01");
        ScNode x = node(hub, INITIATING_ONLY, v, DeviceUuid.random());
        awaitConnected(x);
        get(x.connectDirect(sb.vmac()));
        ScNode c = node(second, ACCEPTING.withAcceptUris(sb.direct().acceptUris()));
        NodeStatus sc = awaitAccepting(c);
        ScNode a = node(second, INITIATING_ONLY, v, DeviceUuid.random());
        awaitConnected(a);
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(a.connectDirect(sc.vmac())));
        assertTrue(e.getCause().getMessage().contains("NODE_DUPLICATE_VMAC"), e.getCause().getMessage());
        NodeStatus sa = status(a);
        assertEquals(v, sa.vmac(), "a duplicate on a direct connection keeps our VMAC");
        assertEquals(1, sa.hubConnectorState(), "and the hub connection");
        stopAll(a, c, x, b);
        get(second.stop());
    }

    @Test
    void anIdleDirectConnectionIsClosedAndUnicastsReturnToTheHub() throws Exception {
        ScNode a = node(hub, INITIATING_ONLY.withTimes(WAIT, Duration.ofSeconds(600), Duration.ofMillis(400)));
        ScNode b = node(hub, ACCEPTING);
        awaitConnected(a);
        NodeStatus sb = awaitAccepting(b);
        get(a.connectDirect(sb.vmac()));
        KIT.createTestProbe().awaitAssert(WAIT, () -> {
            NodeStatus s = status(a);
            assertEquals(1, s.direct().counters().idleClosed(), s.direct().toString());
            assertTrue(s.direct().connections().stream().noneMatch(c -> c.state() == ScConnectionState.CONNECTED));
            return null;
        });
        assertAUnicastGoesThroughTheHub(a, b, sb.vmac());
        stopAll(a, b);
    }

    @Test
    void theAutoConnectPolicyConnectsDirectlyToABusyPeer() throws Exception {
        // More than 10 unicasts in one 20 s counting window (0.5/s) make a peer busy. The 22 sent below cross at most
        // one window boundary unless sending them takes 20 s, so one window holds at least 11 of them whatever the
        // machine's speed.
        ScNode a = node(hub, INITIATING_ONLY.withAutoConnect(0.5, Duration.ofSeconds(20)));
        ScNode b = node(hub, ACCEPTING);
        awaitConnected(a);
        NodeStatus sb = awaitAccepting(b);
        TestProbe<ReceivedNpdu> atB = KIT.createTestProbe();
        b.subscribe(atB.ref());
        int busy = 22;
        java.util.Set<ByteString> sent = new java.util.HashSet<>();
        for (int i = 0; i < busy; i++) {
            get(a.send(sb.vmac(), npdu("busy " + i)));
            sent.add(npdu("busy " + i));
        }
        // Every one arrives, through the hub or (once the connection is up) directly: as a set, since the two paths
        // need not keep their order.
        java.util.Set<ByteString> received = new java.util.HashSet<>();
        for (int i = 0; i < busy; i++) {
            received.add(atB.receiveMessage(WAIT).npdu());
        }
        assertEquals(sent, received);
        KIT.createTestProbe().awaitAssert(WAIT, () -> {
            NodeStatus s = status(a);
            assertEquals(1, s.direct().counters().autoConnects(), s.direct().toString());
            assertTrue(s.direct().connections().stream().anyMatch(c -> c.state() == ScConnectionState.CONNECTED
                    && sb.vmac().equals(c.peerVmac())));
            return null;
        });
        long before = hubUnicasts(hub);
        long directBefore = status(b).direct().counters().npdusReceived();
        get(a.send(sb.vmac(), npdu("now direct")));
        assertEquals(npdu("now direct"), atB.receiveMessage(WAIT).npdu());
        assertEquals(directBefore + 1, status(b).direct().counters().npdusReceived());
        assertEquals(before, hubUnicasts(hub));
        assertEquals(1, status(a).direct().counters().autoConnects(), "one auto-connect, however many were busy");
        stopAll(a, b);
    }
}
