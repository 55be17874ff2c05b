package org.bacnetsc.service;

import org.bacnetsc.examples.cli.WhoisCommand;

import org.bacnetsc.examples.cli.ServiceConfig;

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

    @Option(names = "--management", paramLabel = "HOST:PORT", description = "serve the node's operations endpoint "
            + "(/health/live, /health/ready, /status, /metrics) there; none without this flag")
    String management;

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

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where the VMAC and Device UUID are kept "
            + "(bacnet-sc.node.state-dir; one per node)")
    java.nio.file.Path stateDir;

    @Option(names = "--direct-accept", description = "accept direct connections "
            + "(bacnet-sc.node.direct-connect.accept-enable)")
    boolean directAccept;

    @Option(names = "--direct-bind", paramLabel = "HOST:PORT", description = "direct-connect binding "
            + "(bacnet-sc.node.direct-connect.binding, default 127.0.0.1:0)")
    String directBind;

    @Option(names = "--direct-uri", paramLabel = "URI", description = "a direct-connect accept URI published in "
            + "Address-Resolution-ACK (repeatable; default derived from the binding)")
    java.util.List<URI> directUris;

    @Option(names = "--no-direct-initiate", description = "never open direct connections "
            + "(bacnet-sc.node.direct-connect.initiate-enable = off)")
    boolean noDirectInitiate;

    @Option(names = "--direct-auto-rate", paramLabel = "PER_SECOND", description = "connect directly to a peer "
            + "that receives more unicasts per second than this (bacnet-sc.node.direct-connect.auto-connect-rate)")
    Double directAutoRate;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The direct-connect options as configuration overrides (so that they are validated like the file). */
    private Config withDirectConnect(Config c) {
        java.util.Map<String, Object> o = new java.util.HashMap<>();
        String path = "bacnet-sc.node.direct-connect.";
        if (directAccept) {
            o.put(path + "accept-enable", true);
        }
        if (directBind != null) {
            o.put(path + "binding", directBind);
        }
        if (directUris != null) {
            o.put(path + "accept-uris", directUris.stream().map(URI::toString).toList());
        }
        if (noDirectInitiate) {
            o.put(path + "initiate-enable", false);
        }
        if (directAutoRate != null) {
            o.put(path + "auto-connect-rate", directAutoRate);
        }
        Config merged = com.typesafe.config.ConfigFactory.parseMap(o).withFallback(c);
        org.bacnetsc.node.DirectConnectSettings.fromConfig(merged);
        return merged;
    }

    @Override
    public Integer call() throws Exception {
        Config c;
        DeviceObject device;
        try {
            c = withDirectConnect(service.load());
            device = new DeviceObject(instance, name != null ? name : "bsc-device-" + instance, "bacnet-sc-pekko",
                    999, "bsc node");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-node", c);
        ServiceExit exit;
        try {
            ScNode node = ServiceStart.startNode(service, system, c, hub, failover, pkiNode, stateDir);
            exit = ServiceExit.watch(system, "bsc node", node::stop).handleSignals();
            BacnetDevice.run(system, node, device);
            spec.commandLine().getOut().println("device " + instance + " (" + device.name()
                    + ") running; stop with Ctrl-C or SIGTERM");
            if (management != null) {
                ServiceStart.bindManagement(system, org.bacnetsc.node.NodeOperations.source(node), management,
                        spec.commandLine().getOut());
            }
            if (c.getBoolean("bacnet-sc.node.direct-connect.accept-enable")) {
                var status = WhoisCommand.awaitStatus(node, s -> s.acceptsDirectConnections(),
                        java.time.Duration.ofSeconds(10));
                spec.commandLine().getOut().println("accepting direct connections at "
                        + (status == null ? "(not bound yet)" : status.direct().acceptUris()));
            }
            spec.commandLine().getOut().flush();
        } catch (IllegalArgumentException e) {
            system.terminate();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ServiceStart.reloadTlsOnHangup();
        return exit.await(spec.commandLine().getErr());
    }
}
