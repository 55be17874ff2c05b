package org.bacnetsc.node;

import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.SendResult;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TlsSettings;
import org.bacnetsc.transport.TransportCounters;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsClient;
import org.bacnetsc.transport.WsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BACnet/SC node in an {@link ActorSystem}: connects to its primary (or failover) hub and sends and receives
 * NPDUs.
 *
 * <pre>{@code
 * ScNode node = ScNode.builder().primaryHub(URI.create("wss://127.0.0.1:4443/hub")).devPki(Path.of("pki"), 1)
 *         .start(system);
 * node.npdus().runForeach(n -> System.out.println(n.source() + ": " + n.npdu()), system);
 * node.broadcast(npdu).toCompletableFuture().get();
 * node.stop();
 * }</pre>
 */
public final class ScNode {

    private static final Logger LOG = LoggerFactory.getLogger(ScNode.class);
    /** NPDUs an {@link #npdus()} stream holds for the application. */
    public static final int NPDU_BUFFER = 1024;
    private static final AtomicLong NPDU_STREAMS = new AtomicLong();
    private final AtomicLong npdusDropped = new AtomicLong();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Duration ASK = Duration.ofSeconds(30);

    private final ActorSystem<?> system;
    private final ActorRef<Node.Command> node;
    private final TransportCounters counters;
    private final CompletableFuture<Done> stopped = new CompletableFuture<>();
    /** Our TLS material for the connections this node opens (renewed with its files); null on plain ws. */
    private volatile org.bacnetsc.transport.TlsReloader tls;
    private volatile Configuration configuration;
    private volatile Duration expiryWindow = Duration.ofDays(30);
    private volatile org.bacnetsc.transport.CertificateExpiry.DailyWarning expiryCheck;
    private volatile boolean ownsSystem;
    private volatile org.bacnetsc.transport.WsServer.Binding directBinding;

    private ScNode(ActorSystem<?> system, ActorRef<Node.Command> node, TransportCounters counters) {
        this.system = system;
        this.node = node;
        this.counters = counters;
    }

