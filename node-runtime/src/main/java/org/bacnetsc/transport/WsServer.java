package org.bacnetsc.transport;

import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.io.TcpSO;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.PeerCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BACnet/SC WebSocket server: wss (TLS 1.3, client certificate required) on one {@code interface:port}, serving
 * exactly one subprotocol ({@code hub.bsc.bacnet.org} or {@code dc.bsc.bacnet.org}), HTTP/1.1 only. Each accepted
 * WebSocket gets a connection actor from the binding's owner.
 *
 * <p>Per TCP connection (Pekko Streams TCP): {@link TlsStage} -> {@link ServerUpgrade} (426, 400, 503 or 101) ->
 * our RFC 6455 framing and the connection's end of it ({@link FrameSocket}). Three fused stages and the bytes in
 * transit: a hub holds 10,000 connections in about 21 KB of heap each (docs/performance.md).
 */
public final class WsServer {

    /** The dispatcher of accepted connections' streams with {@code server-io = nio}. */
    static final String LOOP_DISPATCHER = "bacnet-sc.transport.loop-dispatcher";

    /** Subprotocol of the hub function. */
    public static final String HUB_SUBPROTOCOL = "hub.bsc.bacnet.org";
    /** Subprotocol of the node switch (direct connections). */
    public static final String DIRECT_SUBPROTOCOL = "dc.bsc.bacnet.org";

    private static final Logger LOG = LoggerFactory.getLogger(WsServer.class);

    private WsServer() {
    }

    /**
     * An {@link Acceptor}'s refusal for a reason other than capacity (the acceptor fails its stage with it): the
     * upgrade is answered 503 with the message, logged, and counted as {@code refusedNotReady}.
     */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param reason what the peer is told and the log says, e.g. "this member is not Up in the cluster" */
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The binding's owner: creates the connection actor for an accepted WebSocket, or refuses (HTTP 503). */
    @FunctionalInterface
    public interface Acceptor {
        /**
         * Called for each upgrade that offers our subprotocol, after TLS with a valid client certificate.
         *
         * @param peerAddress     host:port of the peer
         * @param peerCertificate the peer's certificate, or null on plain ws
         * @return the accepting connection actor (it gets {@link Connection.SocketOpened}), or empty to refuse with 503
         *         for capacity; a stage failed with {@link Refused} refuses with 503 for its reason
         */
        CompletionStage<Optional<ActorRef<Connection.Command>>> accept(String peerAddress,
                                                                       PeerCertificate peerCertificate);

        /**
         * A client certificate was refused in the TLS handshake (no WebSocket came up); already counted and logged.
         * For SC_Failed_Connection_Requests (digest §14); the peer's address is not known at that point.
         *
         * @param error   TLS_CLIENT_CERTIFICATE_EXPIRED or TLS_CLIENT_CERTIFICATE_ERROR
         * @param details the certificate's subject and why it was refused
         */
        default void certificateRejected(org.bacnetsc.codec.ErrorCode error, String details) {
        }
    }

    /**
     * Binds.
     *
     * @param system      the actor system
     * @param host        the interface
     * @param port        the port (0 for any free one)
     * @param tls         TLS settings, or null for plain ws (only when {@code settings.allowPlainWs()})
     * @param subprotocol the one subprotocol served
     * @param maxBvlc     our Max-BVLC: longer streamed messages are discarded
     * @param settings    queue size and the plain-ws switch
     * @param counters    where this binding counts
     * @param acceptor    creates connection actors
     */
    public static CompletionStage<Binding> bind(ActorSystem<?> system, String host, int port, TlsSettings tls,
                                                String subprotocol, int maxBvlc, TransportSettings settings,
                                                TransportCounters counters, Acceptor acceptor) {
        TlsReloader ctx;
        if (tls != null) {
            ctx = TlsReloader.server(tls, (chain, e) -> onCertificateRejected(chain, e, counters, acceptor));
        } else if (settings.allowPlainWs()) {
            ctx = null;
            LOG.warn("serving {} over plain ws:// on {}:{} without TLS (bacnet-sc.transport.allow-plain-ws = on); "
                    + "for local tests only", subprotocol, host, port);
        } else {
            throw new IllegalArgumentException("no TLS settings and bacnet-sc.transport.allow-plain-ws is off");
        }
        Binding binding = new Binding(system, ctx);
        java.util.concurrent.Executor handshakes = TlsStage.handshakeExecutor(system);
        java.util.function.Function<InetSocketAddress, Flow<ByteString, ByteString, NotUsed>> perConnection =
                remote -> binding.track(connection(system, ctx, handshakes, remote, subprotocol, maxBvlc, settings,
                        counters, acceptor));
        return settings.serverIo() == TransportSettings.ServerIo.NIO
                ? onLoops(system, host, port, binding, perConnection, counters)
                : onPekkoIo(system, host, port, binding, perConnection, counters);
    }

