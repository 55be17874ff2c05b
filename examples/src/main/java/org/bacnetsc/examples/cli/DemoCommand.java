package org.bacnetsc.examples.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.examples.bacnet.BacnetDevice;
import org.bacnetsc.examples.bacnet.DeviceObject;
import org.bacnetsc.examples.bacnet.Discovery;
import org.bacnetsc.examples.bacnet.ForeignDevice;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.router.Router;
import org.bacnetsc.router.ScRouter;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.DevPki;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bsc demo}: a hub, two SC devices, a router to a BACnet/IP network with one device on it, all in one JVM;
 * discovered and read across the hub over mutual TLS and across the router over UDP.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Create a development PKI if there is none, start a hub, two BACnet/SC devices and a router "
            + "(BACnet/IP network 1 as a BBMD, BACnet/SC network 2) with a BACnet/IP device registered as its foreign "
            + "device, then run a global Who-Is and ReadProperty from an SC client across the hub (mutual TLS 1.3) "
            + "and the router (UDP on 127.0.0.1) and print what was found."})
public final class DemoCommand implements Callable<Integer> {

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
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-demo");
        try {
            Path state = Files.createTempDirectory("bsc-demo");
            ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pkiDir).start(system).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            out.println("hub listening on " + hub.uri() + " (TLS 1.3, client certificates required)");
            for (int i = 1; i <= 2; i++) {
                ScNode device = ScNode.builder().primaryHub(hub.uri()).devPki(pkiDir, i)
                        .stateDir(state.resolve("device-" + i)).start(system);
                DeviceObject object = new DeviceObject(1000 + i, "demo-device-" + i, "bacnet-sc-pekko", 999,
                        "bsc demo device");
                BacnetDevice.run(system, device, object);
                if (!WhoisCommand.awaitConnected(device, Duration.ofSeconds(20))) {
                    out.println("device " + object.instance() + " could not connect");
                    return 1;
                }
                out.println("device " + object.instance() + " connected as " + device.status().toCompletableFuture()
                        .get(5, TimeUnit.SECONDS).vmac());
            }
            ScNode routerPort = ScNode.builder().primaryHub(hub.uri()).devPki(pkiDir, 4)
                    .stateDir(state.resolve("router")).start(system);
            ScRouter router = ScRouter.builder().bip("127.0.0.1:0").bipNetwork(1).bipBroadcast("127.0.0.1:9")
                    .bbmd(true).scNetwork(2).scPort(routerPort).stopScPortWithRouter(true).start(system);
            BacnetDevice.runOnRouter(system, router, new DeviceObject(1004, "demo-router", "bacnet-sc-pekko", 999,
                    "bsc router"));
            Router.Status routing = awaitRouting(router);
            if (routing == null) {
                out.println("the router did not come up");
                return 1;
            }
            out.println("router: BACnet/IP network 1 at " + routing.bipAddress() + " (BBMD), BACnet/SC network 2 as "
                    + routing.scVmac());
            try (ForeignDevice bip = ForeignDevice.register(new InetSocketAddress("127.0.0.1", 0),
                    routing.bipAddress(), 60, Duration.ofSeconds(10))) {
                bip.onNpdu(BacnetDevice.on(bip, new DeviceObject(1003, "demo-bip-device", "bacnet-sc-pekko", 999,
                        "bsc demo BACnet/IP device"))::onNpdu);
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
        ScNode client = ScNode.builder().primaryHub(hub.uri()).devPki(pkiDir, 3)
                .stateDir(state.resolve("client")).start(system);
        if (!WhoisCommand.awaitConnected(client, Duration.ofSeconds(20))) {
            out.println("client could not connect");
            return 1;
        }
        out.println("client sends a global Who-Is through the hub, then ReadProperty object-name to each device:");
        List<Discovery.Found> found = Discovery.run(system, client, Duration.ofSeconds(1)).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        for (Discovery.Found f : found) {
            out.println("  device " + f.instance() + (f.remote() ? " on network " + f.network() + " at "
                    + WhoisCommand.mac(f.address(), true) + " (through the router at VMAC " + f.vmac() + ")"
                    : " at VMAC " + f.vmac()) + ", vendor " + f.vendorId() + ", object-name \""
                    + f.objectName() + "\"");
        }
        var status = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        out.println("hub: " + status.connections().size() + " connections, " + status.counters().unicastRouted()
                + " unicasts and " + status.counters().broadcastRouted() + " broadcasts routed");
        boolean ok = found.size() == 4 && found.stream().allMatch(f -> f.objectName() != null)
                && found.stream().anyMatch(f -> f.instance() == 1003 && Integer.valueOf(1).equals(f.network()));
        out.println(ok ? "demo OK" : "demo FAILED: expected 4 devices with names, 1003 on network 1");
        out.flush();
        return ok ? 0 : 1;
    }
}
