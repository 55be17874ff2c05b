package org.bacnetsc.hub;

import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TlsSettings;
import org.bacnetsc.transport.TransportCounters;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BACnet/SC hub function running inside an {@link ActorSystem}: the hub actor plus its wss binding.
 *
 * <pre>{@code
 * ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "building");
 * ScHub hub = ScHub.builder().bind("127.0.0.1", 4443).tls(myTls).start(system).toCompletableFuture().get();
 * System.out.println("hub at " + hub.uri());
 * hub.status().thenAccept(s -> System.out.println(s.connections().size() + " nodes"));
 * hub.stop();   // Disconnect-Request to every node, then unbind
 * }</pre>
 */
public final class ScHub {

    private static final Logger LOG = LoggerFactory.getLogger(ScHub.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final ActorSystem<?> system;
    private final ActorRef<Hub.Command> hub;
    private final WsServer.Binding binding;
    /** Further bindings ({@code also-bind}), set once they are bound. */
    private volatile java.util.List<WsServer.Binding> more = java.util.List.of();
    private final TransportCounters counters;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CompletableFuture<Done> stoppedFuture = new CompletableFuture<>();

    private final HubCluster cluster;
    private volatile HubDevice device;
    private Duration expiryWarning = Duration.ofDays(30);
    private volatile org.bacnetsc.transport.CertificateExpiry.DailyWarning expiryCheck;

    private ScHub(ActorSystem<?> system, ActorRef<Hub.Command> hub, WsServer.Binding binding,
                  TransportCounters counters, HubCluster cluster) {
        this.system = system;
        this.hub = hub;
        this.binding = binding;
        this.counters = counters;
        this.cluster = cluster;
    }

    /**
     * The certificates this hub serves with now (operational, then issuers), renewed with their files; empty on
     * plain ws.
     */
    public java.util.List<org.bacnetsc.transport.CertificateExpiry.Entry> certificates() {
        return binding.tls().map(org.bacnetsc.transport.CertificateExpiry::of).orElse(java.util.List.of());
    }

    /** Certificates in use that expire within {@code bacnet-sc.tls.expiry-warning} (or have), one line each. */
    public java.util.List<String> certificateWarnings() {
        return org.bacnetsc.transport.CertificateExpiry.warnings(certificates(), expiryWarning,
                java.time.Instant.now());
    }

    /** Logs {@link #certificateWarnings()} at once and then once a day each. */
    private void startExpiryCheck(Duration window) {
        expiryWarning = window;
        expiryCheck = new org.bacnetsc.transport.CertificateExpiry.DailyWarning(system, this::certificates, window);
    }

    /**
     * Why this hub does not admit nodes now, or empty: stopping, or (clustered) this member is not Up in the cluster.
     */
    public java.util.Optional<String> notReady() {
        if (stopped.get()) {
            return java.util.Optional.of("the hub is stopping");
        }
        return cluster == null ? java.util.Optional.empty() : cluster.notReady();
    }

    /** This member's part of the clustered hub, when the hub is clustered. */
    public java.util.Optional<HubCluster> cluster() {
        return java.util.Optional.ofNullable(cluster);
    }

    /** The actor system the hub runs in. */
    public ActorSystem<?> system() {
        return system;
    }

    /** Whether the hub has been stopped (or is stopping). */
    public boolean stopped() {
        return stopped.get();
    }

    /** A builder whose defaults come from the system's configuration ({@code bacnet-sc.*}). */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a hub configured by the system's configuration. */
    public static CompletionStage<ScHub> start(ActorSystem<?> system) {
        return builder().start(system);
    }

    /** The address the hub is bound to. */
    public InetSocketAddress boundAddress() {
        return binding.localAddress();
    }

    /** The URIs of every binding: {@link #uri()} first, then those of {@code also-bind}. */
    public java.util.List<URI> uris() {
        java.util.List<URI> out = new java.util.ArrayList<>();
        out.add(uri());
        more.forEach(b -> out.add(URI.create("wss://" + WsServer.authority(b.localAddress()) + "/hub")));
        return out;
    }

    /** The hub as a BACnet device, when {@code bacnet-sc.hub.device.instance} (or the builder) configures one. */
    public java.util.Optional<HubDevice> device() {
        return java.util.Optional.ofNullable(device);
    }

    /** The hub's URI, {@code wss://host:port/hub}. */
    public URI uri() {
        return URI.create("wss://" + WsServer.authority(binding.localAddress()) + "/hub");
    }

    /** The §15 status: connections, failed requests, counters. */
    public CompletionStage<HubStatus> status() {
        // Re-completed on the actor system: Pekko's own futures run plain callbacks on the common pool, which on
        // two cores starts a thread per callback.
        return AskPattern.ask(hub, Hub.GetStatus::new, ASK_TIMEOUT, system.scheduler())
                .thenApplyAsync(s -> s, system.executionContext());
    }

    /** Counters of the WebSocket binding (refused upgrades, text frames, queue drops, ...). */
    public TransportCounters.Snapshot transportCounters() {
        return counters.snapshot();
    }

    /**
     * Stops gracefully: no new connections, Disconnect-Request to every node, then the binding is terminated.
     * Idempotent; also run by CoordinatedShutdown.
     */
    public CompletionStage<Done> stop() {
        if (stopped.compareAndSet(false, true)) {
            if (expiryCheck != null) {
                expiryCheck.close();
            }
            if (device != null) {
                device.stop();
            }
            java.util.List<WsServer.Binding> all = new java.util.ArrayList<>(more);
            all.add(0, binding);
            CompletableFuture.allOf(all.stream().map(b -> b.unbind().toCompletableFuture())
                            .toArray(CompletableFuture[]::new))
                    .thenComposeAsync(d -> AskPattern.<Hub.Command, Done>ask(hub, Hub.Shutdown::new,
                            Duration.ofSeconds(30), system.scheduler()), system.executionContext())
                    .thenComposeAsync(d -> CompletableFuture.allOf(all.stream().map(b -> b.terminate(
                            Duration.ofSeconds(2)).toCompletableFuture()).toArray(CompletableFuture[]::new)),
                            system.executionContext())
                    .whenCompleteAsync((d, t) -> {
                        LOG.info("hub at {} stopped", uri());
                        stoppedFuture.complete(Done.getInstance());
                    }, system.executionContext());
        }
        return stoppedFuture;
    }

    /** Configures and starts a hub. */
    public static final class Builder {
        private Config config;
        private String host;
        private Integer port;
        private TlsSettings tls;
        private HubDevice.Settings deviceSettings;
        private Path devPki;
        private HubSettings hubSettings;
        private ConnectionSettings connectionSettings;
        private TransportSettings transportSettings;
        private Boolean clustered;

        private Builder() {
        }

        /**
         * Run as a member of a clustered hub (default: {@code bacnet-sc.cluster.enabled}); the actor system must be a
         * cluster member ({@code pekko.actor.provider = cluster}, see {@code ClusterSettings.applyTo}).
         */
        public Builder clustered(boolean value) {
            this.clustered = value;
            return this;
        }

        /** Read defaults from this configuration instead of the system's. */
        public Builder config(Config value) {
            this.config = value;
            return this;
        }

        /** Bind to this interface and port (0 for any free port). */
        public Builder bind(String bindHost, int bindPort) {
            this.host = bindHost;
            this.port = bindPort;
            return this;
        }

        /** Use these TLS settings. */
        public Builder tls(TlsSettings value) {
            this.tls = value;
            return this;
        }

        /** Use (and create when missing) the development PKI in this directory. */
        public Builder devPki(Path dir) {
            this.devPki = dir;
            return this;
        }

        /** Run the hub as a BACnet device (instead of {@code bacnet-sc.hub.device}). */
        public Builder device(HubDevice.Settings value) {
            this.deviceSettings = value;
            return this;
        }

        /** Use these hub settings. */
        public Builder hubSettings(HubSettings value) {
            this.hubSettings = value;
            return this;
        }

        /** Use these connection timers. */
        public Builder connectionSettings(ConnectionSettings value) {
            this.connectionSettings = value;
            return this;
        }

        /** Use these transport settings. */
        public Builder transportSettings(TransportSettings value) {
            this.transportSettings = value;
            return this;
        }

        /**
         * Spawns the hub actor in {@code system} and binds. Configuration errors fail the returned stage with a message
         * naming the key.
         */
        public CompletionStage<ScHub> start(ActorSystem<?> system) {
            try {
                Config c = config != null ? config : system.settings().config();
                HubSettings hs = hubSettings != null ? hubSettings : HubSettings.fromConfig(c);
                if (host != null) {
                    hs = hs.withBind(host, port);
                }
                ConnectionSettings cs = connectionSettings != null ? connectionSettings
                        : ConnectionSettings.fromConfig(c);
                TransportSettings ts = transportSettings != null ? transportSettings
                        : TransportSettings.fromConfig(c);
                TlsSettings tlsSettings = resolveTls(c);
                Duration expiryWindow = org.bacnetsc.transport.CertificateExpiry.warningWindow(c);
                FileDescriptors.warning(hs.maxConnections(), FileDescriptors.limit()).ifPresent(LOG::warn);
                long n = SEQUENCE.incrementAndGet();
                java.util.Optional<HubCluster.Provider> provider = HubCluster.provider();
                boolean inCluster = clustered != null ? clustered
                        : provider.map(p -> p.enabled(c)).orElse(false);
                HubCluster membership = null;
                ActorRef<Hub.Command> hub;
                if (inCluster) {
                    String actorProvider = system.settings().config().getString("pekko.actor.provider");
                    if (!actorProvider.equals("cluster") && !actorProvider.endsWith("ClusterActorRefProvider")) {
                        throw new IllegalArgumentException("bacnet-sc.cluster.enabled = on needs an actor system with "
                                + "pekko.actor.provider = cluster, got \"" + actorProvider + "\"");
                    }
                    membership = provider.orElseThrow(() -> new IllegalArgumentException("bacnet-sc.cluster.enabled "
                            + "= on, but no clustered hub is on the class path (org.bacnetsc.cluster)")).join(system);
                    hub = system.systemActorOf(Hub.create(hs, cs, membership.directory()), "bacnet-sc-hub-" + n,
                            Props.empty());
                    membership.keep(system, hub, "bacnet-sc-hub-cluster-" + n);
                } else {
                    hub = system.systemActorOf(Hub.create(hs, cs), "bacnet-sc-hub-" + n, Props.empty());
                }
                HubCluster ready = membership;
                TransportCounters counters = new TransportCounters();
                HubSettings bound = hs;
                WsServer.Acceptor acceptor = acceptor(system, hub, ready);
                return WsServer.bind(system, hs.bindHost(), hs.bindPort(), tlsSettings, WsServer.HUB_SUBPROTOCOL,
                        hs.maxBvlcLength(), ts, counters, acceptor)
                        .thenCompose(binding -> {
                            // the further bindings one after the other; if one fails, every binding made is undone
                            java.util.List<WsServer.Binding> made = new java.util.ArrayList<>(List.of(binding));
                            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                            for (InetSocketAddress a : bound.alsoBind()) {
                                chain = chain.thenCompose(v -> WsServer.bind(system, a.getHostString(), a.getPort(),
                                        tlsSettings, WsServer.HUB_SUBPROTOCOL, bound.maxBvlcLength(), ts, counters,
                                        acceptor).thenAccept(made::add).toCompletableFuture());
                            }
                            return chain.handle((v, failure) -> {
                                if (failure != null) {
                                    made.forEach(WsServer.Binding::unbind);
                                    throw new java.util.concurrent.CompletionException(failure);
                                }
                                ScHub h = new ScHub(system, hub, binding, counters, ready);
                                h.more = List.copyOf(made.subList(1, made.size()));
                                return h;
                            });
                        })
                        .thenCompose(h -> {
                            HubDevice.Settings ds = deviceSettings != null ? deviceSettings
                                    : HubDevice.Settings.fromConfig(c);
                            if (!ds.enabled()) {
                                return CompletableFuture.completedFuture(h);
                            }
                            return HubDevice.start(system, h, ds, tlsSettings).thenApply(d -> {
                                h.device = d;
                                LOG.info("hub device {} (\"{}\") on {}", ds.instance(), ds.name(), h.uri());
                                return h;
                            });
                        })
                        .thenApplyAsync(h -> {
                            h.startExpiryCheck(expiryWindow);
                            CoordinatedShutdown.get(system.classicSystem()).addTask(
                                    CoordinatedShutdown.PhaseServiceRequestsDone(), "bacnet-sc-hub-stop-" + n,
                                    h::stop);
                            LOG.info("hub function listening on {} ({} {}, max {} connections)", h.uris(),
                                    bound.identity().vmac(), bound.identity().deviceUuid(), bound.maxConnections());
                            return h;
                        }, system.executionContext());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private static WsServer.Acceptor acceptor(ActorSystem<?> system, ActorRef<Hub.Command> hub,
                                                  HubCluster readiness) {
            return new WsServer.Acceptor() {
                @Override
                public CompletionStage<java.util.Optional<ActorRef<org.bacnetsc.connection.Connection.Command>>>
                        accept(String peer, org.bacnetsc.connection.PeerCertificate cert) {
                    java.util.Optional<String> notReady = readiness == null ? java.util.Optional.empty()
                            : readiness.notReady();
                    if (notReady.isPresent()) {
                        // No islands: a member that is not Up in the cluster admits nobody.
                        return CompletableFuture.failedFuture(new WsServer.Refused("this hub member is not ready: "
                                + notReady.get()));
                    }
                    return AskPattern.ask(hub, reply -> new Hub.Accept(peer, cert, reply), ASK_TIMEOUT,
                            system.scheduler());
                }

                @Override
                public void certificateRejected(org.bacnetsc.codec.ErrorCode error, String details) {
                    hub.tell(new Hub.CertificateRejected(error, details));
                }
            };
        }

        private TlsSettings resolveTls(Config c) {
            return DevPki.tlsFor(c, tls, devPki, "hub", 2, DevPki::hubTls);
        }
    }
}