    /** Accepts on our socket loops; each connection's stream runs on them ({@link #LOOP_DISPATCHER}). */
    private static CompletionStage<Binding> onLoops(
            ActorSystem<?> system, String host, int port, Binding binding,
            java.util.function.Function<InetSocketAddress, Flow<ByteString, ByteString, NotUsed>> perConnection,
            TransportCounters counters) {
        Materializer mat = Materializer.matFromSystem(system);
        return NioSockets.shared().listen(new InetSocketAddress(host, port), BACKLOG, system.executionContext(), ch -> {
            InetSocketAddress remote;
            try {
                remote = (InetSocketAddress) ch.getRemoteAddress();
            } catch (java.io.IOException e) {
                NioSockets.closeQuietly(ch); // gone already
                return;
            }
            try {
                Flow.fromGraph(new NioSocketStage(NioSockets.next(), ch)).join(perConnection.apply(remote))
                        .withAttributes(org.apache.pekko.stream.ActorAttributes.dispatcher(LOOP_DISPATCHER))
                        .run(mat);
            } catch (RuntimeException e) {
                NioSockets.closeQuietly(ch);
                notServed(remote, e, counters);
            }
        }, counters.acceptFailures::increment).thenApplyAsync(listener -> {
            // not on the loop's thread: what the caller chains on the binding must not hold up the sockets
            binding.bound(listener);
            return binding;
        }, system.executionContext());
    }

    /** Accepts with Pekko IO's TCP actors. */
    private static CompletionStage<Binding> onPekkoIo(
            ActorSystem<?> system, String host, int port, Binding binding,
            java.util.function.Function<InetSocketAddress, Flow<ByteString, ByteString, NotUsed>> perConnection,
            TransportCounters counters) {
        Materializer mat = Materializer.matFromSystem(system);
        return Tcp.get(system).bind(host, port, BACKLOG, java.util.List.of(TcpSO.tcpNoDelay(true)), false,
                        Optional.empty())
                .to(Sink.foreach(incoming -> {
                    try {
                        incoming.handleWith(perConnection.apply(incoming.remoteAddress()), mat);
                    } catch (RuntimeException e) {
                        notServed(incoming.remoteAddress(), e, counters);
                    }
                }))
                .run(mat)
                .thenApplyAsync(tcp -> {
                    binding.bound(tcp);
                    return binding;
                }, system.executionContext());
    }

    /** One connection's trouble must not end the binding: counted and logged. */
    private static void notServed(InetSocketAddress remote, RuntimeException e, TransportCounters counters) {
        counters.handshakeFailures.increment();
        LOG.warn("could not serve the connection from {}: {}", remote, e.toString());
    }

    /**
     * One accepted TCP connection: TLS (our fused stage) -> the WebSocket upgrade (answered once the owner admitted
     * it) -> the frame socket (RFC 6455 framing, server side) of the connection actor. Nothing per connection beyond
     * these three stages and the bytes in transit.
     */
    private static Flow<ByteString, ByteString, NotUsed> connection(
            ActorSystem<?> system, TlsReloader ctx, java.util.concurrent.Executor handshakes,
            InetSocketAddress remote, String subprotocol, int maxBvlc, TransportSettings settings,
            TransportCounters counters, Acceptor acceptor) {
        AtomicReference<SSLSession> session = new AtomicReference<>();
        BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> security = ctx == null
                ? BidiFlow.fromFlows(Flow.<ByteString>create(), Flow.<ByteString>create())
                : BidiFlow.fromGraph(new TlsStage(() -> ctx.engines().server(), session::set, handshakes,
                        settings.closeTimeout()));
        String peer = remote.getAddress() == null ? remote.getHostString() + ":" + remote.getPort()
                : remote.getAddress().getHostAddress() + ":" + remote.getPort();
        CompletableFuture<ActorRef<Connection.Command>> admitted = new CompletableFuture<>();
        AtomicReference<PeerCertificate> cert = new AtomicReference<>();
        Supplier<CompletionStage<Optional<String>>> admit = () -> {
            cert.set(session.get() == null ? null : peerCertificate(session.get()));
            return acceptor.accept(peer, cert.get()).handleAsync((c, failure) -> {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException x && x.getCause() != null
                        ? x.getCause() : failure;
                if (cause instanceof Refused r) {
                    counters.refusedNotReady.increment();
                    admitted.complete(null);
                    return Optional.of(r.getMessage());
                }
                if (cause != null || c.isEmpty()) {
                    counters.refusedCapacity.increment();
                    admitted.complete(null);
                    return Optional.of(cause != null ? "the owner failed: " + cause.getMessage()
                            : "no capacity for another BACnet/SC connection");
                }
                counters.accepted.increment();
                admitted.complete(c.get());
                return Optional.<String>empty();
            }, system.executionContext());
        };
        FrameSocket socket = new FrameSocket(system, admitted, true, peer, maxBvlc, settings, counters,
                (writer, sink) -> admitted.getNow(null).tell(new Connection.SocketOpened(writer, peer, cert.get(),
                        sink)),
                new java.util.concurrent.atomic.AtomicBoolean(true));
        return security.atop(BidiFlow.fromGraph(new ServerUpgrade(peer, subprotocol, counters, admit,
                        settings.upgradeTimeout())))
                .join(Flow.fromGraph(socket));
    }

