package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.net.URI;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TransportCounters;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsClient;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HubCommandTest {

    static final ActorTestKit KIT = ActorTestKit.create("hub-command-test");

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void hubFromFlagsAcceptsANodeAndDisconnectsItGracefullyOnShutdown() throws Exception {
        HubCommand command = new HubCommand();
        new CommandLine(command).parseArgs("--bind", "127.0.0.1:0", "--pki", dir.toString(), "--management",
                "127.0.0.1:0");
        HubCommand.Running running = command.start();
        DevPki pki = DevPki.at(dir);
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        ActorRef<Connection.Command> node = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                new LocalIdentity(Vmac.parse("02:00:00:00:77:01"), DeviceUuid.random()),
                ConnectionSettings.defaults(), events.ref(), WsClient.opener(KIT.system(), running.hub().uri(),
                        WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1), Duration.ofSeconds(5), 1600,
                        TransportSettings.defaults(), new TransportCounters())));
        node.tell(Connection.Start.INSTANCE);
        assertInstanceOf(ConnectionEvent.Connected.class, events.receiveMessage(Duration.ofSeconds(15)));
        assertEquals(1, running.hub().status().toCompletableFuture().get(5, TimeUnit.SECONDS).connections().size());

        // What SIGTERM does: CoordinatedShutdown, whose task sends Disconnect-Request to every node.
        running.system().terminate();
        ConnectionEvent.Disconnected d = assertInstanceOf(ConnectionEvent.Disconnected.class,
                events.receiveMessage(Duration.ofSeconds(15)));
        assertEquals(ScConnectionState.NOT_CONNECTED, d.state(), String.valueOf(d.error()));
        running.system().getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void deviceInstanceRunsTheHubAsABacnetDeviceThatBscRpmReads() throws Exception {
        java.nio.file.Path conf = dir.resolve("hub-device.conf");
        java.nio.file.Files.writeString(conf, "bacnet-sc.hub.device.state-dir = \"" + dir.resolve("state")
                .resolve("hub-device").toString().replace("\\", "/") + "\"\n");
        HubCommand command = new HubCommand();
        new CommandLine(command).parseArgs("--bind", "127.0.0.1:0", "--pki", dir.toString(), "--no-management",
                "--device-instance", "4242", "--device-name", "Plant room hub", "--config", conf.toString());
        HubCommand.Running running = command.start();
        try {
            org.bacnetsc.hub.HubDevice device = running.hub().device().orElseThrow();
            assertEquals(4242, device.device().instance());
            assertTrue(java.nio.file.Files.exists(dir.resolve("state").resolve("hub-device")
                    .resolve("node-identity.properties")), "the hub device's node keeps its identity apart");
            assertEquals("Plant room hub", device.device().objects().device().name());
            KIT.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
                assertTrue(device.node().status().toCompletableFuture().get(5, TimeUnit.SECONDS).connected());
                return null;
            });
            StringWriter out = new StringWriter();
            CommandLine cli = Bsc.commandLine();
            cli.setOut(new PrintWriter(out));
            int code = cli.execute("rpm", "4242", "device,4242:object-name", "network-port,1:sc-hub-function-enable",
                    "--hub", running.hub().uri().toString(), "--pki", dir.toString(), "--pki-node", "1");
            assertEquals(0, code, out.toString());
            assertEquals(List.of("device,4242", "  object-name: \"Plant room hub\"", "network-port,1",
                    "  sc-hub-function-enable: true"), List.of(out.toString().split("\\R")));
        } finally {
            running.system().terminate();
            running.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        HubCommand none = new HubCommand();
        new CommandLine(none).parseArgs("--bind", "127.0.0.1:0", "--pki", dir.toString(), "--no-management");
        HubCommand.Running plain = none.start();
        try {
            assertTrue(plain.hub().device().isEmpty(), "no hub device unless configured");
        } finally {
            plain.system().terminate();
            plain.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBadDeviceInstanceFailsNamingTheKey() {
        StringWriter err = new StringWriter();
        CommandLine cli = Bsc.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("hub", "--bind", "127.0.0.1:0", "--pki", dir.toString(), "--no-management",
                "--device-instance", "4194303");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("bacnet-sc.hub.device.instance = 4194303"), err.toString());
    }

    @Test
    void aBadBindingFailsNamingIt() {
        StringWriter err = new StringWriter();
        CommandLine cli = Bsc.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("hub", "--bind", "127.0.0.1", "--pki", dir.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("bacnet-sc.hub.bind"), err.toString());
    }

    @Test
    void certWithoutKeyIsRefused() {
        HubCommand command = new HubCommand();
        new CommandLine(command).parseArgs("--cert", "x.pem");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, command::start);
        assertEquals("--cert and --key go together", e.getMessage(), "names both options, not a missing file");
    }

    @Test
    void aClusteredHubWithoutSeedsFormsAClusterOfOneAndReportsReady() throws Exception {
        HubCommand command = new HubCommand();
        new CommandLine(command).parseArgs("--bind", "127.0.0.1:0", "--pki", dir.toString(), "--cluster",
                "--cluster-bind", "127.0.0.1:0", "--management", "127.0.0.1:0");
        HubCommand.Running running = command.start();
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            URI ready = running.management().resolve("/health/ready");
            KIT.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
                assertEquals(200, http.send(java.net.http.HttpRequest.newBuilder(ready).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
                return null;
            });
            String status = http.send(java.net.http.HttpRequest.newBuilder(running.management().resolve("/status"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status);
            assertEquals(true, json.get("cluster").get("enabled").asBoolean());
            assertEquals(1, json.get("cluster").get("members").size());
            assertEquals("Up", json.get("cluster").get("members").get(0).get("status").asText());
        } finally {
            running.system().terminate();
            running.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMemberTheClusterDownsExitsNonZeroSoThatASupervisorRestartsIt() throws Exception {
        HubCommand command = new HubCommand();
        new CommandLine(command).parseArgs("--bind", "127.0.0.1:0", "--pki", dir.toString(), "--cluster",
                "--cluster-bind", "127.0.0.1:0", "--no-management");
        HubCommand.Running running = command.start();
        ServiceExit exit = ServiceExit.watch(running.system(), "bsc hub", running.hub()::stop);
        org.apache.pekko.cluster.typed.Cluster cluster = org.apache.pekko.cluster.typed.Cluster.get(running.system());
        KIT.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            assertTrue(running.hub().notReady().isEmpty(), running.hub().notReady().toString());
            return null;
        });
        DevPki pki = DevPki.at(dir);
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        ActorRef<Connection.Command> node = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                new LocalIdentity(Vmac.parse("02:00:00:00:77:03"), DeviceUuid.random()),
                ConnectionSettings.defaults(), events.ref(), WsClient.opener(KIT.system(), running.hub().uri(),
                        WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1), Duration.ofSeconds(5), 1600,
                        TransportSettings.defaults(), new TransportCounters())));
        node.tell(Connection.Start.INSTANCE);
        assertInstanceOf(ConnectionEvent.Connected.class, events.receiveMessage(Duration.ofSeconds(15)));

        cluster.manager().tell(new org.apache.pekko.cluster.typed.Down(cluster.selfMember().address()));
        // its node is told to go (Disconnect-Request), so that it fails over to a live member
        ConnectionEvent.Disconnected d = assertInstanceOf(ConnectionEvent.Disconnected.class,
                events.receiveMessage(Duration.ofSeconds(15)));
        assertEquals(ScConnectionState.NOT_CONNECTED, d.state(), String.valueOf(d.error()));
        StringWriter err = new StringWriter();
        assertEquals(ServiceExit.REMOVED_FROM_CLUSTER, exit.await(new PrintWriter(err)));
        assertTrue(err.toString().contains("the cluster ended this member"), err.toString());
    }

    @Test
    void aBadSeedFailsNamingTheKey() {
        StringWriter err = new StringWriter();
        CommandLine cli = Bsc.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("hub", "--bind", "127.0.0.1:0", "--pki", dir.toString(), "--cluster", "--seed",
                "pekko://other@127.0.0.1:1", "--no-management");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("bacnet-sc.cluster.seed-nodes"), err.toString());
    }

    @Test
    void aManagementPortInUseFailsNamingTheKey() throws Exception {
        assertAPortInUseFailsNaming("bacnet-sc.management.bind", "--management");
    }

    @Test
    void aClusterPortInUseFailsNamingTheKey() throws Exception {
        assertAPortInUseFailsNaming("bacnet-sc.cluster.hostname/port", "--cluster", "--no-management",
                "--cluster-bind");
    }

    /** Runs bsc hub with {@code flags} followed by a loopback address whose port is taken: exit 2 naming the key. */
    private void assertAPortInUseFailsNaming(String key, String... flags) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            java.util.List<String> args = new java.util.ArrayList<>(List.of("hub", "--bind", "127.0.0.1:0", "--pki",
                    dir.toString()));
            args.addAll(List.of(flags));
            args.add(address);
            StringWriter err = new StringWriter();
            CommandLine cli = Bsc.commandLine();
            cli.setErr(new PrintWriter(err));
            assertEquals(2, cli.execute(args.toArray(new String[0])), err.toString());
            assertTrue(err.toString().contains(key + " = \"" + address), err.toString());
        }
    }
}
