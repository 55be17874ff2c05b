package org.bacnetsc.transport;

import java.net.ConnectException;
import java.net.URI;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.PeerCertificate;
import org.bacnetsc.connection.SocketCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens BACnet/SC WebSockets as a client: {@code wss://} with TLS 1.3 and our certificate, offering one subprotocol
 * and failing when the server does not select it. Every failure is told to the connection as
 * {@link Connection.SocketFailed} with a status code of digest §7.
 */
public final class WsClient {

    private static final Logger LOG = LoggerFactory.getLogger(WsClient.class);

    private WsClient() {
    }

    /**
     * A {@link Connection.SocketOpener} for one URI.
     *
     * @param system         the actor system
     * @param uri            {@code wss://host:port/path} ({@code ws://} only with {@code settings.allowPlainWs()})
     * @param subprotocol    the subprotocol to offer and require
     * @param tls            TLS settings (ignored for ws://)
     * @param connectTimeout TCP connect timeout
     * @param maxBvlc        our Max-BVLC for reassembling streamed messages
     * @param settings       queue size and the plain-ws switch
     * @param counters       where this client side counts
     * @throws IllegalArgumentException for a scheme other than wss (or ws when allowed)
     */
    public static Connection.SocketOpener opener(ActorSystem<?> system, URI uri, String subprotocol, TlsSettings tls,
                                                 Duration connectTimeout, int maxBvlc, TransportSettings settings,
                                                 TransportCounters counters) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        boolean plain = scheme.equals("ws");
        if (!scheme.equals("wss") && !(plain && settings.allowPlainWs())) {
            throw new IllegalArgumentException("unsupported URI '" + uri + "': BACnet/SC uses wss://"
                    + (plain ? " (ws:// needs bacnet-sc.transport.allow-plain-ws = on)" : ""));
        }
        if (plain) {
            LOG.warn("connecting to {} over plain ws:// without TLS; for local tests only", uri);
        }
        if (plain) {
            return withEngines(system, uri, subprotocol, null, connectTimeout, maxBvlc, settings, counters);
        }
        TlsReloader material = TlsReloader.client(tls);
        return withEngines(system, uri, subprotocol, (host, port) -> material.engines().client(host, port),
                connectTimeout,
                maxBvlc, settings, counters);
    }

    /** Creates the client's TLS engine for a host and port. */
    @FunctionalInterface
    interface EngineFactory {
        SSLEngine create(String host, int port);
    }

    /** An opener with a given engine factory (null for plain ws); tests use it for deviant clients. */
    static Connection.SocketOpener withEngines(ActorSystem<?> system, URI uri, String subprotocol,
                                               EngineFactory engines,
                                          Duration connectTimeout, int maxBvlc, TransportSettings settings,
                                          TransportCounters counters) {
        java.util.concurrent.Executor handshakes = TlsStage.handshakeExecutor(system);
        return connection -> open(system, handshakes, uri, subprotocol, engines, connectTimeout, maxBvlc,
                settings, counters, connection);
    }

    private static void open(ActorSystem<?> system, java.util.concurrent.Executor handshakes, URI uri, String subprotocol, EngineFactory engines,
                             Duration connectTimeout, int maxBvlc, TransportSettings settings,
                             TransportCounters counters, ActorRef<Connection.Command> connection) {
        String host = uri.getHost() == null ? "" : uri.getHost().replace("[", "").replace("]", "");
        int port = uri.getPort() > 0 ? uri.getPort() : engines == null ? 80 : 443;
        String peer = host + ":" + port;
        String path = (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        AtomicReference<SSLEngine> engine = new AtomicReference<>();
        AtomicReference<ActorRef<SocketCommand>> writer = new AtomicReference<>();
        AtomicReference<org.bacnetsc.connection.FrameSink> sink = new AtomicReference<>();
        AtomicBoolean opened = new AtomicBoolean(false);
        try {
            // Raw TLS (or TCP) -> our HTTP/1.1 upgrade -> the frame socket (our RFC 6455 framing, client side):
            // no per-message substreams.
            InetSocketAddress address = InetSocketAddress.createUnresolved(host, port);
            java.util.List<org.apache.pekko.io.Inet.SocketOption> options =
                    java.util.List.of(org.apache.pekko.io.TcpSO.tcpNoDelay(true));
            Flow<ByteString, ByteString, CompletionStage<Tcp.OutgoingConnection>> tcp = Tcp.get(system)
                    .outgoingConnection(address, Optional.empty(), options, false, Optional.of(connectTimeout),
                            Optional.empty());
            // TLS fused with the connection (plaintext written while the network is busy sealed into one record);
            // on plain ws the same joining of writes into one TCP write.
            BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> security = engines == null
                    ? BidiFlow.fromFlows(Flow.<ByteString>create(), Flow.<ByteString>create().batchWeighted(
                            TlsStage.BATCH, b -> (long) b.size(), b -> b, ByteString::concat))
                    : BidiFlow.fromGraph(new TlsStage(() -> {
                        SSLEngine e = engines.create(host, port);
                        engine.set(e);
                        return e;
                    }, session -> { }, handshakes, settings.closeTimeout()));
            UpgradeHandshake handshake = new UpgradeHandshake(host + ":" + port, path, subprotocol,
                    settings.upgradeTimeout());
            Flow<ByteString, ByteString, NotUsed> stack = security.atop(BidiFlow.fromGraph(handshake))
                    .join(Flow.fromGraph(new FrameSocket(system, connection, peer, maxBvlc, settings, counters,
                            (w, direct) -> {
                                sink.set(direct);
                                writer.set(w);
                            }, opened)));
            tcp.join(stack).run(Materializer.matFromSystem(system));
            handshake.outcome().whenComplete((chosen, failure) -> {
                ActorRef<SocketCommand> w = writer.get();
                if (failure != null) {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException c
                            && c.getCause() != null ? c.getCause() : failure;
                    ErrorCode code = cause instanceof UpgradeHandshake.UpgradeFailed u ? u.code() : classify(cause);
                    fail(counters, connection, w, code, describe(cause));
                } else {
                    PeerCertificate cert = engine.get() == null ? null
                            : WsServer.peerCertificate(engine.get().getSession());
                    opened.set(true);
                    connection.tell(new Connection.SocketOpened(w, peer, cert, sink.get()));
                }
            });
        } catch (RuntimeException e) {
            counters.handshakeFailures.increment();
            connection.tell(new Connection.SocketFailed(classify(e), describe(e)));
        }
    }

    /** The Sec-WebSocket-Accept a server must answer to {@code key} (RFC 6455 §4.2.2), for other clients' checks. */
    public static String expectedAccept(String key) {
        return UpgradeHandshake.acceptFor(key);
    }

    private static void fail(TransportCounters counters, ActorRef<Connection.Command> connection,
                             ActorRef<SocketCommand> writer, ErrorCode code, String details) {
        counters.handshakeFailures.increment();
        connection.tell(new Connection.SocketFailed(code, details));
        if (writer != null) {
            writer.tell(new SocketCommand.Close(1000, "handshake failed"));
        }
    }

    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 400; c = c.getCause()) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(c.getClass().getSimpleName()).append(' ').append(c.getMessage());
        }
        return sb.toString();
    }

    /** The status code (digest §7) for a failed connection attempt. */
    static ErrorCode classify(Throwable t) {
        String all = describe(t).toLowerCase(Locale.ROOT);
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                return ErrorCode.DNS_NAME_RESOLUTION_FAILED;
            }
            if (c instanceof ConnectException && all.contains("refused")) {
                return ErrorCode.TCP_CONNECTION_REFUSED;
            }
            if (c instanceof SSLException) {
                return classifyTls(all);
            }
        }
        if (all.contains("connection refused")) {
            return ErrorCode.TCP_CONNECTION_REFUSED;
        }
        if (all.contains("timeout") || all.contains("timed out")) {
            return ErrorCode.TCP_CONNECT_TIMEOUT;
        }
        if (all.contains("ssl") || all.contains("tls") || all.contains("certificate")) {
            return classifyTls(all);
        }
        return ErrorCode.TCP_ERROR;
    }

    private static ErrorCode classifyTls(String text) {
        // "received fatal alert: bad_certificate" (JDK), "SSLV3_ALERT_BAD_CERTIFICATE" (BoringSSL)
        if (text.contains("received fatal alert") || text.contains("_alert_")) {
            // The server's alert: it rejected our certificate or our TLS version.
            if (text.contains("certificate_expired")) {
                return ErrorCode.TLS_CLIENT_CERTIFICATE_EXPIRED;
            }
            if (text.contains("certificate_revoked")) {
                return ErrorCode.TLS_CLIENT_CERTIFICATE_REVOKED;
            }
            if (text.contains("certificate")) {
                return ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR;
            }
            if (text.contains("unknown_ca") || text.contains("access_denied")) {
                return ErrorCode.TLS_CLIENT_AUTHENTICATION_FAILED;
            }
            return ErrorCode.TLS_ERROR;
        }
        // Our own check of the server's certificate failed.
        if (text.contains("notafter") || text.contains("notbefore") || text.contains("expired")
                || text.contains("validity")) {
            return ErrorCode.TLS_SERVER_CERTIFICATE_EXPIRED;
        }
        if (text.contains("pkix") || text.contains("certificate")) {
            return ErrorCode.TLS_SERVER_CERTIFICATE_ERROR;
        }
        return ErrorCode.TLS_ERROR;
    }

    /** Whether a failure happened in TLS. */
    static boolean isTls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    static ErrorCode classifyStatus(int status) {
        return switch (status) {
            case 503 -> ErrorCode.HTTP_TEMPORARY_UNAVAILABLE;
            case 426 -> ErrorCode.HTTP_UPGRADE_REQUIRED;
            case 407 -> ErrorCode.HTTP_PROXY_AUTHENTICATION_FAILED;
            case 404 -> ErrorCode.HTTP_RESOURCE_NOT_LOCAL;
            case 200 -> ErrorCode.HTTP_NO_UPGRADE;
            case 400 -> ErrorCode.HTTP_UPGRADE_ERROR;
            default -> ErrorCode.HTTP_UNEXPECTED_RESPONSE_CODE;
        };
    }
}