    /** Pending TCP connections the kernel keeps while the hub accepts: room for thousands of nodes at once. */
    private static final int BACKLOG = 1024;

    /** A bound WebSocket server: its address, and stopping it. */
    public static final class Binding {
        private final ActorSystem<?> system;
        private final SharedKillSwitch connections = KillSwitches.shared("bsc-ws-server");
        private final AtomicInteger live = new AtomicInteger();
        private final CompletableFuture<Done> allClosed = new CompletableFuture<>();
        private volatile boolean unbinding;
        private volatile Tcp.ServerBinding tcp;
        private volatile NioSockets.Listener listener;
        private final TlsReloader tls;

        private Binding(ActorSystem<?> system, TlsReloader tls) {
            this.system = system;
            this.tls = tls;
        }

        /** The TLS material this binding serves (renewed when its files change), or empty on plain ws. */
        public java.util.Optional<TlsReloader> tls() {
            return java.util.Optional.ofNullable(tls);
        }

        private void bound(Tcp.ServerBinding tcp) {
            this.tcp = tcp;
        }

        private void bound(NioSockets.Listener listener) {
            this.listener = listener;
        }

        private Flow<ByteString, ByteString, NotUsed> track(Flow<ByteString, ByteString, NotUsed> flow) {
            return flow.via(connections.flow()).watchTermination((notUsed, done) -> {
                live.incrementAndGet();
                done.whenComplete((d, t) -> {
                    if (live.decrementAndGet() == 0 && unbinding) {
                        allClosed.complete(Done.getInstance());
                    }
                });
                return NotUsed.getInstance();
            });
        }

        /** The bound address (with the port chosen when bound to port 0). */
        public InetSocketAddress localAddress() {
            return listener != null ? listener.localAddress() : tcp.localAddress();
        }

        /** Stops accepting connections; open ones go on. */
        public CompletionStage<Done> unbind() {
            unbinding = true;
            if (live.get() == 0) {
                allClosed.complete(Done.getInstance());
            }
            if (listener != null) {
                return listener.close().thenApplyAsync(u -> Done.getInstance(), system.executionContext());
            }
            return tcp.unbind().thenApplyAsync(u -> Done.getInstance(), system.executionContext());
        }

        /**
         * Stops accepting, waits up to {@code hardDeadline} for the open connections to end, then closes what is
         * left.
         */
        public CompletionStage<Done> terminate(Duration hardDeadline) {
            return unbind().thenComposeAsync(d -> allClosed.applyToEither(
                    Patterns.after(hardDeadline, system.classicSystem().scheduler(), system.executionContext(),
                            () -> CompletableFuture.completedFuture(Done.getInstance())), x -> x),
                    system.executionContext())
                    .thenApplyAsync(d -> {
                        connections.shutdown();
                        return Done.getInstance();
                    }, system.executionContext());
        }
    }

    private static void onCertificateRejected(X509Certificate[] chain, java.security.cert.CertificateException e,
                                              TransportCounters counters, Acceptor acceptor) {
        counters.handshakeFailures.increment();
        boolean expired = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            expired |= t instanceof java.security.cert.CertificateExpiredException
                    || t instanceof java.security.cert.CertificateNotYetValidException;
        }
        org.bacnetsc.codec.ErrorCode code = expired ? org.bacnetsc.codec.ErrorCode.TLS_CLIENT_CERTIFICATE_EXPIRED
                : org.bacnetsc.codec.ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR;
        String subject = chain == null || chain.length == 0 ? "(no certificate)"
                : chain[0].getSubjectX500Principal().getName();
        String details = "client certificate " + subject + " refused: " + e.getMessage();
        LOG.info("TLS handshake refused: {} ({})", details, code);
        acceptor.certificateRejected(code, details);
    }

    /** The peer's end-entity certificate of a TLS session, or null. */
    static PeerCertificate peerCertificate(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                return new PeerCertificate(x.getSubjectX500Principal().getName(), x.getSerialNumber().toString(16),
                        x.getNotBefore().toInstant(), x.getNotAfter().toInstant());
            }
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        return null;
    }

    /** host:port of a bound address for URIs (IPv6 in brackets). */
    public static String authority(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
