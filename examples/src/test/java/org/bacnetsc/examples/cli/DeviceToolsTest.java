package org.bacnetsc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.bacnetsc.bip.ForeignDevice;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.examples.embedded.MyDevice;
import org.bacnetsc.hub.HubDevice;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.router.Router;
import org.bacnetsc.router.ScRouter;
import org.bacnetsc.transport.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bsc read}, {@code bsc rpm} and {@code bsc file get} against real devices over mutual TLS 1.3 through a real
 * hub on 127.0.0.1: the hub as device 100, a node as device 201 with MyDevice's Analog Input, and device 3001 on
 * BACnet/IP network 1 behind a router (a foreign device of the router's BBMD). Each tool run starts its own node
 * (the development PKI's node 3).
 */
class DeviceToolsTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static ActorTestKit KIT;

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;
    static ScNode node;
    static ScNode routerPort;
    static ScRouter router;
    static ForeignDevice bip;
    static BacnetDevice device;
    static org.bacnetsc.bip.BipAddress routerBip;

    @BeforeAll
    static void start() throws Exception {
        // the hub device's node keeps its identity in bacnet-sc.node.state-dir
        KIT = ActorTestKit.create("device-tools", ConfigFactory.parseMap(Map.of("bacnet-sc.node.state-dir",
                dir.resolve("hub-device").toString())).withFallback(ConfigFactory.load()));
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(3);
        hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).device(new HubDevice.Settings(100, "Test hub", ""))
                .start(KIT.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        node = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 1).stateDir(dir.resolve("state-1"))
                .start(KIT.system());
        device = get(ScDevice.start(KIT.system(), node, DeviceInfo.of(201, "Node A")));
        device.objects().add(MyDevice.outsideAirTemperature(1, () -> 21.5f));
        routerPort = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 2).stateDir(dir.resolve("state-2"))
                .start(KIT.system());
        router = ScRouter.builder().bip("127.0.0.1:0").bipNetwork(1).bipBroadcast("127.0.0.1:9").bbmd(true)
                .scNetwork(2).scPort(routerPort).stopScPortWithRouter(true).start(KIT.system());
        Router.Status routing = KIT.createTestProbe().awaitAssert(WAIT, () -> {
            Router.Status s = get(router.status());
            assertTrue(s.up() && get(node.status()).connected()
                    && get(hub.device().orElseThrow().node().status()).connected(), s.toString());
            return s;
        });
        routerBip = routing.bipAddress();
        bip = ForeignDevice.register(new InetSocketAddress("127.0.0.1", 0), routing.bipAddress(), 60,
                Duration.ofSeconds(10));
        BacnetDevice bipDevice = BacnetDevice.start(KIT.system(), new ObjectDatabase(DeviceInfo.of(3001,
                "BIP device")), bip, () -> { });
        bip.onNpdu(bipDevice::onNpdu);
    }

    @AfterAll
    static void stop() throws Exception {
        bip.close();
        router.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** What a tool run gave. */
    record Run(int exit, String out, String err) {
        List<String> lines() {
            return List.of(out.split("\\R"));
        }
    }

    /** {@code bsc ARGS --hub URI --pki DIR --pki-node 3}. */
    static Run bsc(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--hub", hub.uri().toString(), "--pki", pki.dir().toString(), "--pki-node", "3"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(all.toArray(new String[0]));
        return new Run(code, out.toString(), err.toString());
    }

    static String vmac(ScNode n) throws Exception {
        return get(n.status()).vmac().toString();
    }

    @Test
    void readPrintsOnePropertysDecodedValueByNameOrByNumber() throws Exception {
        Run state = bsc("read", "201", "network-port,1", "sc-hub-connector-state");
        assertEquals(0, state.exit(), state.toString());
        assertEquals(List.of("sc-hub-connector-state: 1"), state.lines());
        Run temperature = bsc("read", "201", "analog-input,1", "present-value");
        assertEquals(List.of("present-value: 21.5"), temperature.lines(), temperature.toString());
        Run json = bsc("read", "201", "0,1", "85", "--json");
        assertEquals(0, json.exit(), json.toString());
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertEquals(201, j.get("device").asInt());
        assertEquals("analog-input,1", j.get("object").asText());
        assertEquals("present-value", j.get("property").asText());
        assertEquals(21.5, j.get("value").asDouble());
        int objects = device.objects().objects().size();
        Run size = bsc("read", "201", "device,201", "object-list", "--index", "0");
        assertEquals(List.of("object-list[0]: " + objects), size.lines(), size.toString());
        Run primary = bsc("read", "201", "network-port,1", "sc-primary-hub-connection-status");
        assertTrue(primary.out().startsWith("sc-primary-hub-connection-status: connected, connected 20"),
                primary.toString());
    }

    @Test
    void aRequestThatFailsExits1WithTheErrorOnStderr() {
        Run r = bsc("read", "201", "device,201", "present-value");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().isEmpty(), r.toString());
        assertTrue(r.err().contains("bsc read: device 201") && r.err().contains("error property/unknown-property"),
                r.err());
        Run object = bsc("read", "201", "analog-input,99", "present-value");
        assertEquals(1, object.exit(), object.toString());
        assertTrue(object.err().contains("error object/unknown-object"), object.err());
    }

    @Test
    void rpmOfTheHubDevicesNetworkPortShowsEveryConnectedNodeInATable() throws Exception {
        Run r = bsc("rpm", "100", "network-port,1");
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.lines();
        assertEquals("network-port,1", lines.get(0), r.out());
        assertTrue(lines.contains("  object-name: \"SC port\""), r.out());
        assertTrue(lines.contains("  sc-hub-function-enable: true"), r.out());
        assertTrue(lines.contains("  network-type: 11"), r.out());
        assertTrue(lines.contains("  sc-hub-connector-state: 1"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  current-health: healthy at ")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  sc-primary-hub-connection-status: connected, ")),
                r.out());
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("  sc-hub-function-connection-status: "))
                .findFirst().orElseThrow(() -> new AssertionError(r.out())));
        int entries = Integer.parseInt(lines.get(at).replaceAll("\\D+", ""));
        assertTrue(lines.get(at + 1).matches(" {6}STATE +PEER +VMAC +UUID +CONNECTED +DISCONNECTED +ERROR"), r.out());
        List<String> rows = lines.subList(at + 2, at + 2 + entries);
        // the hub device's node, device 201, the router's SC port and this tool's node; the hub also remembers the
        // connections of the tools that ran before, as not-connected
        assertEquals(4, rows.stream().filter(l -> l.startsWith("      connected ")).count(), r.out());
        for (ScNode n : List.of(node, routerPort, hub.device().orElseThrow().node())) {
            String vmac = vmac(n);
            String row = rows.stream().filter(l -> l.contains(vmac)).findFirst()
                    .orElseThrow(() -> new AssertionError(vmac + " not listed: " + r.out()));
            assertTrue(row.matches(" {6}connected +127\\.0\\.0\\.1:\\d+ +" + vmac
                    + " +[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} +20\\d\\d-\\d\\d-\\d\\d "
                    + "\\d\\d:\\d\\d:\\d\\d\\.\\d\\d +- +-"), row);
        }
        assertTrue(lines.contains("  sc-failed-connection-requests: none"), r.out());
    }

    @Test
    void rpmJsonCarriesTheSameContentForMachines() throws Exception {
        Run r = bsc("rpm", "100", "network-port,1", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(100, root.get("device").asInt());
        assertEquals(1, root.get("objects").size());
        JsonNode port = root.get("objects").get(0);
        assertEquals("network-port,1", port.get("object").asText());
        Map<String, JsonNode> properties = new HashMap<>();
        port.get("properties").forEach(p -> properties.put(p.get("property").asText(), p));
        assertEquals("SC port", properties.get("object-name").get("value").asText());
        assertTrue(properties.get("sc-hub-function-enable").get("value").asBoolean());
        assertEquals(1, properties.get("sc-hub-connector-state").get("value").asInt());
        assertEquals(4194321, properties.get("sc-hub-function-connection-status").get("propertyId").asLong());
        JsonNode connections = properties.get("sc-hub-function-connection-status").get("value");
        Set<String> connected = new HashSet<>();
        for (JsonNode c : connections) {
            assertTrue(c.get("peer").asText().matches("127\\.0\\.0\\.1:\\d+"), c.toString());
            assertEquals(36, c.get("uuid").asText().length(), c.toString());
            if (c.get("stateName").asText().equals("connected")) {
                assertEquals(1, c.get("state").asInt());
                assertTrue(c.get("error").isNull(), c.toString());
                assertTrue(c.get("disconnected").isNull(), c.toString());
                connected.add(c.get("vmac").asText());
            }
        }
        assertEquals(4, connected.size(), "three nodes and this tool's: " + connections);
        assertTrue(connected.containsAll(List.of(vmac(node), vmac(routerPort),
                vmac(hub.device().orElseThrow().node()))), connected.toString());
        assertTrue(properties.get("current-health").get("value").get("healthy").asBoolean());
        assertFalse(properties.containsKey("property-list"), "ALL leaves Property_List out");
    }

    @Test
    void rpmOfChosenPropertiesShowsPerPropertyErrorsAndStillExits0() throws Exception {
        Run r = bsc("rpm", "100", "device,100:object-name,present-value,object-list[1]",
                "network-port,1:sc-hub-connector-state");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("device,100", "  object-name: \"Test hub\"",
                "  present-value: error: property/unknown-property", "  object-list[1]: (8,100)", "network-port,1",
                "  sc-hub-connector-state: 1"), r.lines());
        JsonNode json = new ObjectMapper().readTree(bsc("rpm", "100", "device,100:present-value", "--json").out());
        JsonNode p = json.get("objects").get(0).get("properties").get(0);
        assertEquals("property/unknown-property", p.get("error").asText());
        assertFalse(p.has("value"));
    }

    @Test
    void fileGetWritesTheOperationalCertificateAsThePemOnDisk() throws Exception {
        Path out = dir.resolve("node-201.pem");
        Run r = bsc("file", "get", "201", "1", out.toString());
        assertEquals(0, r.exit(), r.toString());
        byte[] pem = Files.readAllBytes(pki.node(1).certificate());
        assertArrayEquals(pem, Files.readAllBytes(out));
        assertEquals(List.of("file,1 of device 201: " + pem.length + " octets written to " + out), r.lines());
    }

    @Test
    void aDeviceBehindTheRouterIsFoundAndReadThroughIt() throws Exception {
        Run r = bsc("read", "3001", "device,3001", "object-name");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("object-name: \"BIP device\""), r.lines());
        JsonNode json = new ObjectMapper().readTree(bsc("rpm", "3001", "device,3001:object-name,vendor-identifier",
                "--json").out());
        assertTrue(json.get("address").asText().startsWith("1:"), "network 1, through the router: " + json);
        assertEquals("BIP device", json.get("objects").get(0).get("properties").get(0).get("value").asText());
    }

    @Test
    void fromTheBacnetIpSideAForeignDeviceReadsAnScNodesNetworkPortThroughTheRouter() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("rpm", "201", "network-port,1:sc-hub-connector-state,mac-address,network-type",
                "--bbmd", routerBip.toString(), "--json");
        assertEquals(0, code, out + " / " + err);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertTrue(json.get("address").asText().startsWith("2:"), "network 2, through the router: " + json);
        JsonNode props = json.get("objects").get(0).get("properties");
        assertEquals(1, props.get(0).get("value").asInt(), json.toString());
        assertEquals(vmac(node).replace(":", "").toLowerCase(), props.get(1).get("value").asText().replaceAll(
                "[^0-9A-Fa-f]", "").toLowerCase(), json.toString());
        assertEquals(11, props.get(2).get("value").asInt(), json.toString());
    }

    @Test
    void aDeviceThatDoesNotAnswerExits1() {
        Run r = bsc("read", "4000", "device,4000", "object-name", "--timeout", "1");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("bsc read: device 4000 not found"), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void malformedArgumentsExit2BeforeConnecting() {
        Run object = bsc("read", "201", "network-port", "object-name");
        assertEquals(2, object.exit(), object.toString());
        assertTrue(object.err().contains("TYPE,INSTANCE"), object.err());
        Run property = bsc("rpm", "201", "device,201:no-such-property");
        assertEquals(2, property.exit(), property.toString());
        assertTrue(property.err().contains("no-such-property"), property.err());
        Run noHub = new Run(Tools.commandLine().execute("file", "get", "201", "1", "x"), "", "");
        assertEquals(2, noHub.exit());
        StringWriter err = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("rpm", "201", "device,201", "--hub", hub.uri().toString(), "--cert",
                dir.resolve("none.pem").toString(), "--key", dir.resolve("none-key.pem").toString()), err.toString());
        assertTrue(err.toString().contains("bacnet-sc.tls.certificate-file"), err.toString());
    }
}
