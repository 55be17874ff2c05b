package org.bacnetsc.examples.cli;

import java.io.PrintWriter;
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
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.DevPki;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bsc demo}: a hub and two devices in one JVM, discovered and read across the hub over mutual TLS. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Create a development PKI if there is none, start a hub and two BACnet devices, then run "
            + "Who-Is and ReadProperty across the hub over mutual TLS 1.3 and print what was found."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--pki", paramLabel = "DIR", defaultValue = "pki",
            description = "development PKI directory (default ./pki, created on first use)")
    Path pkiDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DevPki pki = DevPki.at(pkiDir);
        List<Path> written = pki.ensure(3);
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
            ScNode client = ScNode.builder().primaryHub(hub.uri()).devPki(pkiDir, 3)
                    .stateDir(state.resolve("client")).start(system);
            if (!WhoisCommand.awaitConnected(client, Duration.ofSeconds(20))) {
                out.println("client could not connect");
                return 1;
            }
            out.println("client sends Who-Is through the hub, then ReadProperty object-name to each device:");
            List<Discovery.Found> found = Discovery.run(system, client, Duration.ofSeconds(1)).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            for (Discovery.Found f : found) {
                out.println("  device " + f.instance() + " at VMAC " + f.vmac() + ", vendor " + f.vendorId()
                        + ", object-name \"" + f.objectName() + "\"");
            }
            var status = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            out.println("hub: " + status.connections().size() + " connections, " + status.counters().unicastRouted()
                    + " unicasts and " + status.counters().broadcastRouted() + " broadcasts routed");
            boolean ok = found.size() == 2 && found.stream().allMatch(f -> f.objectName() != null);
            out.println(ok ? "demo OK" : "demo FAILED: expected 2 devices with names");
            out.flush();
            return ok ? 0 : 1;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