    /** Why a resolution or a direct connection did not work out. */
    public static final class DirectConnectException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DirectConnectException(String message) {
            super(message);
        }
    }

    /**
     * Resolves a VMAC to its direct-connect URIs: from the cache while fresh, else with Address-Resolution through
     * the hub. Completes with an empty list when the peer does not accept direct connections (NAK 45); fails with
     * {@link DirectConnectException} when there is no answer in time or no hub connection.
     */
    public CompletionStage<List<URI>> resolve(Vmac vmac) {
        return AskPattern.<Node.Command, NodeSwitch.Resolution>ask(node,
                        r -> new Node.ToSwitch(new NodeSwitch.Resolve(vmac, r)), ASK, system.scheduler())
                .thenApplyAsync(r -> {
                    if (r.failure() != null) {
                        throw new DirectConnectException(r.failure());
                    }
                    return r.uris();
                }, system.executionContext());
    }

    /**
     * Opens a direct connection to a VMAC (resolving it, then trying its URIs in order); completes with the URI that
     * connected (null when the peer connected to us first). From then on unicasts to it go over that connection.
     * Fails with {@link DirectConnectException} when the peer does not accept direct connections, none of its URIs
     * works, or a Connect-Accept carries another VMAC than the resolved one.
     */
    public CompletionStage<URI> connectDirect(Vmac vmac) {
        return AskPattern.<Node.Command, NodeSwitch.DirectResult>ask(node,
                        r -> new Node.ToSwitch(new NodeSwitch.ConnectDirect(vmac, r)), ASK, system.scheduler())
                .thenApplyAsync(r -> {
                    if (!r.connected()) {
                        throw new DirectConnectException(r.failure());
                    }
                    return r.uri();
                }, system.executionContext());
    }

    /** Closes the direct connection(s) with a VMAC gracefully; unicasts to it go through the hub again. */
    public void disconnectDirect(Vmac vmac) {
        node.tell(new Node.ToSwitch(new NodeSwitch.DisconnectDirect(vmac)));
    }

    /** Why a send did not reach the hub connection. */
    public static final class SendFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SendResult.Reason reason;

        SendFailedException(SendResult.Reason reason, String details) {
            super(reason + ": " + details);
            this.reason = reason;
        }

        /** NOT_CONNECTED, TOO_LONG_FOR_PEER, QUEUE_FULL or NOT_ALLOWED. */
        public SendResult.Reason reason() {
            return reason;
        }
    }

    /** A builder whose defaults come from the configuration ({@code bacnet-sc.node}, {@code bacnet-sc.tls}). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends an NPDU to one node. Completes when the frame is handed to the hub connection; fails with
     * {@link SendFailedException} (not connected, too long for the hub, ...).
     */
    public CompletionStage<Done> send(Vmac destination, ByteString npdu) {
        return send(destination, npdu, List.of());
    }

    /** Sends an NPDU with data options. */
    public CompletionStage<Done> send(Vmac destination, ByteString npdu, List<HeaderOption> dataOptions) {
        CompletionStage<SendResult> r = AskPattern.ask(node,
                reply -> new Node.SendNpdu(destination, npdu, dataOptions, reply), ASK, system.scheduler());
        // Pekko's stages run plain callbacks on the common pool, which on two cores is a new thread per callback.
        return r.thenApplyAsync(result -> {
            if (result instanceof SendResult.Refused refused) {
                throw new SendFailedException(refused.reason(), refused.details());
            }
            return Done.getInstance();
        }, system.executionContext());
    }

    /** Broadcasts an NPDU to every node on the hub. */
    public CompletionStage<Done> broadcast(ByteString npdu) {
        return send(Vmac.BROADCAST, npdu);
    }

    /**
     * Every NPDU received from now on, as a stream. It holds up to {@value #NPDU_BUFFER} NPDUs the application has not
     * taken yet; when it is full, newer NPDUs are dropped, counted ({@link #npdusDropped()}, the node's metrics) and
     * logged (a WARN for the first of each run of drops).
     */
    public Source<ReceivedNpdu, NotUsed> npdus() {
        Pair<org.apache.pekko.stream.BoundedSourceQueue<ReceivedNpdu>, Source<ReceivedNpdu, NotUsed>> p =
                Source.<ReceivedNpdu>queue(NPDU_BUFFER).preMaterialize(Materializer.matFromSystem(system));
        org.apache.pekko.stream.BoundedSourceQueue<ReceivedNpdu> queue = p.first();
        ActorRef<ReceivedNpdu> feeder = system.systemActorOf(org.apache.pekko.actor.typed.javadsl.Behaviors
                .setup(ctx -> {
                    boolean[] dropping = {false};
                    return org.apache.pekko.actor.typed.javadsl.Behaviors.receiveMessage(n -> {
                        org.apache.pekko.stream.QueueOfferResult r = queue.offer(n);
                        if (r == org.apache.pekko.stream.QueueOfferResult.dropped()) {
                            npdusDropped.incrementAndGet();
                            if (!dropping[0]) {
                                dropping[0] = true;
                                LOG.warn("the application does not keep up with npdus(): {} NPDUs waiting, newer ones "
                                        + "are dropped and counted until it does", NPDU_BUFFER);
                            }
                            return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
                        }
                        dropping[0] = false;
                        // the stream was cancelled: stop, and the node forgets this subscriber
                        return r == org.apache.pekko.stream.QueueOfferResult.enqueued()
                                ? org.apache.pekko.actor.typed.javadsl.Behaviors.same()
                                : org.apache.pekko.actor.typed.javadsl.Behaviors.stopped();
                    });
                }), "bacnet-sc-npdus-" + NPDU_STREAMS.incrementAndGet(), Props.empty());
        subscribe(feeder);
        return p.second();
    }

    /** NPDUs {@link #npdus()} dropped because the application did not take them (all its streams together). */
    public long npdusDropped() {
        return npdusDropped.get();
    }

    /** Every NPDU received from now on goes to {@code subscriber} until it stops. */
    public void subscribe(ActorRef<ReceivedNpdu> subscriber) {
        node.tell(new Node.Subscribe(subscriber));
    }

    /** The status now, then at every change of the hub connector state or VMAC, goes to {@code subscriber}. */
    public void subscribeStatus(ActorRef<NodeStatus> subscriber) {
        node.tell(new Node.SubscribeStatus(subscriber));
    }

    /** The certificates this node connects with now (operational, then issuers), renewed with their files. */
    public java.util.List<org.bacnetsc.transport.CertificateExpiry.Entry> certificates() {
        org.bacnetsc.transport.TlsReloader t = tls;
        return t == null ? List.of() : org.bacnetsc.transport.CertificateExpiry.of(t);
    }

    /** Certificates in use that expire within {@code bacnet-sc.tls.expiry-warning} (or have), one line each. */
    public List<String> certificateWarnings() {
        return org.bacnetsc.transport.CertificateExpiry.warnings(certificates(), expiryWindow,
                java.time.Instant.now());
    }

    /** The current status. */
    public CompletionStage<NodeStatus> status() {
        return AskPattern.ask(node, Node.GetStatus::new, ASK, system.scheduler())
                .thenApplyAsync(s -> s, system.executionContext()); // a plain future (see send)
    }

    /**
     * What the node was started with: its hub URIs and reconnect times, connection timers and lengths, and direct
     * connect settings (a Network Port object shows them).
     *
     * @param hub    the hub connector's settings
     * @param direct the direct connect settings
     */
    public record Configuration(HubConnector.Settings hub, DirectConnectSettings direct) {
    }

    /** What the node was started with. */
    public Configuration configuration() {
        return configuration;
    }

    /** The TLS material in use now (our certificate, the issuers, the files they come from). */
    public org.bacnetsc.transport.TlsReloader tls() {
        return tls;
    }

    /** Drops the node's connections and connects again with the same identity (ReinitializeDevice's restart). */
    public void restartPort() {
        node.tell(new Node.RestartPort());
    }

    /** Counters of the node's WebSocket client side. */
    public TransportCounters.Snapshot transportCounters() {
        return counters.snapshot();
    }

    /** Disconnects gracefully (Disconnect-Request to the hub) and stops; idempotent; also run by CoordinatedShutdown. */
    public synchronized CompletionStage<Done> stop() {
        if (!stopping) {
            stopping = true;
            if (expiryCheck != null) {
                expiryCheck.close();
            }
            if (directBinding != null) {
                directBinding.unbind();
            }
            AskPattern.<Node.Command, Done>ask(node, Node.Stop::new, ASK, system.scheduler())
                    .whenCompleteAsync((d, t) -> {
                        if (ownsSystem) {
                            system.terminate();
                        }
                        stopped.complete(Done.getInstance());
                    }, system.executionContext());
        }
        return stopped;
    }

    private boolean stopping;

    /** Configures and starts a node. */
    public static final class Builder {
        private Config config;
        private URI primary;
        private URI failover;
        private boolean failoverSet;
        private TlsSettings tls;
        private Path devPki;
        private int devPkiNode = 1;
        private Vmac vmac;
        private DeviceUuid uuid;
        private Path stateDir;
        private Duration minReconnect;
        private Duration maxReconnect;
        private ConnectionSettings connectionSettings;
        private DirectConnectSettings directConnect;

        private Builder() {
        }

        /** The node switch's settings (default: {@code bacnet-sc.node.direct-connect}). */
        public Builder directConnect(DirectConnectSettings value) {
            this.directConnect = value;
            return this;
        }

        /** Read defaults from this configuration instead of the system's. */
        public Builder config(Config value) {
            this.config = value;
            return this;
        }

        /** SC_Primary_Hub_URI. */
        public Builder primaryHub(URI value) {
            this.primary = value;
            return this;
        }

        /** SC_Failover_Hub_URI (null for none). */
        public Builder failoverHub(URI value) {
            this.failover = value;
            this.failoverSet = true;
            return this;
        }

        /** TLS settings. */
        public Builder tls(TlsSettings value) {
            this.tls = value;
            return this;
        }

        /** Use node {@code n}'s certificate from the development PKI in {@code dir} (created when missing). */
        public Builder devPki(Path dir, int n) {
            this.devPki = dir;
            this.devPkiNode = n;
            return this;
        }

        /** A fixed VMAC and Device UUID (either may be null to use the stored or a new one). */
        public Builder identity(Vmac fixedVmac, DeviceUuid fixedUuid) {
            this.vmac = fixedVmac;
            this.uuid = fixedUuid;
            return this;
        }

        /** Where the VMAC and Device UUID are kept across restarts. */
        public Builder stateDir(Path value) {
            this.stateDir = value;
            return this;
        }

        /** SC_Minimum_Reconnect_Time and SC_Maximum_Reconnect_Time. */
        public Builder reconnect(Duration min, Duration max) {
            this.minReconnect = min;
            this.maxReconnect = max;
            return this;
        }

        /** Connection timers and limits. */
        public Builder connectionSettings(ConnectionSettings value) {
            this.connectionSettings = value;
            return this;
        }

        /**
         * Starts the node in an actor system of its own (configured like {@code ConfigFactory.load()}, or by
         * {@link #config}); {@link ScNode#stop()} terminates that system.
         */
        public ScNode start() {
            Config c = config != null ? config : com.typesafe.config.ConfigFactory.load();
            ActorSystem<Void> own = ActorSystem.create(org.apache.pekko.actor.typed.javadsl.Behaviors.empty(),
                    "bacnet-sc-node", c);
            try {
                ScNode n = config(c).start(own);
                n.ownsSystem = true;
                return n;
            } catch (RuntimeException e) {
                own.terminate();
                throw e;
            }
        }

        /**
         * Starts the node in {@code system}; it connects in the background.
         *
         * @throws IllegalArgumentException for bad configuration, naming the key
         */
        public ScNode start(ActorSystem<?> system) {
            Config c = config != null ? config : system.settings().config();
            Config n = c.getConfig("bacnet-sc.node");
            URI p = primary != null ? primary : uri(n, "primary-hub-uri");
            if (p == null) {
                throw new IllegalArgumentException("bacnet-sc.node.primary-hub-uri is required");
            }
            URI f = failoverSet ? failover : uri(n, "failover-hub-uri");
            Duration min = minReconnect != null ? minReconnect : n.getDuration("minimum-reconnect-time");
            Duration max = maxReconnect != null ? maxReconnect : n.getDuration("maximum-reconnect-time");
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("bacnet-sc.node.minimum-reconnect-time (" + min + ") must be "
                        + "positive and at most maximum-reconnect-time (" + max + ")");
            }
            ConnectionSettings cs = connectionSettings != null ? connectionSettings
                    : ConnectionSettings.fromConfig(c);
            TransportSettings ts = TransportSettings.fromConfig(c);
            TlsSettings t = resolveTls(c);
            NodeIdentityStore store = NodeIdentityStore.in(stateDir != null ? stateDir
                    : Path.of(n.getString("state-dir")));
            Vmac v = vmac != null ? vmac : optional(n, "vmac", Vmac::parse);
            DeviceUuid u = uuid != null ? uuid : optional(n, "device-uuid", DeviceUuid::parse);
            LocalIdentity identity = store.resolve(v, u);
            DirectConnectSettings dc = directConnect != null ? directConnect : DirectConnectSettings.fromConfig(c);
            TransportCounters counters = new TransportCounters();
            HubConnector.Settings hs = new HubConnector.Settings(p, f, min, max, cs);
            ActorRef<Node.Command> ref = system.systemActorOf(Node.create(hs, identity, store,
                    uri -> WsClient.opener(system, uri, WsServer.HUB_SUBPROTOCOL, t, cs.connectWaitTimeout(),
                            cs.maxBvlcLength(), ts, counters), dc,
                    uri -> WsClient.opener(system, uri, WsServer.DIRECT_SUBPROTOCOL, t, cs.connectWaitTimeout(),
                            cs.maxBvlcLength(), ts, counters)), "bacnet-sc-node-" + SEQUENCE.incrementAndGet(),
                    Props.empty());
            ScNode node = new ScNode(system, ref, counters);
            node.tls = org.bacnetsc.transport.TlsReloader.client(t);
            node.configuration = new Configuration(hs, dc);
            node.expiryWindow = org.bacnetsc.transport.CertificateExpiry.warningWindow(c);
            node.expiryCheck = new org.bacnetsc.transport.CertificateExpiry.DailyWarning(system, node::certificates,
                    node.expiryWindow);
            if (dc.acceptEnable()) {
                node.directBinding = bindDirect(system, ref, dc, t, cs, ts, counters);
            }
            CoordinatedShutdown.get(system.classicSystem()).addTask(CoordinatedShutdown.PhaseServiceRequestsDone(),
                    "bacnet-sc-node-stop-" + SEQUENCE.get(), node::stop);
            LOG.info("node {} ({}) starting; primary hub {}{}", identity.vmac(), identity.deviceUuid(), p,
                    f == null ? "" : ", failover " + f);
            return node;
        }

        /** Binds the direct-connect server (waiting for it, so that a bad binding fails the start). */
        private static org.bacnetsc.transport.WsServer.Binding bindDirect(
                ActorSystem<?> system, ActorRef<Node.Command> ref, DirectConnectSettings dc, TlsSettings t,
                ConnectionSettings cs, TransportSettings ts, TransportCounters counters) {
            org.bacnetsc.transport.WsServer.Binding binding;
            try {
                binding = WsServer.bind(system, dc.bindHost(), dc.bindPort(), t, WsServer.DIRECT_SUBPROTOCOL,
                        cs.maxBvlcLength(), ts, counters, new WsServer.Acceptor() {
                            @Override
                            public java.util.concurrent.CompletionStage<java.util.Optional<ActorRef<
                                    org.bacnetsc.connection.Connection.Command>>> accept(
                                    String peer, org.bacnetsc.connection.PeerCertificate cert) {
                                return AskPattern.ask(ref, r -> new Node.ToSwitch(new NodeSwitch.Accept(peer, cert, r)),
                                        ASK, system.scheduler());
                            }

                            @Override
                            public void certificateRejected(org.bacnetsc.codec.ErrorCode error, String details) {
                                ref.tell(new Node.ToSwitch(new NodeSwitch.CertificateRejected(error, details)));
                            }
                        })
                        .toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                ref.tell(new Node.Stop(system.ignoreRef()));
                Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                throw new IllegalArgumentException(DirectConnectSettings.PATH + ".binding = \"" + dc.bindHost() + ":"
                        + dc.bindPort() + "\": cannot bind: " + cause.getMessage(), cause);
            }
            List<URI> uris = dc.acceptUris();
            if (uris.isEmpty()) {
                InetSocketAddress bound = binding.localAddress();
                if (bound.getAddress().isAnyLocalAddress()) {
                    LOG.warn("{}.binding is a wildcard address ({}) and accept-uris is empty: peers learn a URI "
                            + "they may not reach; set {}.accept-uris", DirectConnectSettings.PATH, bound,
                            DirectConnectSettings.PATH);
                }
                uris = List.of(URI.create((t == null ? "ws://" : "wss://") + WsServer.authority(bound) + "/"));
            }
            ref.tell(new Node.ToSwitch(new NodeSwitch.Bound(uris)));
            return binding;
        }

        private static URI uri(Config n, String key) {
            String s = n.hasPath(key) ? n.getString(key).trim() : "";
            if (s.isEmpty()) {
                return null;
            }
            try {
                return URI.create(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bacnet-sc.node." + key + " = \"" + s + "\": " + e.getMessage(), e);
            }
        }

        private static <T> T optional(Config n, String key, java.util.function.Function<String, T> parse) {
            String s = n.hasPath(key) ? n.getString(key).trim() : "";
            if (s.isEmpty()) {
                return null;
            }
            try {
                return parse.apply(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bacnet-sc.node." + key + " = \"" + s + "\": " + e.getMessage(), e);
            }
        }

        private TlsSettings resolveTls(Config c) {
            return DevPki.tlsFor(c, tls, devPki, "node", Math.max(2, devPkiNode), p -> p.nodeTls(devPkiNode));
        }
    }
}
