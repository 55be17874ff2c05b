package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.WsPeer;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's silence probe over real TLS 1.3 sockets with a Heartbeat Timeout of 1 s: a node that sends nothing for
 * twice that (one that heartbeats only when it receives nothing, the literal AB.6.3 rule) gets a Heartbeat-Request;
 * one that answers stays, one that does not is closed with TIMEOUT.
 */
@ExtendWith(LogCapturingExtension.class)
class SilenceProbeTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final ActorTestKit KIT = ActorTestKit.create("silence-probe");

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir())
                .connectionSettings(ConnectionSettings.defaults().withTimeouts(Duration.ofSeconds(10),
                        Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .start(KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    private static HubStatus status() throws Exception {
        return hub.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HubStatus.Connection connectionOf(HubStatus s, Vmac vmac) {
        return s.connections().stream().filter(c -> vmac.equals(c.vmac())).reduce((x, y) -> y).orElse(null);
    }

    private static BvlcMessage expectProbe(WsPeer p) throws Exception {
        BvlcMessage probe = p.readBvlc(WAIT);
        assertNotNull(probe, "the hub closed the connection instead of probing it");
        assertEquals(Payload.HeartbeatRequest.INSTANCE, probe.payload());
        assertNull(probe.originating());
        assertNull(probe.destination());
        return probe;
    }

    @Test
    void aNodeThatNeverSendsButAnswersTheHubsHeartbeatRequestsStaysConnected() throws Exception {
        Vmac vmac = Vmac.parse("02:00:00:00:5a:01");
        HubStatus.Counters before = status().counters();
        try (WsPeer p = WsPeer.connect(hub.uri(), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1))) {
            assertInstanceOf(Payload.ConnectAccept.class, p.connect(vmac, DeviceUuid.random(), 1, WAIT).payload());
            for (int i = 0; i < 4; i++) {
                BvlcMessage probe = expectProbe(p);
                p.sendBvlc(BvlcMessage.of(probe.messageId(), Payload.HeartbeatAck.INSTANCE));
            }
            TestProbe<Object> wait = KIT.createTestProbe();
            HubStatus after = wait.awaitAssert(WAIT, () -> {
                HubStatus s = status();
                assertEquals(before.silenceProbesAnswered() + 4, s.counters().silenceProbesAnswered());
                return s;
            });
            assertTrue(after.counters().silenceProbes() - before.silenceProbes() >= 4);
            assertEquals(ScConnectionState.CONNECTED, connectionOf(after, vmac).state());
            assertEquals(before.accepted() + 1, after.counters().accepted(), "the same connection all along");
        }
    }

    @Test
    void aNodeThatAnswersNothingIsClosedWithTimeoutAfterTheProbe() throws Exception {
        Vmac vmac = Vmac.parse("02:00:00:00:5b:01");
        HubStatus.Counters before = status().counters();
        try (WsPeer p = WsPeer.connect(hub.uri(), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(2))) {
            assertInstanceOf(Payload.ConnectAccept.class, p.connect(vmac, DeviceUuid.random(), 1, WAIT).payload());
            expectProbe(p);
            WsPeer.Frame close = p.awaitClose(WAIT);
            assertNotNull(close, "the hub closes the unanswered connection");
            assertEquals(1000, close.closeCode());
        }
        TestProbe<Object> wait = KIT.createTestProbe();
        HubStatus after = wait.awaitAssert(WAIT, () -> {
            HubStatus s = status();
            HubStatus.Connection c = connectionOf(s, vmac);
            assertNotNull(c);
            assertEquals(ScConnectionState.DISCONNECTED_WITH_ERRORS, c.state());
            return s;
        });
        HubStatus.Connection ended = connectionOf(after, vmac);
        assertEquals(ErrorCode.TIMEOUT, ended.error().errorCode());
        assertEquals("nothing received for 2 s, nor within 1 s of a Heartbeat-Request", ended.error().details());
        assertEquals(before.silenceProbes() + 1, after.counters().silenceProbes());
        assertEquals(before.silenceProbesAnswered(), after.counters().silenceProbesAnswered());
    }
}
