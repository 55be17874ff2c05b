package org.bacnetsc.service;

import org.bacnetsc.examples.cli.ServiceConfig;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.router.Router;
import org.bacnetsc.router.ScRouter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bsc router}: a BACnet router between a BACnet/IP network and a BACnet/SC network. */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = {"Route between a BACnet/IP network (UDP, Annex J; optionally as a BBMD) and a BACnet/SC "
            + "network (through a hub): BACnet/IP devices see the SC devices as a remote network and the other way "
            + "round. Each flag overrides its key under bacnet-sc.router (or bacnet-sc.node for the SC side) in "
            + "application.conf. The router's own Device object (on the SC network) answers Who-Is and ReadProperty "
            + "from both sides."})
final class RouterCommand implements Callable<Integer> {

    @Mixin
    ServiceConfig service = new ServiceConfig();

    @Option(names = "--bip", paramLabel = "HOST:PORT", description = "the BACnet/IP port's binding (IPv4; "
            + "bacnet-sc.router.bip-bind)")
    String bip;

    @Option(names = "--bip-network", paramLabel = "N", description = "the BACnet/IP network number")
    Integer bipNetwork;

    @Option(names = "--bip-broadcast", paramLabel = "ADDR", description = "where broadcasts go (default: the "
            + "binding's x.y.z.255, same port)")
    String bipBroadcast;

    @Option(names = "--bbmd", description = "run the BACnet/IP port as a BBMD")
    boolean bbmd;

    @Option(names = "--bdt", paramLabel = "HOST:PORT", description = "a peer BBMD (repeatable; with --bbmd)")
    List<String> bdt;

    @Option(names = "--hub", paramLabel = "URI", description = "the SC port's primary hub")
    URI hub;

    @Option(names = "--failover", paramLabel = "URI", description = "the SC port's failover hub")
    URI failover;

    @Option(names = "--sc-network", paramLabel = "M", description = "the BACnet/SC network number")
    Integer scNetwork;

    @Option(names = "--pki-node", defaultValue = "1", description = "which node certificate of --pki to use")
    int pkiNode;

    @Option(names = "--instance", defaultValue = "3001", description = "the router's device instance")
    int instance;

    @Option(names = "--name", description = "the router's object-name (default bsc-router-INSTANCE)")
    String name;

    @Option(names = "--management", paramLabel = "HOST:PORT", description = "serve the router's operations "
            + "endpoint (/health/live, /health/ready, /status with the routing table, ports and FDT, /metrics) there")
    String management;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where the SC port's VMAC and UUID are kept")
    Path stateDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A running router. */
    record Running(ActorSystem<Void> system, ScRouter router) {

        ScNode sc() {
            return router.scPort();
        }

        Router.Settings settings() {
            return router.settings();
        }
    }

    private Config withFlags(Config c) {
        Map<String, Object> o = new HashMap<>();
        String r = "bacnet-sc.router.";
        if (bip != null) {
            o.put(r + "bip-bind", bip);
        }
        if (bipNetwork != null) {
            o.put(r + "bip-network", bipNetwork);
        }
        if (bipBroadcast != null) {
            o.put(r + "bip-broadcast", bipBroadcast);
        }
        if (bbmd) {
            o.put(r + "bbmd", true);
        }
        if (bdt != null) {
            o.put(r + "bdt", bdt);
        }
        if (scNetwork != null) {
            o.put(r + "sc-network", scNetwork);
        }
        return ConfigFactory.parseMap(o).withFallback(c);
    }

    /** Starts; the caller owns the returned system. */
    Running start() {
        Config c = withFlags(service.load());
        Router.Settings.fromConfig(c); // a bad key fails here, before anything starts
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-router", c);
        try {
            ScNode sc = ServiceStart.startNode(service, system, c, hub, failover, pkiNode, stateDir);
            ScRouter router = ScRouter.builder().config(c).scPort(sc).stopScPortWithRouter(true).start(system);
            // the router's own device: answers on its SC port and, through the router, from BACnet/IP
            org.bacnetsc.router.RouterDevice.start(system, router, org.bacnetsc.device.object.DeviceInfo.fromConfig(
                    c, instance, name != null ? name : "bsc-router-" + instance, "bsc router"))
                    .toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
            return new Running(system, router);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | InterruptedException e) {
            system.terminate();
            throw new IllegalStateException("the router's device did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws Exception {
        Running running;
        try {
            running = start();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ServiceExit exit = ServiceExit.watch(running.system(), "bsc router", running.router()::stop)
                .handleSignals();
        Router.Settings s = running.settings();
        spec.commandLine().getOut().println("router: network " + s.bipNetwork() + " on BACnet/IP "
                + s.bipBind().getAddress().getHostAddress() + ":" + s.bipBind().getPort() + (s.bbmd() != null
                ? " (BBMD)" : "") + ", network " + s.scNetwork() + " on BACnet/SC; stop with Ctrl-C or SIGTERM");
        spec.commandLine().getOut().flush();
        if (management != null) {
            try {
                ServiceStart.bindManagement(running.system(),
                        org.bacnetsc.router.RouterOperations.source(running.router()), management,
                        spec.commandLine().getOut());
            } catch (IllegalArgumentException e) {
                running.system().terminate();
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
        ServiceStart.reloadTlsOnHangup();
        return exit.await(spec.commandLine().getErr());
    }
}
