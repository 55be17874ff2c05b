package org.bacnetsc.examples.cli;

import com.typesafe.config.Config;
import java.net.URI;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.examples.bacnet.BacnetDevice;
import org.bacnetsc.examples.bacnet.DeviceObject;
import org.bacnetsc.node.ScNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bsc node}: a BACnet device on a BACnet/SC hub, answering Who-Is and ReadProperty. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run a BACnet device node (answers Who-Is and ReadProperty) until stopped.")
final class NodeCommand implements Callable<Integer> {

    @Mixin
    ServiceConfig service = new ServiceConfig();

    @Option(names = "--hub", paramLabel = "URI", description = "primary hub (bacnet-sc.node.primary-hub-uri)")
    URI hub;

    @Option(names = "--failover", paramLabel = "URI", description = "failover hub")
    URI failover;

    @Option(names = "--instance", defaultValue = "1001", description = "device instance (default 1001)")
    int instance;

    @Option(names = "--name", description = "object-name (default bsc-device-INSTANCE)")
    String name;

    @Option(names = "--pki-node", defaultValue = "1", description = "which node certificate of --pki to use")
    int pkiNode;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Config c;
        DeviceObject device;
        try {
            c = service.load();
            device = new DeviceObject(instance, name != null ? name : "bsc-device-" + instance, "bacnet-sc-pekko",
                    999, "bsc node");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-node", c);
        try {
            ScNode.Builder b = ScNode.builder().config(c);
            if (hub != null) {
                b = b.primaryHub(hub);
            }
            if (failover != null) {
                b = b.failoverHub(failover);
            }
            if (service.pki != null) {
                b = b.devPki(service.pki, pkiNode);
            }
            ScNode node = b.start(system);
            BacnetDevice.run(system, node, device);
            spec.commandLine().getOut().println("device " + instance + " (" + device.name()
                    + ") running; stop with Ctrl-C or SIGTERM");
            spec.commandLine().getOut().flush();
        } catch (IllegalArgumentException e) {
            system.terminate();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        system.getWhenTerminated().toCompletableFuture().get();
        return 0;
    }
}
