package org.bacnetsc.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The server side of the WebSocket opening handshake (RFC 6455 §4.2) between TLS and the WebSocket framing: reads
 * the HTTP/1.1 request, answers 426 when it is not a WebSocket upgrade (or not version 13), 400 when it is malformed
 * or does not offer our subprotocol, asks the binding's owner for room (503 when there is none) and answers 101
 * selecting the subprotocol; then passes bytes through unchanged. A refused request is answered and the connection
 * closed.
 *
 * <p>Shape, network side first: in1 = bytes from TLS, out1 = bytes to the framing; in2 = bytes from the framing,
 * out2 = bytes to TLS.
 */
final class ServerUpgrade extends GraphStage<BidiShape<ByteString, ByteString, ByteString, ByteString>> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServerUpgrade.class);
    private static final int MAX_HEADER = 16 * 1024;
    private static final String UPGRADE_TIMER = "upgrade";
    private static final ByteString END_OF_HEADER = ByteString.fromString("\r\n\r\n", StandardCharsets.US_ASCII);

    private final Inlet<ByteString> fromNet = Inlet.create("ServerUpgrade.fromNet");
    private final Outlet<ByteString> toFraming = Outlet.create("ServerUpgrade.toFraming");
    private final Inlet<ByteString> fromFraming = Inlet.create("ServerUpgrade.fromFraming");
    private final Outlet<ByteString> toNet = Outlet.create("ServerUpgrade.toNet");
    private final BidiShape<ByteString, ByteString, ByteString, ByteString> shape =
            BidiShape.of(fromNet, toFraming, fromFraming, toNet);

    private final String subprotocol;
    private final TransportCounters counters;
    private final Supplier<CompletionStage<java.util.Optional<String>>> admit;
    private final Duration timeout;
    private final String peer;

    /**
     * @param peer        the peer's address, for the log
     * @param subprotocol the one subprotocol served
     * @param counters    counts refused upgrades
     * @param admit       asked once for a valid upgrade: empty to accept it, or why it is refused with 503
     * @param timeout     from the connection's start (TLS included) to a complete upgrade request; then closed
     */
    ServerUpgrade(String peer, String subprotocol, TransportCounters counters,
                  Supplier<CompletionStage<java.util.Optional<String>>> admit, Duration timeout) {
        this.peer = peer;
        this.subprotocol = subprotocol;
        this.counters = counters;
        this.admit = admit;
        this.timeout = timeout;
    }

    @Override
    public BidiShape<ByteString, ByteString, ByteString, ByteString> shape() {
        return shape;
    }

    /** A request's verdict: null when it is a valid upgrade offering {@code subprotocol}, else the refusal. */
    static ByteString refusal(String[] lines, Map<String, String> headers, String subprotocol) {
        String[] start = lines[0].split(" ");
        if (start.length != 3 || !start[2].equals("HTTP/1.1")) {
            return response(400, "Bad Request", "", "an HTTP/1.1 request is required");
        }
        boolean upgrade = Arrays.stream(headers.getOrDefault("upgrade", "").split(","))
                .anyMatch(t -> t.trim().equalsIgnoreCase("websocket"));
        boolean connection = Arrays.stream(headers.getOrDefault("connection", "").split(","))
                .anyMatch(t -> t.trim().equalsIgnoreCase("upgrade"));
        if (!start[0].equals("GET") || !upgrade || !connection
                || !"13".equals(headers.getOrDefault("sec-websocket-version", "").trim())) {
            return response(426, "Upgrade Required", "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n",
                    "BACnet/SC needs a WebSocket upgrade with subprotocol " + subprotocol);
        }
        String key = headers.getOrDefault("sec-websocket-key", "").trim();
        if (!validKey(key)) {
            return response(400, "Bad Request", "", "Sec-WebSocket-Key missing or malformed");
        }
        boolean offered = Arrays.stream(headers.getOrDefault("sec-websocket-protocol", "").split(","))
                .anyMatch(p -> p.trim().equals(subprotocol));
        if (!offered) {
            return response(400, "Bad Request", "", "WebSocket subprotocol " + subprotocol + " required");
        }
        return null;
    }

    private static boolean validKey(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static ByteString response(int status, String reason, String extraHeaders, String body) {
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        return ByteString.fromString("HTTP/1.1 " + status + " " + reason + "\r\n" + extraHeaders
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Length: " + text.length
                + "\r\nConnection: close\r\n\r\n", StandardCharsets.US_ASCII).concat(ByteString.fromArray(text));
    }

    static ByteString switching(String key, String subprotocol) {
        return ByteString.fromString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + UpgradeHandshake.acceptFor(key)
                + "\r\nSec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n", StandardCharsets.US_ASCII);
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new TimerGraphStageLogic(shape) {
            private boolean upgraded;
            private boolean deciding;
            private ByteString header = ByteString.emptyByteString();
            private ByteString rest = ByteString.emptyByteString();
            private String key;

            {
                setHandler(fromNet, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        ByteString bytes = grab(fromNet);
                        if (upgraded) {
                            push(toFraming, bytes);
                        } else if (!deciding) {
                            onHeaderBytes(bytes);
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        if (upgraded && rest.isEmpty()) {
                            complete(toFraming);
                        } else if (!upgraded) {
                            completeStage();
                        }
                    }
                });
                setHandler(toFraming, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (upgraded && !hasBeenPulled(fromNet) && !isClosed(fromNet)) {
                            pull(fromNet);
                        }
                    }
                });
                setHandler(fromFraming, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        push(toNet, grab(fromFraming));
                    }
                });
                setHandler(toNet, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (upgraded && !hasBeenPulled(fromFraming) && !isClosed(fromFraming)) {
                            pull(fromFraming);
                        }
                    }
                });
            }

            @Override
            public void preStart() {
                scheduleOnce(UPGRADE_TIMER, timeout);
                pull(fromNet);
            }

            @Override
            public void onTimer(Object key) {
                if (!upgraded && !deciding) {
                    // TLS or the upgrade request did not complete in time: close without an answer.
                    counters.refusedUpgrades.increment();
                    LOG.info("closed the connection from {}: TLS and the WebSocket upgrade not complete within {} ms",
                            peer, timeout.toMillis());
                    completeStage();
                }
            }

            private void onHeaderBytes(ByteString bytes) {
                header = header.concat(bytes);
                int end = header.indexOfSlice(END_OF_HEADER, 0);
                if (end < 0) {
                    if (header.size() > MAX_HEADER) {
                        refuse(response(431, "Request Header Fields Too Large", "", "request header too long"));
                    } else {
                        pull(fromNet);
                    }
                    return;
                }
                String[] lines = header.take(end).decodeString(StandardCharsets.ISO_8859_1).split("\r\n");
                rest = header.drop(end + 4);
                header = ByteString.emptyByteString();
                Map<String, String> headers = UpgradeHandshake.headers(lines);
                ByteString refused = refusal(lines, headers, subprotocol);
                if (refused != null) {
                    refuse(refused);
                    return;
                }
                key = headers.get("sec-websocket-key").trim();
                deciding = true;
                cancelTimer(UPGRADE_TIMER);
                AsyncCallback<java.util.Optional<String>> decided = createAsyncCallback(this::onDecision);
                admit.get().whenComplete((refusal, failure) -> decided.invoke(failure != null
                        ? java.util.Optional.of("the owner failed: " + failure.getMessage()) : refusal));
            }

            private void onDecision(java.util.Optional<String> refusal) {
                deciding = false;
                if (refusal.isPresent()) {
                    LOG.info("refused the WebSocket upgrade from {}: 503, {}", peer, refusal.get());
                    // Counted by the owner.
                    emit(toNet, response(503, "Service Unavailable", "", refusal.get()), this::completeStage);
                    return;
                }
                upgraded = true;
                emit(toNet, switching(key, subprotocol), () -> {
                    if (isAvailable(toNet) && !hasBeenPulled(fromFraming) && !isClosed(fromFraming)) {
                        pull(fromFraming);
                    }
                });
                if (!rest.isEmpty()) {
                    ByteString first = rest;
                    rest = ByteString.emptyByteString();
                    emit(toFraming, first, () -> {
                        if (isClosed(fromNet)) {
                            complete(toFraming);
                        }
                    });
                } else if (isAvailable(toFraming) && !hasBeenPulled(fromNet) && !isClosed(fromNet)) {
                    pull(fromNet);
                }
            }

            private void refuse(ByteString answer) {
                counters.refusedUpgrades.increment();
                String text = answer.utf8String();
                LOG.info("refused the WebSocket upgrade from {}: {} ({})", peer, text.substring(0, text.indexOf('\r')),
                        text.substring(text.indexOf("\r\n\r\n") + 4));
                emit(toNet, answer, this::completeStage);
            }
        };
    }
}
