package org.bacnetsc.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.ErrorCode;

/**
 * The client side of the WebSocket opening handshake (RFC 6455 §4.1) between the TLS connection and the WebSocket
 * framing: sends the HTTP/1.1 upgrade request offering one subprotocol, checks the 101 answer (Upgrade, Connection,
 * Sec-WebSocket-Accept, the chosen subprotocol) and then passes bytes through unchanged.
 *
 * <p>Shape: in1 = bytes from the network, out1 = bytes to the framing; in2 = bytes from the framing, out2 = bytes to
 * the network. {@link #outcome()} completes when the upgrade succeeded or failed (with {@link UpgradeFailed}).
 */
final class UpgradeHandshake extends GraphStage<BidiShape<ByteString, ByteString, ByteString, ByteString>> {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HEADER = 16 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why the upgrade failed, with the §7 status code. */
    static final class UpgradeFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ErrorCode code;

        UpgradeFailed(ErrorCode code, String message) {
            super(message);
            this.code = code;
        }

        ErrorCode code() {
            return code;
        }
    }

    private final Inlet<ByteString> fromNet = Inlet.create("Upgrade.fromNet");
    private final Outlet<ByteString> toFraming = Outlet.create("Upgrade.toFraming");
    private final Inlet<ByteString> fromFraming = Inlet.create("Upgrade.fromFraming");
    private final Outlet<ByteString> toNet = Outlet.create("Upgrade.toNet");
    private final BidiShape<ByteString, ByteString, ByteString, ByteString> shape =
            BidiShape.of(fromNet, toFraming, fromFraming, toNet);

    private final String host;
    private final String path;
    private final String subprotocol;
    private final Duration timeout;
    private final CompletableFuture<String> outcome = new CompletableFuture<>();

    /**
     * @param timeout from the connection's start (TLS included) to the server's 101: a server that takes longer (or
     *                never answers) has the connection closed, so that it cannot keep our connections open
     */
    UpgradeHandshake(String host, String path, String subprotocol, Duration timeout) {
        this.host = host;
        this.path = path.isEmpty() ? "/" : path;
        this.subprotocol = subprotocol;
        this.timeout = timeout;
    }

    /** Completes with the chosen subprotocol, or fails with {@link UpgradeFailed} or the transport's failure. */
    CompletableFuture<String> outcome() {
        return outcome;
    }

    @Override
    public BidiShape<ByteString, ByteString, ByteString, ByteString> shape() {
        return shape;
    }

    static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The header fields after the start line, names in lower case; a repeated field's values joined with ", "
     * (RFC 9110 §5.3).
     */
    static Map<String, String> headers(String[] lines) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        ByteString request = ByteString.fromString("GET " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n",
                StandardCharsets.US_ASCII);
        String expectedAccept = acceptFor(key);
        return new TimerGraphStageLogic(shape) {
            private boolean upgraded;
            private boolean requestSent;
            private ByteString header = ByteString.emptyByteString();

            {
                setHandler(fromNet, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        ByteString bytes = grab(fromNet);
                        if (upgraded) {
                            push(toFraming, bytes);
                        } else {
                            onHeaderBytes(bytes);
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        fail(new UpgradeFailed(ErrorCode.HTTP_RESPONSE_SYNTAX_ERROR,
                                "connection closed during the WebSocket upgrade"));
                        completeStage();
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                        fail(ex);
                        failStage(ex);
                    }
                });
                setHandler(toFraming, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (!hasBeenPulled(fromNet) && !isClosed(fromNet)) {
                            pull(fromNet);
                        }
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        fail(cause);
                        cancelStage(cause);
                    }
                });
                setHandler(fromFraming, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        push(toNet, grab(fromFraming));
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                        fail(ex);
                        failStage(ex);
                    }
                });
                setHandler(toNet, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (!requestSent) {
                            requestSent = true;
                            push(toNet, request);
                            if (!hasBeenPulled(fromNet)) {
                                pull(fromNet);
                            }
                        } else if (upgraded && !hasBeenPulled(fromFraming) && !isClosed(fromFraming)) {
                            pull(fromFraming);
                        }
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        // The TLS layer stops reading when its handshake fails; the failure itself arrives on the
                        // inbound side, so wait for it there before the upgrade.
                        if (upgraded) {
                            cancelStage(cause);
                        }
                    }
                });
            }

            private void fail(Throwable t) {
                outcome.completeExceptionally(t);
            }

            private void onHeaderBytes(ByteString bytes) {
                header = header.concat(bytes);
                int end = header.indexOfSlice(ByteString.fromString("\r\n\r\n", StandardCharsets.US_ASCII), 0);
                if (end < 0) {
                    if (header.size() > MAX_HEADER) {
                        refuse(ErrorCode.HTTP_RESPONSE_SYNTAX_ERROR, "upgrade response header too long");
                    } else {
                        pull(fromNet);
                    }
                    return;
                }
                String text = header.take(end).decodeString(StandardCharsets.ISO_8859_1);
                ByteString rest = header.drop(end + 4);
                String[] lines = text.split("\r\n");
                String[] status = lines[0].split(" ", 3);
                if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
                    refuse(ErrorCode.HTTP_RESPONSE_SYNTAX_ERROR, "not an HTTP response: " + lines[0]);
                    return;
                }
                int code;
                try {
                    code = Integer.parseInt(status[1]);
                } catch (NumberFormatException e) {
                    refuse(ErrorCode.HTTP_RESPONSE_SYNTAX_ERROR, "bad status line: " + lines[0]);
                    return;
                }
                Map<String, String> headers = headers(lines);
                if (code != 101) {
                    refuse(WsClient.classifyStatus(code), "HTTP " + code + " instead of a WebSocket upgrade");
                    return;
                }
                if (!"websocket".equalsIgnoreCase(headers.getOrDefault("upgrade", ""))
                        || !expectedAccept.equals(headers.get("sec-websocket-accept"))) {
                    refuse(ErrorCode.HTTP_WEBSOCKET_HEADER_ERROR, "invalid WebSocket upgrade response headers");
                    return;
                }
                if (!subprotocol.equals(headers.get("sec-websocket-protocol"))) {
                    refuse(ErrorCode.HTTP_WEBSOCKET_HEADER_ERROR, "the server did not select subprotocol "
                            + subprotocol);
                    return;
                }
                String extensions = headers.getOrDefault("sec-websocket-extensions", "").trim();
                if (!extensions.isEmpty()) {
                    // RFC 6455 §4.1: we offer no extension, so a server that selects one must be failed (its frames
                    // would mean something else).
                    refuse(ErrorCode.HTTP_WEBSOCKET_HEADER_ERROR, "the server selected extensions we did not offer: "
                            + extensions);
                    return;
                }
                upgraded = true;
                cancelTimer("upgrade");
                outcome.complete(subprotocol);
                if (isAvailable(toNet) && !hasBeenPulled(fromFraming)) {
                    pull(fromFraming);
                }
                if (!rest.isEmpty()) {
                    emit(toFraming, rest);
                } else if (isAvailable(toFraming)) {
                    pull(fromNet);
                }
            }

            @Override
            public void preStart() {
                scheduleOnce("upgrade", timeout);
            }

            @Override
            public void onTimer(Object key) {
                if (!upgraded) {
                    refuse(ErrorCode.TIMEOUT, "no WebSocket upgrade within " + timeout.toMillis() + " ms");
                }
            }

            private void refuse(ErrorCode code, String message) {
                UpgradeFailed f = new UpgradeFailed(code, message);
                fail(f);
                failStage(f);
            }

            @Override
            public void postStop() {
                if (!outcome.isDone()) {
                    outcome.completeExceptionally(new UpgradeFailed(ErrorCode.WEBSOCKET_CLOSED_ABNORMALLY,
                            "stream stopped before the WebSocket upgrade"));
                }
            }
        };
    }
}
