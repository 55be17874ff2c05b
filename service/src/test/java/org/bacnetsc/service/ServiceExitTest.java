package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.connection.SocketCommand;
import org.bacnetsc.hub.HubStatus;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.node.NodeStatus;
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
 * {@code bsc hub}, {@code bsc node} and {@code bsc router} in processes of their own, stopped with SIGTERM or SIGINT:
 * the exit status is 0 after a clean stop (the peers were sent Disconnect-Request and answered), 1 when the stop did
 * not finish in its time.
 */
class ServiceExitTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final ActorTestKit KIT = ActorTestKit.create("service-exit-test");

    @TempDir
    static Path dir;
    static DevPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(3);
    }

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** A {@code bsc} command in a JVM of its own, with its output read line by line. */
    private static final class Forked implements AutoCloseable {
        final Process process;
        final List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
        final StringBuffer err = new StringBuffer();

        Forked(List<String> jvmOptions, String... args) throws Exception {
            List<String> cmd = new ArrayList<>();
            // SIGINT and SIGTERM at their defaults whatever this test inherited: a build started in the background
            // (nohup, &) ignores SIGINT, the JVM then leaves it ignored, and the signal would not reach the service
            cmd.addAll(List.of("env", "--default-signal=INT,TERM"));
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Bsc.class.getName()));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).directory(dir.toFile()).start();
            Thread o = new Thread(() -> new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)).lines().forEach(out::add), "forked-out");
            Thread e = new Thread(() -> new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8)).lines().forEach(l -> err.append(l).append('\n')), "forked-err");
            o.setDaemon(true);
            e.setDaemon(true);
            o.start();
            e.start();
        }

        /** The first line of standard output that starts with {@code prefix}. */
        String awaitLine(String prefix) {
            return KIT.createTestProbe().awaitAssert(WAIT, () -> {
                assertTrue(process.isAlive() || !out.isEmpty(), "the process ended: " + err);
                synchronized (out) {
                    for (String line : out) {
                        if (line.startsWith(prefix)) {
                            return line;
                        }
                    }
                }
                throw new AssertionError("no line starting with '" + prefix + "' yet: " + out + "\n" + err);
            });
        }

        void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            assertEquals(0, kill.waitFor(), "kill -" + name);
        }

        int exitStatus() throws Exception {
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the process did not end: " + err);
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static URI hubUri(String line) {
        int at = line.indexOf("wss://");
        return URI.create(line.substring(at, line.indexOf(' ', at)));
    }

    private static ScNode node(URI hub, int cert, String name) {
        return ScNode.builder().primaryHub(hub).devPki(pki.dir(), cert).stateDir(dir.resolve("state-" + name))
                .reconnect(Duration.ofSeconds(5), Duration.ofSeconds(5)).start(KIT.system());
    }

    private static ScHub hub() throws Exception {
        return ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void bscHubStoppedWithSigtermExits0AfterDisconnectingItsNodes() throws Exception {
        try (Forked hub = new Forked(List.of(), "hub", "--bind", "127.0.0.1:0", "--pki", pki.dir().toString(),
                "--management", "127.0.0.1:0")) {
            ScNode node = node(hubUri(hub.awaitLine("hub listening on")), 1, "a");
            Vmac vmac = KIT.createTestProbe().awaitAssert(WAIT, () -> {
                NodeStatus s = node.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertTrue(s.connected());
                return s.vmac();
            });
            hub.signal("TERM");
            assertEquals(0, hub.exitStatus(), hub.err.toString());
            String log = hub.err.toString();
            assertTrue(log.contains("hub stopping: disconnecting 1 connections"), log);
            // the node was told to go (Disconnect-Request) and answered: the connection ended without an error
            assertTrue(log.contains("disconnected " + vmac + " ") && log.contains(": NOT_CONNECTED\n"), log);
            node.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void bscNodeStoppedWithSigintExits0AfterDisconnectingFromItsHub() throws Exception {
        ScHub hub = hub();
        try (Forked node = new Forked(List.of(), "node", "--hub", hub.uri().toString(), "--pki",
                pki.dir().toString(), "--pki-node", "2", "--state-dir", dir.resolve("state-node").toString())) {
            node.awaitLine("device 1001");
            HubStatus up = KIT.createTestProbe().awaitAssert(WAIT, () -> {
                HubStatus s = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(1, s.connections().stream().filter(c -> c.state() == ScConnectionState.CONNECTED)
                        .count(), s.toString());
                return s;
            });
            Vmac vmac = up.connections().get(0).vmac();
            node.signal("INT");
            assertEquals(0, node.exitStatus(), node.err.toString());
            HubStatus after = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            HubStatus.Connection ended = after.connections().stream().filter(c -> vmac.equals(c.vmac())).findFirst()
                    .orElseThrow();
            assertEquals(ScConnectionState.NOT_CONNECTED, ended.state(), "a graceful disconnect: " + ended);
        } finally {
            hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void bscRouterStoppedWithSigtermExits0() throws Exception {
        ScHub hub = hub();
        try (Forked router = new Forked(List.of(), "router", "--bip", "127.0.0.1:0", "--bip-network", "11",
                "--hub", hub.uri().toString(), "--sc-network", "22", "--pki", pki.dir().toString(), "--pki-node",
                "3", "--state-dir", dir.resolve("state-router").toString())) {
            router.awaitLine("router:");
            KIT.createTestProbe().awaitAssert(WAIT, () -> {
                HubStatus s = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(1, s.connections().stream().filter(c -> c.state() == ScConnectionState.CONNECTED)
                        .count(), s.toString());
                return s;
            });
            router.signal("TERM");
            assertEquals(0, router.exitStatus(), router.err.toString());
        } finally {
            hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStopThatDoesNotFinishInItsTimeExits1() throws Exception {
        // a shutdown phase of 1 s, and a node that never answers the hub's Disconnect-Request (the hub would wait
        // for it up to the disconnect wait of 10 s)
        try (Forked hub = new Forked(List.of("-Dpekko.coordinated-shutdown.phases.service-requests-done.timeout=1s"),
                "hub", "--bind", "127.0.0.1:0", "--pki", pki.dir().toString(), "--no-management")) {
            URI uri = hubUri(hub.awaitLine("hub listening on"));
            TestProbe<BvlcMessage> got = KIT.createTestProbe();
            ActorRef<Connection.Command> mute = KIT.spawn(Behaviors.receive(Connection.Command.class)
                    .onMessage(Connection.SocketOpened.class, o -> {
                        o.socket().tell(new SocketCommand.SendFrame(BvlcCodec.encode(BvlcMessage.of(1,
                                new Payload.ConnectRequest(Vmac.parse("02:00:00:00:e1:01"), DeviceUuid.random(),
                                        1600, 1497)))));
                        return Behaviors.same();
                    })
                    .onMessage(Connection.FrameReceived.class, f -> {
                        f.release().run();
                        got.ref().tell((BvlcMessage) BvlcCodec.decode(f.frame()));
                        return Behaviors.same();
                    })
                    .onAnyMessage(m -> Behaviors.same())
                    .build());
            WsClient.opener(KIT.system(), uri, WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1), Duration.ofSeconds(10),
                    1600, TransportSettings.defaults(), new TransportCounters()).open(mute);
            assertEquals(Payload.ConnectAccept.class, got.receiveMessage(WAIT).payload().getClass());
            hub.signal("TERM");
            assertEquals(Payload.DisconnectRequest.INSTANCE, got.receiveMessage(WAIT).payload());
            assertEquals(1, hub.exitStatus(), hub.err.toString());
            assertTrue(hub.err.toString().contains("bsc hub: the stop did not finish before the process ended"),
                    hub.err.toString());
        }
    }
}
