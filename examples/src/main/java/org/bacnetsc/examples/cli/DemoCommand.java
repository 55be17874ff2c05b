package org.bacnetsc.examples.cli;

import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.bip.ForeignDevice;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.device.BacnetClient;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.device.object.ObjectType;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.hub.HubDevice;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.router.Router;
import org.bacnetsc.router.RouterDevice;
import org.bacnetsc.router.ScRouter;
import org.bacnetsc.transport.DevPki;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bsc demo}: a hub that is itself a BACnet device, two SC devices, a router to a BACnet/IP network with one
 * device on it, all in one JVM; discovered and read across the hub over mutual TLS and across the router over UDP,
 * and the hub device's connection list read through BACnet.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Create a development PKI if there is none, start a hub (BACnet device 100), two BACnet/SC "
            + "devices and a router (BACnet/IP network 1 as a BBMD, BACnet/SC network 2) with a BACnet/IP device "
            + "registered as its foreign device, then run a global Who-Is and ReadProperty from an SC client device "
            + "across the hub (mutual TLS 1.3) and the router (UDP on 127.0.0.1), print what was found, and read the "
            + "hub device's SC_Hub_Function_Connection_Status: one line per connected node."})
public final class DemoCommand implements Callable<Integer> {

    /** The hub's Device instance. */
    static final int HUB_DEVICE = 100;

