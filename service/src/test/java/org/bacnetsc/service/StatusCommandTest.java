package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TransportCounters;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsClient;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StatusCommandTest {

    static final ActorTestKit KIT = ActorTestKit.create("status-command-test");

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void aNodesEndpointIsShownToo() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        org.bacnetsc.hub.ScHub hub = org.bacnetsc.hub.ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir())
                .start(KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        org.bacnetsc.node.ScNode node = org.bacnetsc.node.ScNode.builder().primaryHub(hub.uri())
                .devPki(pki.dir(), 1).stateDir(dir.resolve("state")).start(KIT.system());
        try {
            java.net.URI base = java.net.URI.create("http://" + WsServer.authority(org.bacnetsc.node.NodeOperations
                    .bind(KIT.system(), node, "127.0.0.1", 0).toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .localAddress()) + "/");
            org.bacnetsc.node.NodeStatus status = KIT.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
                org.bacnetsc.node.NodeStatus s = node.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertTrue(s.connected());
                return s;
            });
            // bsc status reads a node's endpoint too.
            StringWriter out = new StringWriter();
            CommandLine cli = Bsc.commandLine();
            cli.setOut(new PrintWriter(out));
            assertEquals(0, cli.execute("status", "--management", base.toString()));
            String table = out.toString();
            assertTrue(table.startsWith("node " + status.vmac() + " "), table);
            assertTrue(table.lines().anyMatch(l -> l.matches("primary +CONNECTED +20.*")), table);
            assertTrue(table.lines().anyMatch(l -> l.matches("operational +CN=node-1 +.*")), table);
        } finally {
            node.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
            hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConnectedNodeAndTheCountersAreShownAsTablesAndJsonIsPassedThrough() throws Exception {
        HubCommand command = new HubCommand();
        new CommandLine(command).parseArgs("--bind", "127.0.0.1:0", "--pki", dir.toString(), "--management",
                "127.0.0.1:0");
        HubCommand.Running running = command.start();
        try {
            DevPki pki = DevPki.at(dir);
            Vmac vmac = Vmac.parse("02:00:00:00:78:01");
            DeviceUuid uuid = DeviceUuid.random();
            TestProbe<ConnectionEvent> events = KIT.createTestProbe();
            ActorRef<Connection.Command> node = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                    new LocalIdentity(vmac, uuid), ConnectionSettings.defaults(), events.ref(),
                    WsClient.opener(KIT.system(), running.hub().uri(), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1),
                            Duration.ofSeconds(5), 1600, TransportSettings.defaults(), new TransportCounters())));
            node.tell(Connection.Start.INSTANCE);
            assertInstanceOf(ConnectionEvent.Connected.class, events.receiveMessage(Duration.ofSeconds(15)));

            StringWriter out = new StringWriter();
            CommandLine cli = Bsc.commandLine();
            cli.setOut(new PrintWriter(out));
            assertEquals(0, cli.execute("status", "--management", running.management().toString()));
            String table = out.toString();
            assertTrue(table.startsWith("hub " + running.hub().uri() + "  (ready)\n"), table);
            assertTrue(table.contains("connections (1)\nVMAC"), table);
            assertTrue(table.lines().anyMatch(l -> l.startsWith(vmac + "  " + uuid + "  127.0.0.1:")
                    && l.endsWith("CONNECTED")), table);
            assertTrue(table.lines().anyMatch(l -> l.matches("accepted +1")), table);
            assertTrue(table.contains("failed connection requests (0)"), table);

            StringWriter json = new StringWriter();
            cli.setOut(new PrintWriter(json));
            assertEquals(0, cli.execute("status", "--management", running.management().toString(), "--json"));
            assertEquals(vmac.toString(), new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toString())
                    .get("connections").get(0).get("vmac").asText());
        } finally {
            running.system().terminate();
            running.system().getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void anEndpointThatDoesNotAnswerEndsWithExit1AndSaysWhich() {
        StringWriter err = new StringWriter();
        CommandLine cli = Bsc.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("status", "--management", "http://127.0.0.1:1"));
        assertTrue(err.toString().startsWith("bsc status: cannot read http://127.0.0.1:1: "), err.toString());
    }
}
