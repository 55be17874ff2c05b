package org.bacnetsc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.node.DirectConnectSettings;
import org.bacnetsc.node.NodeStatus;
import org.bacnetsc.node.ScNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WhoisCommandTest {

    static final ActorTestKit KIT = ActorTestKit.create("whois-test");

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** A device of vendor 42. */
    static DeviceInfo info(int instance, String name) {
        return new DeviceInfo(instance, name, "ACME", 42, "C1", "1", "1", "", "", 3000, 3, 2000, 128, null, "");
    }

    @Test
    void whoisListsTheDeviceWithItsVmacVendorAndName() throws Exception {
        Path pki = dir.resolve("pki");
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        ScNode device = ScNode.builder().primaryHub(hub.uri()).devPki(pki, 1).stateDir(dir.resolve("d"))
                .start(KIT.system());
        ScDevice.start(KIT.system(), device, info(4711, "chiller")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        WhoisCommand.awaitConnected(device, Duration.ofSeconds(20));
        StringWriter out = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("whois", "--hub", hub.uri().toString(), "--pki", pki.toString(), "--pki-node", "2",
                "--timeout", "1", "--json");
        assertEquals(0, code, out.toString());
        JsonNode list = new ObjectMapper().readTree(out.toString());
        assertEquals(1, list.size(), out.toString());
        JsonNode d = list.get(0);
        assertEquals(4711, d.get("instance").asInt());
        assertEquals(device.status().toCompletableFuture().get(5, TimeUnit.SECONDS).vmac().toString(),
                d.get("vmac").asText());
        assertEquals(42, d.get("vendorId").asInt());
        assertEquals("chiller", d.get("objectName").asText());
        device.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        hub.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void whoisDirectShowsWhichDevicesAcceptDirectConnections() throws Exception {
        Path pki = dir.resolve("pki");
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        ScNode accepting = ScNode.builder().primaryHub(hub.uri()).devPki(pki, 1).stateDir(dir.resolve("a"))
                .directConnect(DirectConnectSettings.disabled().accepting("127.0.0.1", 0)).start(KIT.system());
        ScDevice.start(KIT.system(), accepting, info(1, "ahu")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        ScNode plain = ScNode.builder().primaryHub(hub.uri()).devPki(pki, 2).stateDir(dir.resolve("p"))
                .directConnect(DirectConnectSettings.disabled()).start(KIT.system());
        ScDevice.start(KIT.system(), plain, info(2, "vav")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        NodeStatus a = WhoisCommand.awaitStatus(accepting, s -> s.connected() && s.acceptsDirectConnections(),
                Duration.ofSeconds(20));
        WhoisCommand.awaitConnected(plain, Duration.ofSeconds(20));
        StringWriter out = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("whois", "--hub", hub.uri().toString(), "--pki", pki.toString(), "--pki-node", "3",
                "--timeout", "1", "--direct", "--json");
        assertEquals(0, code, out.toString());
        JsonNode list = new ObjectMapper().readTree(out.toString());
        assertEquals(2, list.size(), out.toString());
        for (JsonNode d : list) {
            if (d.get("instance").asInt() == 1) {
                assertEquals(true, d.get("acceptsDirectConnections").asBoolean(), d.toString());
                assertEquals(a.direct().acceptUris().get(0).toString(), d.get("directConnectUris").get(0).asText());
            } else {
                assertEquals(false, d.get("acceptsDirectConnections").asBoolean(), d.toString());
                assertEquals(0, d.get("directConnectUris").size());
            }
        }
        accepting.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        plain.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        hub.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
