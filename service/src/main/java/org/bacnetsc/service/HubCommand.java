package org.bacnetsc.service;

import org.bacnetsc.examples.cli.ServiceConfig;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.bacnetsc.cluster.ClusterSettings;
import org.bacnetsc.hub.Management;
import org.bacnetsc.operations.OperationsEndpoint;
import org.bacnetsc.operations.OperationsSettings;
import org.bacnetsc.hub.ScHub;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bsc hub}: a standalone BACnet/SC hub. */
@Command(name = "hub", mixinStandardHelpOptions = true,
        description = {"Run a BACnet/SC hub from application.conf (binding, certificates, limits, timers); flags "
            + "override it. Logs one line per connect and disconnect; SIGTERM sends Disconnect-Request to every "
            + "node and stops."})
final class HubCommand implements Callable<Integer> {

    @Mixin
    ServiceConfig service = new ServiceConfig();

    @Option(names = "--bind", paramLabel = "HOST:PORT", description = "the hub's binding (bacnet-sc.hub.bind)")
    String bind;

    @Option(names = "--also-bind", paramLabel = "HOST:PORT", description = "a further binding of the same hub, e.g. "
            + "[::1]:4443 beside 127.0.0.1:4443 (repeatable; bacnet-sc.hub.also-bind)")
    java.util.List<String> alsoBind;

    @Option(names = "--cluster", description = "join a Pekko Cluster of hub members (bacnet-sc.cluster.enabled)")
    boolean cluster;

    @Option(names = "--cluster-bind", paramLabel = "HOST:PORT", description = "this member's Artery address "
            + "(bacnet-sc.cluster.hostname/port, default 127.0.0.1:25520)")
    String clusterBind;

    @Option(names = "--seed", paramLabel = "HOST:PORT", description = "a seed member (repeatable; "
            + "bacnet-sc.cluster.seed-nodes); none: form a cluster of one that others join")
    java.util.List<String> seeds;

    @Option(names = "--management", paramLabel = "HOST:PORT", description = "the operations endpoint "
            + "(bacnet-sc.management.bind, default 127.0.0.1:8558)")
    String management;

    @Option(names = "--no-management", description = "no operations endpoint")
    boolean noManagement;

    @Option(names = "--device-instance", paramLabel = "N", description = "run the hub as BACnet device N as well "
            + "(B-SCHUB: Device, Network Port with the hub function's connections, File objects), in this process, "
            + "connected to its own hub function (bacnet-sc.hub.device.instance; -1, the default: no hub device)")
    Integer deviceInstance;

    @Option(names = "--device-name", paramLabel = "NAME", description = "the hub device's Object_Name "
            + "(bacnet-sc.hub.device.name; default \"bsc hub N\")")
    String deviceName;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * A running hub and its actor system.
     *
     * @param system     the actor system (a cluster member when clustered)
     * @param hub        the hub
     * @param management the operations endpoint's URI, or null
     */
    record Running(ActorSystem<Void> system, ScHub hub, java.net.URI management) {
    }

    /** The flags as configuration overrides, validated like the file. */
    private Config withFlags(Config c) {
        java.util.Map<String, Object> o = new java.util.HashMap<>();
        if (alsoBind != null) {
            o.put("bacnet-sc.hub.also-bind", alsoBind);
        }
        if (bind != null) {
            o.put("bacnet-sc.hub.bind", bind);
        }
        if (cluster) {
            o.put("bacnet-sc.cluster.enabled", true);
        }
        if (clusterBind != null) {
            int colon = clusterBind.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("bacnet-sc.cluster.hostname/port (--cluster-bind) = \""
                        + clusterBind + "\": expected host:port");
            }
            o.put("bacnet-sc.cluster.hostname", clusterBind.substring(0, colon));
            o.put("bacnet-sc.cluster.port", clusterBind.substring(colon + 1));
        }
        if (seeds != null) {
            o.put("bacnet-sc.cluster.seed-nodes", seeds.stream()
                    .map(x -> x.startsWith("pekko://") ? x : "pekko://" + ClusterSettings.SYSTEM_NAME + "@" + x)
                    .toList());
        }
        if (management != null) {
            o.put("bacnet-sc.management.bind", management);
        }
        if (noManagement) {
            o.put("bacnet-sc.management.enabled", false);
        }
        if (deviceInstance != null) {
            o.put("bacnet-sc.hub.device.instance", deviceInstance);
        }
        if (deviceName != null) {
            o.put("bacnet-sc.hub.device.name", deviceName);
        }
        Config merged = ConfigFactory.parseMap(o).withFallback(c);
        org.bacnetsc.hub.HubDevice.Settings.fromConfig(merged); // validated like the file
        return merged;
    }

    /** Starts the hub; the caller owns the returned system. */
    Running start() throws Exception {
        Config c = withFlags(service.load());
        ClusterSettings cs = ClusterSettings.fromConfig(c);
        OperationsSettings ms = OperationsSettings.fromConfig(c);
        if (cs.enabled()) {
            c = cs.applyTo(c);
        }
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, c);
        } catch (RuntimeException e) {
            if (!cs.enabled()) {
                throw e;
            }
            throw new IllegalArgumentException("bacnet-sc.cluster.hostname/port = \"" + cs.hostname() + ":" + cs.port()
                    + "\": cannot start the cluster member: " + e.getMessage(), e);
        }
        try {
            if (cs.enabled() && cs.seedNodes().isEmpty()) {
                // No seeds: this member forms a cluster of one; others join it with --seed.
                Cluster cl = Cluster.get(system);
                cl.manager().tell(Join.create(cl.selfMember().address()));
            }
            ScHub.Builder b = ScHub.builder().config(c).clustered(cs.enabled());
            if (service.pki() != null) {
                b = b.devPki(service.pki());
            }
            ScHub hub = b.start(system).toCompletableFuture().get(30, TimeUnit.SECONDS);
            java.net.URI mgmt = null;
            if (ms.enabled()) {
                mgmt = java.net.URI.create("http://" + org.bacnetsc.transport.WsServer.authority(
                        OperationsEndpoint.bindOrFail(system, Management.source(system, hub), ms,
                                OperationsSettings.BIND)) + "/");
            }
            return new Running(system, hub, mgmt);
        } catch (Exception e) {
            system.terminate();
            throw e;
        }
    }

    @Override
    public Integer call() throws Exception {
        Running running;
        try {
            running = start();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.valueOf(e.getCause().getMessage()),
                    e.getCause());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ServiceExit exit = ServiceExit.watch(running.system(), "bsc hub", running.hub()::stop).handleSignals();
        PrintWriter out = spec.commandLine().getOut();
        out.println("hub listening on " + String.join(", ", running.hub().uris().stream().map(Object::toString).toList())
                + " (stop with Ctrl-C or SIGTERM)");
        running.hub().device().ifPresent(d -> out.println("hub device " + d.device().instance() + " (\""
                + d.device().objects().device().name() + "\") on its own hub function"));
        if (running.management() != null) {
            out.println("management on " + running.management() + " (health/live, health/ready, status, metrics)");
        }
        if (running.hub().cluster().isPresent()) {
            out.println("cluster member " + Cluster.get(running.system()).selfMember().address() + " ("
                    + running.hub().notReady().orElse("Up") + ")");
        }
        out.flush();
        ServiceStart.reloadTlsOnHangup();
        return exit.await(spec.commandLine().getErr());
    }
}
