package org.bacnetsc.service;

import org.bacnetsc.examples.cli.WhoisCommand;

import org.bacnetsc.examples.cli.ServiceConfig;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.node.ScNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bsc node}: an SC node on a BACnet/SC hub that is a BACnet device (the device module's {@link ScDevice}:
 * Device, Network Port and File objects; Who-Is, Who-Has, ReadProperty, ReadPropertyMultiple, AtomicReadFile, ...).
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Run an SC node until stopped, as a BACnet device: its Device object, a Network Port object "
            + "with the SC port's live state and File objects for its certificates, readable with ReadProperty, "
            + "ReadPropertyMultiple and AtomicReadFile (bsc read, bsc rpm, bsc file get).",
            "The device comes from bacnet-sc.node.device (instance 1001 unless configured; -1: a node that is no "
                + "device); --device-instance and --device-name override it."})
final class NodeCommand implements Callable<Integer> {

    /** Where the node's device is configured. */
    static final String DEVICE = "bacnet-sc.node.device";

    @Mixin
    ServiceConfig service = new ServiceConfig();

    @Option(names = "--management", paramLabel = "HOST:PORT", description = "serve the node's operations endpoint "
            + "(/health/live, /health/ready, /status, /metrics) there; none without this flag")
    String management;

    @Option(names = "--hub", paramLabel = "URI", description = "primary hub (bacnet-sc.node.primary-hub-uri)")
    URI hub;

    @Option(names = "--failover", paramLabel = "URI", description = "failover hub")
    URI failover;

    @Option(names = "--device-instance", paramLabel = "N", description = "the Device instance "
            + "(bacnet-sc.node.device.instance, default 1001; -1: no device)")
    Integer instance;

    @Option(names = "--device-name", paramLabel = "NAME", description = "the Device's Object_Name "
            + "(bacnet-sc.node.device.name, default bsc-device-INSTANCE)")
    String name;

    /** The former names of --device-instance and --device-name, still understood. */
    @Option(names = "--instance", hidden = true)
    Integer formerInstance;

    @Option(names = "--name", hidden = true)
    String formerName;

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

    /**
     * The node's device: instance, name and password from {@code bacnet-sc.node.device} with the flags over them, the
     * rest from {@code bacnet-sc.device}; null when the instance is -1.
     *
     * @throws IllegalArgumentException naming the key and its value when it is out of range
     */
    DeviceInfo deviceInfo(Config c) {
        int n;
        String objectName;
        String password;
        try {
            n = instance != null ? instance : formerInstance != null ? formerInstance
                    : c.getInt(DEVICE + ".instance");
            objectName = name != null ? name : formerName != null ? formerName : c.getString(DEVICE + ".name");
            password = c.getString(DEVICE + ".password");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(DEVICE + ": " + e.getMessage(), e);
        }
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > 4194302) {
            throw new IllegalArgumentException(DEVICE + ".instance (--device-instance) = " + n + ": must be "
                    + "0-4194302, or -1 for a node that is no device");
        }
        if (password.length() > 20) {
            throw new IllegalArgumentException(DEVICE + ".password: at most 20 characters");
        }
        DeviceInfo info = DeviceInfo.fromConfig(c, n, objectName.isEmpty() ? "bsc-device-" + n : objectName,
                "bsc node");
        return password.isEmpty() ? info : info.withPassword(password);
    }

    @Override
    public Integer call() throws Exception {
        Config c;
        DeviceInfo info;
        try {
            c = withDirectConnect(service.load());
            info = deviceInfo(c);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-node", c);
        ServiceExit exit;
        try {
            ScNode node = ServiceStart.startNode(service, system, c, hub, failover, pkiNode, stateDir);
            exit = ServiceExit.watch(system, "bsc node", node::stop).handleSignals();
            if (info != null) {
                BacnetDevice device = ScDevice.start(system, node, info).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                spec.commandLine().getOut().println("device " + device.instance() + " (" + info.name()
                        + ") running; stop with Ctrl-C or SIGTERM");
            } else {
                spec.commandLine().getOut().println("node running, no BACnet device (" + DEVICE + ".instance = -1); "
                        + "stop with Ctrl-C or SIGTERM");
            }
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