    @Option(names = "--pki", paramLabel = "DIR", defaultValue = "pki",
            description = "development PKI directory (default ./pki, created on first use)")
    Path pkiDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DevPki pki = DevPki.at(pkiDir);
        List<Path> written = pki.ensure(4);
        out.println(written.isEmpty() ? "development PKI: " + pkiDir.toAbsolutePath()
                : "development PKI created in " + pkiDir.toAbsolutePath() + " (" + written.size() + " files)");
        Path state = Files.createTempDirectory("bsc-demo");
        // nodes keep their identities in bacnet-sc.node.state-dir: here, not in the working directory (the hub
        // device's node, with HubDevice.Settings without a directory, takes a fresh identity)
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-demo", ConfigFactory.parseMap(
                Map.of("bacnet-sc.node.state-dir", state.resolve("nodes").toString()))
                .withFallback(ConfigFactory.load()));
        try {
            ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pkiDir)
                    .device(new HubDevice.Settings(HUB_DEVICE, "demo-hub", ""))
                    .start(system).toCompletableFuture().get(30, TimeUnit.SECONDS);
            out.println("hub listening on " + hub.uri() + " (TLS 1.3, client certificates required)");
            ScNode hubNode = hub.device().orElseThrow().node();
            if (!WhoisCommand.awaitConnected(hubNode, Duration.ofSeconds(20))) {
                out.println("the hub device could not connect");
                return 1;
            }
            out.println("hub device " + HUB_DEVICE + " connected to its own hub function as " + hubNode.status()
                    .toCompletableFuture().get(5, TimeUnit.SECONDS).vmac());
            for (int i = 1; i <= 2; i++) {
                ScNode node = ScNode.builder().primaryHub(hub.uri()).devPki(pkiDir, i)
                        .stateDir(state.resolve("device-" + i)).start(system);
                BacnetDevice device = ScDevice.start(system, node, DeviceInfo.of(1000 + i, "demo-device-" + i)
                        .withModelName("bsc demo device")).toCompletableFuture().get(10, TimeUnit.SECONDS);
                if (!WhoisCommand.awaitConnected(node, Duration.ofSeconds(20))) {
                    out.println("device " + device.instance() + " could not connect");
                    return 1;
                }
                out.println("device " + device.instance() + " connected as " + node.status().toCompletableFuture()
                        .get(5, TimeUnit.SECONDS).vmac());
            }
            ScNode routerPort = ScNode.builder().primaryHub(hub.uri()).devPki(pkiDir, 4)
                    .stateDir(state.resolve("router")).start(system);
            ScRouter router = ScRouter.builder().bip("127.0.0.1:0").bipNetwork(1).bipBroadcast("127.0.0.1:9")
                    .bbmd(true).scNetwork(2).scPort(routerPort).stopScPortWithRouter(true).start(system);
            // the router's own device: on its SC port, and on the BACnet/IP side through the router
            RouterDevice.start(system, router, DeviceInfo.of(1004, "demo-router").withModelName("bsc router"))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            Router.Status routing = awaitRouting(router);
            if (routing == null) {
                out.println("the router did not come up");
                return 1;
            }
            out.println("router: BACnet/IP network 1 at " + routing.bipAddress() + " (BBMD), BACnet/SC network 2 as "
                    + routing.scVmac());
            try (ForeignDevice bip = ForeignDevice.register(new InetSocketAddress("127.0.0.1", 0),
                    routing.bipAddress(), 60, Duration.ofSeconds(10))) {
                BacnetDevice bipDevice = BacnetDevice.start(system, new ObjectDatabase(DeviceInfo.of(1003,
                        "demo-bip-device").withModelName("bsc demo BACnet/IP device")), bip, () -> { });
                bip.onNpdu(bipDevice::onNpdu);
                out.println("BACnet/IP device 1003 at " + bip.address() + ", a foreign device of the router's BBMD");
                return discover(system, hub, state, out);
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static Router.Status awaitRouting(ScRouter router) throws Exception {
        for (int i = 0; i < 400; i++) {
            Router.Status s = router.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            if (s.up()) {
                return s;
            }
            Thread.sleep(50);
        }
        return null;
    }

    private int discover(ActorSystem<Void> system, ScHub hub, Path state, PrintWriter out) throws Exception {
        ScNode clientNode = ScNode.builder().primaryHub(hub.uri()).devPki(pkiDir, 3)
                .stateDir(state.resolve("client")).start(system);
        BacnetDevice clientDevice = ScDevice.start(system, clientNode, DeviceInfo.of(1005, "demo-client")
                .withModelName("bsc demo client")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (!WhoisCommand.awaitConnected(clientNode, Duration.ofSeconds(20))) {
            out.println("client could not connect");
            return 1;
        }
        BacnetClient client = clientDevice.client();
        out.println("client device 1005 sends a global Who-Is through the hub, then ReadProperty object-name to each "
                + "device:");
        List<WhoisCommand.Named> found = WhoisCommand.discover(client, Duration.ofSeconds(1));
        Map<ByteString, String> who = new HashMap<>();
        who.put(ByteString.fromArrayUnsafe(clientNode.status().toCompletableFuture().get(5, TimeUnit.SECONDS).vmac()
                .toBytes()), "client device 1005");
        for (WhoisCommand.Named f : found) {
            out.println("  device " + f.instance() + (f.remote() ? " on network " + f.address().network() + " at "
                    + WhoisCommand.mac(f.mac(), true) + " (through the router at VMAC " + f.vmac() + ")"
                    : " at VMAC " + f.vmac()) + ", vendor " + f.found().iAm().vendorId() + ", object-name \""
                    + f.objectName() + "\"");
            if (!f.remote()) {
                who.put(f.address().mac(), "device " + f.instance());
            }
        }
        var status = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        out.println("hub: " + status.connections().size() + " connections, " + status.counters().unicastRouted()
                + " unicasts and " + status.counters().broadcastRouted() + " broadcasts routed");
        WhoisCommand.Named hubDevice = found.stream().filter(f -> f.instance() == HUB_DEVICE).findFirst()
                .orElse(null);
        List<ScTypes.HubFunctionConnection> connections = hubDevice == null ? List.of()
                : hubFunctionConnections(client, hubDevice.found());
        out.println("client reads the hub device's sc-hub-function-connection-status (device " + HUB_DEVICE
                + ", network-port,1) with ReadProperty:");
        for (ScTypes.HubFunctionConnection c : connections.stream().sorted(java.util.Comparator.comparing(
                (ScTypes.HubFunctionConnection c) -> PropertyFormat.dateTime(c.connected()))).toList()) {
            if (c.state() != ScConnectionState.CONNECTED.code()) {
                continue; // the hub also lists the connections that ended
            }
            String label = who.get(c.peerVmac());
            out.println("  VMAC " + PropertyFormat.vmac(c.peerVmac()) + " from " + PropertyFormat.peer(c.peer())
                    + ": " + BacnetNames.connectionState(c.state()) + " since " + PropertyFormat.dateTime(c.connected())
                    + (label == null ? "" : " (" + label + ")"));
        }
        Set<ByteString> listed = connections.stream().filter(c -> c.state() == ScConnectionState.CONNECTED.code())
                .map(ScTypes.HubFunctionConnection::peerVmac).collect(Collectors.toSet());
        Set<ByteString> connected = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS).connections()
                .stream().filter(c -> c.state() == ScConnectionState.CONNECTED)
                .map(c -> ByteString.fromArrayUnsafe(c.vmac().toBytes())).collect(Collectors.toSet());
        boolean ok = found.size() == 5 && found.stream().allMatch(f -> f.objectName() != null)
                && found.stream().anyMatch(f -> f.instance() == 1003 && Integer.valueOf(1).equals(
                        f.address().network()))
                && listed.size() == 5 && listed.equals(connected);
        out.println(ok ? "demo OK" : "demo FAILED: expected 5 devices with names, 1003 on network 1, and the hub "
                + "device listing the 5 connected nodes");
        out.flush();
        return ok ? 0 : 1;
    }

    /** The hub device's SC_Hub_Function_Connection_Status, read with ReadProperty; empty when that fails. */
    private static List<ScTypes.HubFunctionConnection> hubFunctionConnections(BacnetClient client,
                                                                             BacnetClient.Found hub) {
        try {
            ByteString value = client.readProperty(hub.address(),
                    new Value.ObjectId(ObjectType.NETWORK_PORT.code(), ScDevice.PORT_INSTANCE),
                    PropertyIdentifier.SC_HUB_FUNCTION_CONNECTION_STATUS.code(), null).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).value();
            if (ScTypes.decodeList(ScTypes.HUB_FUNCTION_CONNECTION, value)
                    instanceof Tags.Ok<List<ScTypes.HubFunctionConnection>> ok) {
                return ok.value();
            }
        } catch (Exception e) {
            // shown as no entries, and the demo fails
        }
        return List.of();
    }
}
