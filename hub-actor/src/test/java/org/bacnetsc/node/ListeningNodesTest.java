package org.bacnetsc.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.HeartbeatCounters;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.hub.HubStatus;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.transport.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes that only listen, through a real hub over mutual TLS 1.3 on 127.0.0.1 with a Heartbeat Timeout of 2 s (the
 * hub's silence limit 4 s): under a continuous broadcast for 30 s they keep their connections with heartbeats of their
 * own, sent because they sent nothing for 2 s, so the hub never needs to probe them.
 */
@ExtendWith(LogCapturingExtension.class)
class ListeningNodesTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    static final int LISTENERS = 10;
    /** 30 s of broadcasts, 20 a second. */
    static final int BROADCASTS = 600;
    static final Duration BROADCAST_EVERY = Duration.ofMillis(50);
    static final ActorTestKit KIT = ActorTestKit.create("listening-nodes");
    static final ConnectionSettings SETTINGS = ConnectionSettings.defaults().withTimeouts(Duration.ofSeconds(10),
            Duration.ofSeconds(10), HEARTBEAT, HEARTBEAT);

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(LISTENERS + 1);
        hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).connectionSettings(SETTINGS)
                .start(KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    private static ScNode node(int n) {
        return ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), n).connectionSettings(SETTINGS)
                .stateDir(dir.resolve("state-" + n)).reconnect(Duration.ofMillis(200), Duration.ofSeconds(1))
                .start(KIT.system());
    }

    private static NodeStatus status(ScNode node) throws Exception {
        return node.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void receiveOnlyNodesUnderAContinuousBroadcastStayConnectedOnTheirOwnHeartbeats() throws Exception {
        long began = System.nanoTime();
        ScNode sender = node(1);
        List<ScNode> listeners = new ArrayList<>();
        List<AtomicLong> received = new ArrayList<>();
        for (int i = 0; i < LISTENERS; i++) {
            ScNode n = node(2 + i);
            AtomicLong count = new AtomicLong();
            n.npdus().runForeach(r -> count.incrementAndGet(), KIT.system());
            listeners.add(n);
            received.add(count);
        }
        TestProbe<Object> wait = KIT.createTestProbe();
        wait.awaitAssert(WAIT, () -> {
            assertTrue(status(sender).connected());
            for (ScNode n : listeners) {
                assertTrue(status(n).connected());
            }
            return null;
        });
        long connected = System.nanoTime();

        // 20 broadcasts a second from the one sender for 30 s; the listeners send nothing of their own
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Cancellable[] schedule = new Cancellable[1];
        schedule[0] = KIT.system().scheduler().scheduleAtFixedRate(Duration.ZERO, BROADCAST_EVERY, () -> {
            int k = sent.incrementAndGet();
            if (k > BROADCASTS) {
                schedule[0].cancel();
                done.complete(null);
                return;
            }
            sender.broadcast(ByteString.fromArray(new byte[] {1, 0, (byte) (k >> 8), (byte) k}));
        }, KIT.system().executionContext());
        done.get(2, TimeUnit.MINUTES);
        wait.awaitAssert(WAIT, () -> {
            for (AtomicLong count : received) {
                assertEquals(BROADCASTS, count.get(), "every broadcast reached every listener");
            }
            return null;
        });

        // every heartbeat a listener sent was answered (waiting for any ACK still in flight)
        List<NodeStatus> statuses = wait.awaitAssert(WAIT, () -> {
            List<NodeStatus> all = new ArrayList<>();
            for (ScNode n : listeners) {
                NodeStatus s = status(n);
                assertEquals(s.hubHeartbeats().heartbeatsSent(), s.hubHeartbeats().heartbeatsAnswered(),
                        s.hubHeartbeats().toString());
                all.add(s);
            }
            return all;
        });
        double upSeconds = (System.nanoTime() - began) / 1e9;
        double listenedSeconds = (System.nanoTime() - connected) / 1e9;
        for (NodeStatus s : statuses) {
            HeartbeatCounters h = s.hubHeartbeats();
            assertEquals(1, s.hubConnections(), "the first hub connection, never lost: " + s);
            assertEquals(0, h.silenceProbes());
            // a heartbeat only when nothing was sent for 2 s: never more than one per 2 s of connection
            assertTrue(h.heartbeatsSent() <= (long) (upSeconds / HEARTBEAT.toSeconds()) + 1,
                    h + " in " + upSeconds + " s");
            // and often enough that the hub heard from it within every 4 s (it never had to probe, below)
            assertTrue(h.heartbeatsSent() >= (long) (listenedSeconds / (2 * HEARTBEAT.toSeconds())),
                    h + " in " + listenedSeconds + " s");
        }
        HubStatus hubStatus = hub.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(0, hubStatus.counters().silenceProbes(), "no node was silent for twice the Heartbeat Timeout");
        assertEquals(LISTENERS + 1, hubStatus.counters().accepted(), "no reconnect");
        assertEquals(LISTENERS + 1, hubStatus.connections().stream()
                .filter(c -> c.state() == ScConnectionState.CONNECTED).count());
        sender.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        for (ScNode n : listeners) {
            n.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }
}
