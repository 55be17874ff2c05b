package org.bacnetsc.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
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
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;
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

/** Nodes (ScNode) through real hubs over mutual TLS on 127.0.0.1. */
class NodeThroughHubTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ActorTestKit KIT = ActorTestKit.create("node-test");

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(6);
        hub = startHub(0);
    }

    static ScHub startHub(int port) throws Exception {
        return Hubs.start(KIT, pki, port);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    private ScNode node(String name, URI primary, URI failover, int cert) {
        return ScNode.builder().primaryHub(primary).failoverHub(failover).devPki(pki.dir(), cert)
                .stateDir(dir.resolve("state-" + name)).reconnect(Duration.ofMillis(200), Duration.ofSeconds(1))
                .start(KIT.system());
    }

    private static NodeStatus awaitState(ScNode node, int state) {
        TestProbe<NodeStatus> probe = KIT.createTestProbe();
        return probe.awaitAssert(WAIT, () -> {
            NodeStatus s = node.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(state, s.hubConnectorState(), s.toString());
            return s;
        });
    }

    @Test
    void twoNodesExchangeUnicastAndBroadcastThroughARealHub() throws Exception {
        ScNode a = node("a1", hub.uri(), null, 1);
        ScNode b = node("b1", hub.uri(), null, 2);
        NodeStatus sa = awaitState(a, 1);
        NodeStatus sb = awaitState(b, 1);
        TestProbe<ReceivedNpdu> atB = KIT.createTestProbe();
        b.subscribe(atB.ref());
        TestProbe<ReceivedNpdu> atA = KIT.createTestProbe();
        a.npdus().runForeach(atA.ref()::tell, KIT.system());

        ByteString hello = ByteString.fromString("\u0001\u0000hello");
        a.send(sb.vmac(), hello, List.of(HeaderOption.SecurePath.INSTANCE)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(new ReceivedNpdu(sa.vmac(), hello, List.of(HeaderOption.SecurePath.INSTANCE), false),
                atB.receiveMessage(WAIT));
        b.broadcast(ByteString.fromString("\u0001\u0000all")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        ReceivedNpdu r = atA.receiveMessage(WAIT);
        assertEquals(sb.vmac(), r.source());
        assertTrue(r.broadcast());
        atB.expectNoMessage(Duration.ofMillis(200));
        a.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        b.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void anApplicationThatDoesNotTakeItsNpdusLosesTheNewestBeyondTheBufferAndTheyAreCounted() throws Exception {
        ScNode a = node("a9", hub.uri(), null, 1);
        ScNode b = node("b9", hub.uri(), null, 2);
        awaitState(a, 1);
        NodeStatus sb = awaitState(b, 1);
        // a stream whose application never asks for anything: what the node holds for it is bounded
        var unread = b.npdus().runWith(org.apache.pekko.stream.javadsl.Sink.queue(1), KIT.system());
        TestProbe<ReceivedNpdu> taken = KIT.createTestProbe();
        b.subscribe(taken.ref());
        int sent = ScNode.NPDU_BUFFER + 300;
        for (int i = 0; i < sent; i++) {
            a.send(sb.vmac(), ByteString.fromArray(new byte[] {1, 0, (byte) (i >> 8), (byte) i}))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < sent; i++) {
            taken.receiveMessage(WAIT); // every one reached the node (the other subscriber sees them all)
        }
        // The stream's feeder offers them after the subscriber above got them: wait for it (no deadline of its own:
        // awaitAssert only bounds a hang). At most the 300 beyond the buffer are dropped, and at least 300 - 64: the
        // buffer, the stream's own small buffers and the unread sink hold the rest.
        long dropped = KIT.<Long>createTestProbe().awaitAssert(WAIT, () -> {
            long d = b.npdusDropped();
            assertTrue(d >= 300 - 64 && d <= 300, "dropped " + d + " of " + sent);
            return d;
        });
        // Then the application takes what was held: every NPDU is either taken or counted as dropped, exactly once,
        // in the order sent, and the oldest (the buffer's worth first) are the ones kept.
        List<Integer> kept = new java.util.ArrayList<>();
        @SuppressWarnings("unchecked")
        java.util.concurrent.CompletableFuture<java.util.Optional<ReceivedNpdu>>[] next =
                new java.util.concurrent.CompletableFuture[] {unread.pull().toCompletableFuture()};
        KIT.createTestProbe().awaitAssert(WAIT, () -> {
            while (next[0].isDone() || kept.size() + b.npdusDropped() < sent) {
                // a pull outstanding while NPDUs are unaccounted for is answered, unless the rest were dropped
                // meanwhile: then the counter below says so
                java.util.Optional<ReceivedNpdu> n;
                try {
                    n = next[0].get(100, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    break;
                }
                byte[] bytes = n.orElseThrow().npdu().toArray();
                kept.add(((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF));
                next[0] = unread.pull().toCompletableFuture();
            }
            assertEquals(sent, kept.size() + b.npdusDropped(), "taken " + kept.size());
            return null;
        });
        assertTrue(b.npdusDropped() >= dropped);
        for (int i = 0; i < kept.size(); i++) {
            if (i < ScNode.NPDU_BUFFER) {
                assertEquals(i, kept.get(i), "the oldest are kept, in order");
            } else {
                assertTrue(kept.get(i) > kept.get(i - 1), "in order, each once: " + kept);
            }
        }
        unread.cancel();
        a.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        b.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aClientCertificateFromAnotherCaIsAFailedConnectionRequestOfTheHub() throws Exception {
        DevPki other = DevPki.at(dir.resolve("other-pki"));
        other.ensure(1);
        org.bacnetsc.hub.HubStatus failedBeforeStatus = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        long certificateErrorsBefore = failedBeforeStatus.failuresByError()
                .getOrDefault("TLS_CLIENT_CERTIFICATE_ERROR", 0L);
        long handshakeFailuresBefore = hub.transportCounters().handshakeFailures();
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        ActorRef<Connection.Command> c = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                new LocalIdentity(Vmac.parse("02:00:00:00:bb:01"), DeviceUuid.random()), ConnectionSettings.defaults(),
                events.ref(), WsClient.opener(KIT.system(), hub.uri(), WsServer.HUB_SUBPROTOCOL,
                        org.bacnetsc.transport.TlsSettings.pem(other.node(1), List.of(pki.caCertificate())),
                        WAIT, 1600, TransportSettings.defaults(), new TransportCounters())));
        c.tell(Connection.Start.INSTANCE);
        ConnectionEvent.Disconnected d = assertInstanceOf(ConnectionEvent.Disconnected.class,
                events.receiveMessage(WAIT));
        assertEquals(ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR, d.error().errorCode());
        // The hub records the refusal after the client saw it. The hub is shared by the class: exactly this one
        // refusal is counted (from before it), once.
        List<org.bacnetsc.hub.HubStatus.FailedRequest> failedBefore = failedBeforeStatus.failedRequests();
        org.bacnetsc.hub.HubStatus s = KIT.<org.bacnetsc.hub.HubStatus>createTestProbe().awaitAssert(WAIT, () -> {
            org.bacnetsc.hub.HubStatus st = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(certificateErrorsBefore + 1, st.failuresByError().getOrDefault("TLS_CLIENT_CERTIFICATE_ERROR",
                    0L), st.failuresByError().toString());
            return st;
        });
        List<org.bacnetsc.hub.HubStatus.FailedRequest> added = s.failedRequests().stream()
                .filter(f -> !failedBefore.contains(f)
                        && f.error().errorCode() == ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR).toList();
        assertEquals(1, added.size(), s.failedRequests().toString());
        assertTrue(added.get(0).error().details().contains("CN=node-1"), added.get(0).error().details());
        assertEquals(handshakeFailuresBefore + 1, hub.transportCounters().handshakeFailures());
    }

    @Test
    void aNodeCanRunInAnActorSystemOfItsOwn() throws Exception {
        ScNode own = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 1).stateDir(dir.resolve("own"))
                .start();
        awaitState(own, 1);
        own.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theVmacAndUuidSurviveARestartAndConfiguredValuesWin() throws Exception {
        ScNode first = node("persist", hub.uri(), null, 1);
        NodeStatus s1 = awaitState(first, 1);
        first.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertTrue(Files.readString(dir.resolve("state-persist").resolve("node-identity.properties"))
                .contains(s1.deviceUuid().toString()));
        ScNode second = node("persist", hub.uri(), null, 1);
        NodeStatus s2 = awaitState(second, 1);
        assertEquals(s1.vmac(), s2.vmac());
        assertEquals(s1.deviceUuid(), s2.deviceUuid());
        second.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        Vmac fixed = Vmac.parse("02:12:34:56:78:9a");
        ScNode third = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 1)
                .stateDir(dir.resolve("state-persist")).identity(fixed, null).start(KIT.system());
        NodeStatus s3 = awaitState(third, 1);
        assertEquals(fixed, s3.vmac());
        assertEquals(s1.deviceUuid(), s3.deviceUuid());
        third.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aDuplicateVmacMakesTheNodePickANewRandom48AndReconnect() throws Exception {
        Vmac taken = Vmac.parse("02:00:00:00:99:01");
        ScNode holder = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 3).stateDir(dir.resolve("dup-a"))
                .identity(taken, null).start(KIT.system());
        awaitState(holder, 1);
        ScNode late = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 4).stateDir(dir.resolve("dup-b"))
                .identity(taken, null).reconnect(Duration.ofMillis(200), Duration.ofSeconds(1)).start(KIT.system());
        NodeStatus s = awaitState(late, 1);
        assertNotEquals(taken, s.vmac());
        assertTrue(s.vmac().isRandom48(), s.vmac().toString());
        java.util.Properties stored = new java.util.Properties();
        try (var in = Files.newBufferedReader(dir.resolve("dup-b").resolve("node-identity.properties"))) {
            stored.load(in);
        }
        assertEquals(s.vmac().toString(), stored.getProperty("vmac"), "the new VMAC is kept for the next start");
        holder.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        late.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void apiErrorsAreReportedWithTheirReason() throws Exception {
        ScNode lonely = node("lonely", URI.create("wss://127.0.0.1:1/hub"), null, 5);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> lonely.broadcast(ByteString.fromString("x")).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(SendResult.Reason.NOT_CONNECTED,
                assertInstanceOf(ScNode.SendFailedException.class, e.getCause()).reason());
        NodeStatus s = lonely.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(0, s.hubConnectorState());
        lonely.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);

        ScNode a = node("big", hub.uri(), null, 5);
        awaitState(a, 1);
        ExecutionException tooLong = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> a.broadcast(ByteString.fromArray(new byte[2000])).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
        assertEquals(SendResult.Reason.TOO_LONG_FOR_PEER,
                assertInstanceOf(ScNode.SendFailedException.class, tooLong.getCause()).reason());
        ExecutionException empty = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> a.broadcast(ByteString.emptyByteString()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(SendResult.Reason.NOT_ALLOWED,
                assertInstanceOf(ScNode.SendFailedException.class, empty.getCause()).reason());
        a.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void theNodeAnswersAdvertisementSolicitationAndNaksAddressResolutionWith45() throws Exception {
        ScNode target = node("adv", hub.uri(), null, 6);
        NodeStatus s = awaitState(target, 1);
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        ActorRef<Connection.Command> asker = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                new LocalIdentity(Vmac.parse("02:00:00:00:aa:01"), DeviceUuid.random()), ConnectionSettings.defaults(),
                events.ref(), WsClient.opener(KIT.system(), hub.uri(), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1),
                        WAIT, 1600, TransportSettings.defaults(), new TransportCounters())));
        asker.tell(Connection.Start.INSTANCE);
        assertInstanceOf(ConnectionEvent.Connected.class, events.receiveMessage(WAIT));
        TestProbe<SendResult> sent = KIT.createTestProbe();
        asker.tell(new Connection.Send(BvlcMessage.of(0x0A0A, null, s.vmac(),
                Payload.AdvertisementSolicitation.INSTANCE), false, sent.ref()));
        BvlcMessage adv = assertInstanceOf(ConnectionEvent.MessageReceived.class, events.receiveMessage(WAIT))
                .message();
        assertEquals(BvlcMessage.of(0x0A0A, s.vmac(), null, new Payload.Advertisement(1, false, 1600, 1497)), adv);
        asker.tell(new Connection.Send(BvlcMessage.of(0x0B0B, null, s.vmac(), Payload.AddressResolution.INSTANCE),
                false, sent.ref()));
        BvlcMessage nak = assertInstanceOf(ConnectionEvent.MessageReceived.class, events.receiveMessage(WAIT))
                .message();
        assertEquals(0x0B0B, nak.messageId());
        Payload.BvlcResult r = (Payload.BvlcResult) nak.payload();
        assertEquals(2, r.resultFor());
        assertEquals(ErrorCode.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED.code(), r.errorCode());
        target.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void failoverDrill() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ScHub primary = startHub(port);
        ScHub failover = startHub(0);
        ScNode node = node("drill", primary.uri(), failover.uri(), 2);
        NodeStatus onPrimary = awaitState(node, 1);
        primary.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        long lost = System.nanoTime(); // the drill's times are reported below, never asserted
        awaitState(node, 2);
        long toFailover = (System.nanoTime() - lost) / 1_000_000;
        assertTrue(failover.status().toCompletableFuture().get(5, TimeUnit.SECONDS).connections().stream()
                .anyMatch(c -> onPrimary.vmac().equals(c.vmac())));
        primary = startHub(port);
        long back = System.nanoTime();
        awaitState(node, 1);
        long toPrimary = (System.nanoTime() - back) / 1_000_000;
        ScHub finalPrimary = primary;
        TestProbe<Object> poll = KIT.createTestProbe();
        poll.awaitAssert(WAIT, () -> {
            assertTrue(failover.status().toCompletableFuture().get(5, TimeUnit.SECONDS).connections().stream()
                    .noneMatch(c -> onPrimary.vmac().equals(c.vmac())
                            && c.state() == org.bacnetsc.connection.ScConnectionState.CONNECTED),
                    "the failover connection is closed");
            assertTrue(finalPrimary.status().toCompletableFuture().get(5, TimeUnit.SECONDS).connections().stream()
                    .anyMatch(c -> onPrimary.vmac().equals(c.vmac())));
            return null;
        });
        System.out.println("failover drill: on the failover " + toFailover + " ms after the primary stopped; back on"
                + " the primary " + toPrimary + " ms after it restarted");
        node.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        primary.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        failover.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
