package org.bacnetsc.router;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.bacnetsc.node.ScNode;

/**
 * A BACnet router between a BACnet/IP network and a BACnet/SC network, embedded in an application's ActorSystem:
 * <pre>{@code
 * ScNode sc = ScNode.builder().primaryHub(hubUri).devPki(pki, 1).stateDir(state).start(system);
 * ScRouter router = ScRouter.builder().bip("192.0.2.10:47808").bipNetwork(1).bbmd(true)
 *         .scNetwork(2).scPort(sc).start(system);
 * router.status().thenAccept(s -> System.out.println(s.table()));
 * }</pre>
 * Unset values come from {@code bacnet-sc.router} in the configuration (reference.conf documents each key); a bad
 * value fails {@link Builder#start} with a message naming the key and the value.
 */
public final class ScRouter {

    private static final Duration ASK = Duration.ofSeconds(5);

    private final ActorSystem<?> system;
    private final ActorRef<Router.Command> router;
    private final Router.Settings settings;
    private final ScNode sc;
    private final boolean stopsScPort;
    private CompletableFuture<Done> stopped;

    private ScRouter(ActorSystem<?> system, ActorRef<Router.Command> router, Router.Settings settings, ScNode sc,
                     boolean stopsScPort) {
        this.system = system;
        this.router = router;
        this.settings = settings;
        this.sc = sc;
        this.stopsScPort = stopsScPort;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings it runs with. */
    public Router.Settings settings() {
        return settings;
    }

    /** The router actor (for {@link Router.AttachApplication} and {@link Router.FromApplication}). */
    public ActorRef<Router.Command> ref() {
        return router;
    }

    /** The SC port. */
    public ScNode scPort() {
        return sc;
    }

    /** The routing table, both ports' state, the FDT and the counters. */
    public CompletionStage<Router.Status> status() {
        return AskPattern.ask(router, Router.GetStatus::new, ASK, system.scheduler());
    }

    /**
     * Stops routing and closes the BACnet/IP port; also stops the SC port when {@link Builder#stopScPortWithRouter}
     * was set. Idempotent.
     */
    public synchronized CompletionStage<Done> stop() {
        if (stopped == null) {
            stopped = new CompletableFuture<>();
            AskPattern.<Router.Command, Done>ask(router, Router.Stop::new, ASK, system.scheduler())
                    .handle((d, t) -> Done.done())
                    .thenCompose(d -> stopsScPort ? sc.stop() : CompletableFuture.completedFuture(Done.done()))
                    .whenComplete((d, t) -> stopped.complete(Done.done()));
        }
        return stopped;
    }

    /** Configures and starts a router. */
    public static final class Builder {
        private Config config;
        private final Map<String, Object> overrides = new HashMap<>();
        private ScNode sc;
        private boolean stopsScPort;
        private String name = "bacnet-sc-router";

        private Builder() {
        }

        /** Read {@code bacnet-sc.router} from this configuration instead of the system's. */
        public Builder config(Config value) {
            this.config = value;
            return this;
        }

        /** The BACnet/IP port's binding, IPv4 "host:port" ({@code bip-bind}). */
        public Builder bip(String hostPort) {
            return set("bip-bind", hostPort);
        }

        /** The BACnet/IP network number ({@code bip-network}). */
        public Builder bipNetwork(int network) {
            return set("bip-network", network);
        }

        /** Where broadcasts go on the BACnet/IP side ({@code bip-broadcast}). */
        public Builder bipBroadcast(String address) {
            return set("bip-broadcast", address);
        }

        /** Run the BACnet/IP port as a BBMD ({@code bbmd}). */
        public Builder bbmd(boolean on) {
            return set("bbmd", on);
        }

        /** The BBMD's peers, "host:port" ({@code bdt}). */
        public Builder bdt(List<String> peers) {
            return set("bdt", List.copyOf(peers));
        }

        /** The BACnet/SC network number ({@code sc-network}). */
        public Builder scNetwork(int network) {
            return set("sc-network", network);
        }

        /** How long an NPDU for an unknown network waits for a route ({@code discovery-timeout}). */
        public Builder discoveryTimeout(Duration value) {
            return set("discovery-timeout", value.toMillis() + "ms");
        }

        /** Forwarded broadcasts per second and destination port at most ({@code broadcasts-per-second}). */
        public Builder broadcastsPerSecond(int value) {
            return set("broadcasts-per-second", value);
        }

        /** The SC port: a node started with {@link ScNode#builder()} (required). */
        public Builder scPort(ScNode value) {
            this.sc = value;
            return this;
        }

        /** Whether {@link ScRouter#stop} also stops the SC port (default: no, the caller owns it). */
        public Builder stopScPortWithRouter(boolean value) {
            this.stopsScPort = value;
            return this;
        }

        /** The router actor's name (default {@code bacnet-sc-router}; one router per name and system). */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        private Builder set(String key, Object value) {
            overrides.put("bacnet-sc.router." + key, value);
            return this;
        }

        /**
         * Binds the BACnet/IP port and starts routing once both ports are up.
         *
         * @throws IllegalArgumentException naming the key and the value of a bad setting, or when no SC port is set
         */
        public ScRouter start(ActorSystem<?> system) {
            if (sc == null) {
                throw new IllegalArgumentException("ScRouter: scPort(ScNode) is required");
            }
            Config base = config != null ? config : system.settings().config();
            Router.Settings settings = Router.Settings.fromConfig(ConfigFactory.parseMap(overrides)
                    .withFallback(base));
            ActorRef<Router.Command> ref = system.systemActorOf(Router.create(settings, ScPort.of(sc)), name, Props.empty());
            return new ScRouter(system, ref, settings, sc, stopsScPort);
        }
    }
}
