package org.bacnetsc.examples.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A running hub and its actor system. */
    record Running(ActorSystem<Void> system, ScHub hub) {
    }

    /** Starts the hub; the caller owns the returned system. */
    Running start() throws Exception {
        Config c = service.load();
        if (bind != null) {
            c = c.withValue("bacnet-sc.hub.bind", ConfigValueFactory.fromAnyRef(bind));
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-hub", c);
        try {
            ScHub.Builder b = ScHub.builder().config(c);
            if (service.pki != null) {
                b = b.devPki(service.pki);
            }
            ScHub hub = b.start(system).toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new Running(system, hub);
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
        PrintWriter out = spec.commandLine().getOut();
        out.println("hub listening on " + running.hub().uri() + " (stop with Ctrl-C or SIGTERM)");
        out.flush();
        running.system().getWhenTerminated().toCompletableFuture().get();
        return 0;
    }
}
