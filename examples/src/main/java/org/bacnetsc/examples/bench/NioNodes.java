package org.bacnetsc.examples.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DecodeResult;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.transport.TlsSettings;
import org.bacnetsc.transport.WsClient;

/**
 * The load generator's node connections, all driven by the one thread that calls them: non-blocking sockets, a JDK
 * {@link SSLEngine} per connection (TLS 1.3, our certificate), the RFC 6455 client upgrade and masked binary frames,
 * and the BACnet/SC Connect-Request / Connect-Accept exchange. Received Encapsulated-NPDUs go to the
 * {@link BenchTracker}; Heartbeat-Requests are answered, Disconnect-Requests acknowledged. Each node heartbeats as our
 * connections do ({@link HeartbeatRule}): a Heartbeat-Request when nothing was received, or nothing sent, for the
 * Heartbeat Timeout, one outstanding at a time; a node whose heartbeat is not answered within the heartbeat-ACK
 * timeout is closed with an error.
 *
 * <p>The generator shares the machine with the hub it measures, so it is kept lean: no actors and no thread
 * hand-offs; frames written to a connection in one round are sealed into one TLS record and one socket write.
 */
public final class NioNodes implements AutoCloseable {

    /** When a node sends a Heartbeat-Request. */
    public enum HeartbeatRule {
        /** Nothing received, or nothing sent, for the Heartbeat Timeout (ours: docs/protocol.md, "Heartbeats"). */
        SEND_OR_RECEIVE,
        /**
         * Nothing received for the Heartbeat Timeout only: the literal AB.6.3 rule (bac-py, our releases before the
         * send rule), under which a node that only listens never heartbeats and its hub must probe it.
         */
        RECEIVE
    }

    /** The heartbeat timers of the nodes. */
    public record Heartbeats(java.time.Duration timeout, java.time.Duration ackTimeout, HeartbeatRule rule) {
    }

    private static final int CONNECTING = 0;
    private static final int TLS = 1;
    private static final int UPGRADE = 2;
    private static final int BVLC = 3;
    private static final int CONNECTED = 4;
    private static final int CLOSED = 5;

    private final Selector selector;
    private final org.bacnetsc.transport.TlsEngines engines;
    private final TlsSettings tls;
    /** The hubs, and which one each node connects to (node i: hub i mod the number of hubs). */
    private final Hub[] hubs;
    private final String subprotocol;
    private final BenchTracker tracker;
    private final Node[] nodes;
    private final List<Node> dirty = new ArrayList<>();
    private final List<String> firstErrors = new ArrayList<>();
    private int connected;
    private int failed;
    private int msgId;
    private final Heartbeats heartbeats;
    /** {@link System#nanoTime} as of the current {@link #poll}: when frames were sent and received, near enough. */
    private long now = System.nanoTime();
    private long nextHeartbeatSweep;
    private long heartbeatsSent;
    private long heartbeatsAnswered;
    private ByteBuffer app = ByteBuffer.allocate(64 * 1024);
    private ByteBuffer net = ByteBuffer.allocate(64 * 1024);

    /** One hub: where to connect, the Host header, the path. */
    private record Hub(InetSocketAddress address, String host, String path) {
        static Hub of(java.net.URI uri) {
            String host = uri.getHost() == null ? "" : uri.getHost().replace("[", "").replace("]", "");
            int port = uri.getPort() > 0 ? uri.getPort() : 443;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return new Hub(new InetSocketAddress(host, port), host, path);
        }
    }

    /**
     * @param hubs        the hubs (wss URIs); node i connects to hub i mod {@code hubs.size()}
     * @param subprotocol the subprotocol offered
     * @param tls         our certificate and trust
     * @param vmacs       each node's VMAC (and with it the number of nodes)
     * @param tracker     where received NPDUs are counted
     * @param heartbeats  the nodes' heartbeat timers and rule
     */
    public NioNodes(List<java.net.URI> hubs, String subprotocol, TlsSettings tls, List<Vmac> vmacs,
                    BenchTracker tracker, Heartbeats heartbeats) throws IOException {
        this.heartbeats = heartbeats;
        this.selector = Selector.open();
        this.tls = tls;
        this.engines = tls.clientEngines();
        this.hubs = hubs.stream().map(Hub::of).toArray(Hub[]::new);
        this.subprotocol = subprotocol;
        this.tracker = tracker;
        this.nodes = new Node[vmacs.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new Node(i, vmacs.get(i), DeviceUuid.random());
        }
    }

    private Hub hubOf(Node n) {
        return hubs[n.index % hubs.length];
    }

    /** Nodes that completed the Connect-Request / Connect-Accept exchange. */
    public int connected() {
        return connected;
    }

    /** Nodes whose connection failed or closed. */
    public int failed() {
        return failed;
    }

    /** Heartbeat-Requests the nodes sent. */
    public long heartbeatsSent() {
        return heartbeatsSent;
    }

    /** Of them, answered with Heartbeat-ACK (or a BVLC-Result for it). */
    public long heartbeatsAnswered() {
        return heartbeatsAnswered;
    }

    /** The first few failures, for the report. */
    public List<String> firstErrors() {
        return firstErrors;
    }

    /** Starts connecting node {@code i}. */
    public void open(int i) {
        Node n = nodes[i];
        try {
            n.channel = SocketChannel.open();
            n.channel.configureBlocking(false);
            n.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Hub h = hubOf(n);
            n.engine = engines.client(h.host(), h.address().getPort());
            n.key = n.channel.register(selector, SelectionKey.OP_CONNECT, n);
            if (n.channel.connect(h.address())) {
                onConnectable(n);
            }
        } catch (IOException | RuntimeException e) {
            fail(n, e);
        }
    }

    /** Queues {@code bvlc} (an encoded BVLC message) on node {@code i}; written by the next {@link #flush()}. */
    public void send(int i, ByteString bvlc) {
        Node n = nodes[i];
        if (n.state == CONNECTED) {
            frame(n, bvlc);
        }
    }

    /** The next BVLC Message ID of this generator. */
    public int nextMessageId() {
        msgId = (msgId + 1) & 0xFFFF;
        return msgId;
    }

    /** Seals and writes what was queued since the last flush, one record and write per connection. */
    public void flush() {
        for (Node n : dirty) {
            n.dirty = false;
            write(n);
        }
        dirty.clear();
    }

    /** Waits up to {@code millis} (0: not at all) for network events and handles them. */
    public void poll(long millis) throws IOException {
        int ready = millis <= 0 ? selector.selectNow() : selector.select(millis);
        now = System.nanoTime();
        if (ready > 0) {
            var it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                Node n = (Node) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                try {
                    if (key.isConnectable()) {
                        onConnectable(n);
                    } else {
                        if (key.isWritable()) {
                            onWritable(n);
                        }
                        if (key.isValid() && key.isReadable()) {
                            onReadable(n);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    fail(n, e);
                }
            }
        }
        if (now - nextHeartbeatSweep >= 0) {
            nextHeartbeatSweep = now + HEARTBEAT_SWEEP_NANOS;
            heartbeatSweep();
        }
        flush();
    }

    /** How often the nodes' heartbeat deadlines are looked at. */
    private static final long HEARTBEAT_SWEEP_NANOS = 100_000_000L;

    /** Sends the heartbeats that are due and closes the nodes whose heartbeat went unanswered. */
    private void heartbeatSweep() {
        long timeout = heartbeats.timeout().toNanos();
        for (Node n : nodes) {
            if (n.state != CONNECTED) {
                continue;
            }
            if (n.heartbeatId >= 0) {
                if (now - n.heartbeatSentAt >= heartbeats.ackTimeout().toNanos()) {
                    close(n, "no Heartbeat-ACK within " + heartbeats.ackTimeout().toSeconds() + " s");
                }
            } else if (now - n.lastReceived >= timeout
                    || heartbeats.rule() == HeartbeatRule.SEND_OR_RECEIVE && now - n.lastSent >= timeout) {
                n.heartbeatId = nextMessageId();
                n.heartbeatSentAt = now;
                heartbeatsSent++;
                frame(n, BvlcCodec.encode(BvlcMessage.of(n.heartbeatId, Payload.HeartbeatRequest.INSTANCE)));
            }
        }
    }

    /** Sends Disconnect-Request on every connected node and waits up to {@code millis} for the answers. */
    public void disconnectAll(long millis) throws IOException {
        for (Node n : nodes) {
            if (n.state == CONNECTED) {
                frame(n, BvlcCodec.encode(BvlcMessage.of(nextMessageId(), Payload.DisconnectRequest.INSTANCE)));
            }
        }
        flush();
        long until = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < until && anyConnected()) {
            poll(10);
        }
    }

    private boolean anyConnected() {
        for (Node n : nodes) {
            if (n.state == CONNECTED) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        for (Node n : nodes) {
            if (n.channel != null) {
                n.channel.close();
            }
        }
        selector.close();
    }

    // ------------------------------------------------------------------------------------------------ events

    private void onConnectable(Node n) throws IOException {
        n.channel.finishConnect();
        n.key.interestOps(SelectionKey.OP_READ);
        n.state = TLS;
        n.engine.beginHandshake();
        drive(n);
    }

    private void onReadable(Node n) throws IOException {
        int read = n.channel.read(n.netIn);
        if (read < 0) {
            fail(n, new IOException("connection closed by the hub"));
            return;
        }
        drive(n);
    }

    private void onWritable(Node n) throws IOException {
        n.channel.write(n.netOut);
        if (!n.netOut.hasRemaining()) {
            n.netOut = null;
            n.key.interestOps(SelectionKey.OP_READ);
            drive(n);
            write(n);
        }
    }

    /** Runs the TLS engine over what was read, through the handshake and then the application data. */
    private void drive(Node n) throws IOException {
        while (n.state != CLOSED) {
            switch (n.engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = n.engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> {
                    if (n.netOut != null || !seal(n, ByteBuffer.allocate(0))) {
                        return;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!open(n)) {
                        return;
                    }
                }
                default -> {
                    if (n.state == TLS) {
                        n.state = UPGRADE;
                        n.wsKey = Base64.getEncoder().encodeToString(randomBytes(16));
                        append(n, ("GET " + hubOf(n).path() + " HTTP/1.1\r\nHost: " + hubOf(n).host() + ":"
                                + hubOf(n).address().getPort()
                                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + n.wsKey
                                + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " + subprotocol
                                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    while (n.state != CLOSED && open(n)) {
                        // all whole records read so far
                    }
                    return;
                }
            }
        }
    }

    /** Unwraps one record from the node's read buffer; false when none is complete. */
    private boolean open(Node n) throws IOException {
        n.netIn.flip();
        SSLEngineResult r;
        try {
            app.clear();
            r = n.engine.unwrap(n.netIn, app);
        } finally {
            n.netIn.compact();
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                if (n.netIn.position() == n.netIn.capacity()) {
                    ByteBuffer bigger = ByteBuffer.allocate(2 * n.netIn.capacity());
                    n.netIn.flip();
                    bigger.put(n.netIn);
                    n.netIn = bigger;
                }
                return false;
            }
            case BUFFER_OVERFLOW -> {
                app = ByteBuffer.allocate(2 * app.capacity());
                return true;
            }
            case CLOSED -> {
                close(n, "TLS closed by the hub");
                return false;
            }
            default -> {
                app.flip();
                if (app.hasRemaining()) {
                    onPlain(n, app);
                }
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            }
        }
    }

    /** Wraps {@code src} into records and writes them; false when nothing was produced. */
    private boolean seal(Node n, ByteBuffer src) throws IOException {
        boolean produced = false;
        do {
            net.clear();
            SSLEngineResult r = n.engine.wrap(src, net);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                net = ByteBuffer.allocate(2 * net.capacity());
                continue;
            }
            net.flip();
            if (net.hasRemaining()) {
                produced = true;
                writeOut(n, net);
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                break;
            }
        } while (src.hasRemaining());
        return produced;
    }

    private void writeOut(Node n, ByteBuffer bytes) throws IOException {
        if (n.netOut == null) {
            n.channel.write(bytes);
            if (!bytes.hasRemaining()) {
                return;
            }
            n.netOut = ByteBuffer.allocate(bytes.remaining());
        } else {
            ByteBuffer bigger = ByteBuffer.allocate(n.netOut.remaining() + bytes.remaining());
            bigger.put(n.netOut);
            n.netOut = bigger;
        }
        n.netOut.put(bytes).flip();
        n.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    /** Seals the node's pending plaintext, unless the socket is still busy with earlier bytes. */
    private void write(Node n) {
        if (n.plainLength == 0 || n.netOut != null || n.state == CLOSED || n.state == TLS) {
            return;
        }
        try {
            ByteBuffer src = ByteBuffer.wrap(n.plain, 0, n.plainLength);
            seal(n, src);
            n.plainLength = 0;
        } catch (IOException | RuntimeException e) {
            fail(n, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ WebSocket

    private void onPlain(Node n, ByteBuffer plain) throws IOException {
        int len = plain.remaining();
        if (n.inLength + len > n.in.length) {
            n.in = java.util.Arrays.copyOf(n.in, Math.max(2 * n.in.length, n.inLength + len));
        }
        plain.get(n.in, n.inLength, len);
        n.inLength += len;
        int at = 0;
        if (n.state == UPGRADE) {
            at = upgradeAnswer(n);
            if (at < 0 || n.state != BVLC) {
                return;
            }
        }
        while (n.state == BVLC || n.state == CONNECTED) {
            if (n.inLength - at < 2) {
                break;
            }
            int b0 = n.in[at] & 0xFF;
            int b1 = n.in[at + 1] & 0xFF;
            int header = 2;
            long length = b1 & 0x7F;
            if (length == 126) {
                if (n.inLength - at < 4) {
                    break;
                }
                length = ((n.in[at + 2] & 0xFF) << 8) | (n.in[at + 3] & 0xFF);
                header = 4;
            } else if (length == 127) {
                if (n.inLength - at < 10) {
                    break;
                }
                length = ByteBuffer.wrap(n.in, at + 2, 8).getLong();
                header = 10;
            }
            if ((b1 & 0x80) != 0 || length > 1 << 20) {
                close(n, "malformed WebSocket frame from the hub");
                return;
            }
            if (n.inLength - at < header + length) {
                break;
            }
            onFrame(n, b0 & 0x0F, n.in, at + header, (int) length);
            at += header + (int) length;
        }
        if (at > 0 && n.state != CLOSED) {
            System.arraycopy(n.in, at, n.in, 0, n.inLength - at);
            n.inLength -= at;
        }
    }

    /** Checks the 101 answer; returns the offset after it, or -1 while incomplete. */
    private int upgradeAnswer(Node n) {
        String head = new String(n.in, 0, n.inLength, StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            return -1;
        }
        String[] lines = head.substring(0, end).split("\r\n");
        String accept = null;
        String protocol = null;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("sec-websocket-accept")) {
                    accept = value;
                } else if (name.equals("sec-websocket-protocol")) {
                    protocol = value;
                }
            }
        }
        if (!lines[0].startsWith("HTTP/1.1 101")) {
            close(n, "the hub answered the upgrade with '" + lines[0] + "'");
            return -1;
        }
        if (!subprotocol.equals(protocol) || !WsClient.expectedAccept(n.wsKey).equals(accept)) {
            close(n, "the hub's upgrade answer lacks subprotocol " + subprotocol + " or the right accept key");
            return -1;
        }
        n.state = BVLC;
        frame(n, BvlcCodec.encode(BvlcMessage.of(nextMessageId(),
                new Payload.ConnectRequest(n.vmac, n.uuid, 1600, 1497))));
        return end + 4;
    }

    private void onFrame(Node n, int opcode, byte[] data, int offset, int length) {
        switch (opcode) {
            case 2 -> onBvlc(n, BvlcCodec.decode(ByteString.fromArray(data, offset, length)));
            case 9 -> control(n, 10, data, offset, length);
            case 8 -> close(n, "WebSocket closed by the hub");
            case 10 -> {
                // pong: nothing to do
            }
            default -> close(n, "unexpected WebSocket frame (opcode " + opcode + ") from the hub");
        }
    }

    private void onBvlc(Node n, DecodeResult r) {
        if (!(r instanceof BvlcMessage m)) {
            return;
        }
        Payload p = m.payload();
        n.lastReceived = now;
        if (p instanceof Payload.EncapsulatedNpdu npdu) {
            tracker.received(n.index, npdu.npdu());
        } else if (p instanceof Payload.ConnectAccept && n.state == BVLC) {
            n.state = CONNECTED;
            connected++;
        } else if ((p instanceof Payload.HeartbeatAck || p instanceof Payload.BvlcResult hr
                && hr.resultFor() == org.bacnetsc.codec.BvlcFunction.HEARTBEAT_REQUEST.code())
                && m.messageId() == n.heartbeatId) {
            n.heartbeatId = -1;
            heartbeatsAnswered++;
        } else if (p instanceof Payload.HeartbeatRequest) {
            frame(n, BvlcCodec.encode(BvlcMessage.of(m.messageId(), Payload.HeartbeatAck.INSTANCE)));
        } else if (p instanceof Payload.DisconnectRequest) {
            frame(n, BvlcCodec.encode(BvlcMessage.of(m.messageId(), Payload.DisconnectAck.INSTANCE)));
            write(n);
            close(n, null);
        } else if (p instanceof Payload.DisconnectAck) {
            close(n, null);
        } else if (p instanceof Payload.BvlcResult result && n.state == BVLC) {
            close(n, "the hub refused Connect-Request: " + result);
        }
    }

    /** Appends a masked binary frame. */
    private void frame(Node n, ByteString payload) {
        n.lastSent = now;
        int len = payload.size();
        byte[] head = len < 126 ? new byte[] {(byte) 0x82, (byte) (0x80 | len)}
                : new byte[] {(byte) 0x82, (byte) (0x80 | 126), (byte) (len >> 8), (byte) len};
        int mask = ThreadLocalRandom.current().nextInt();
        ensure(n, head.length + 4 + len);
        System.arraycopy(head, 0, n.plain, n.plainLength, head.length);
        n.plainLength += head.length;
        int maskAt = n.plainLength;
        n.plain[n.plainLength++] = (byte) (mask >> 24);
        n.plain[n.plainLength++] = (byte) (mask >> 16);
        n.plain[n.plainLength++] = (byte) (mask >> 8);
        n.plain[n.plainLength++] = (byte) mask;
        payload.copyToArray(n.plain, n.plainLength, len);
        for (int i = 0; i < len; i++) {
            n.plain[n.plainLength + i] ^= n.plain[maskAt + (i & 3)];
        }
        n.plainLength += len;
        markDirty(n);
    }

    private void control(Node n, int opcode, byte[] data, int offset, int length) {
        byte[] masked = new byte[2 + 4 + length];
        masked[0] = (byte) (0x80 | opcode);
        masked[1] = (byte) (0x80 | length);
        byte[] key = randomBytes(4);
        System.arraycopy(key, 0, masked, 2, 4);
        for (int i = 0; i < length; i++) {
            masked[6 + i] = (byte) (data[offset + i] ^ key[i & 3]);
        }
        append(n, masked);
    }

    private void append(Node n, byte[] bytes) {
        ensure(n, bytes.length);
        System.arraycopy(bytes, 0, n.plain, n.plainLength, bytes.length);
        n.plainLength += bytes.length;
        markDirty(n);
    }

    private void ensure(Node n, int more) {
        if (n.plainLength + more > n.plain.length) {
            n.plain = java.util.Arrays.copyOf(n.plain, Math.max(2 * n.plain.length, n.plainLength + more));
        }
    }

    private void markDirty(Node n) {
        if (!n.dirty) {
            n.dirty = true;
            dirty.add(n);
        }
    }

    private void fail(Node n, Exception e) {
        String why = e instanceof SSLException ? "TLS: " + e.getMessage() : e.getClass().getSimpleName() + ": "
                + e.getMessage();
        close(n, why);
    }

    private void close(Node n, String error) {
        if (n.state == CLOSED) {
            return;
        }
        boolean wasUp = n.state == CONNECTED;
        n.state = CLOSED;
        if (error != null || !wasUp) {
            failed++;
            if (firstErrors.size() < 5) {
                firstErrors.add("node " + n.index + ": " + (error == null ? "closed" : error));
            }
        } else {
            connected--;
        }
        try {
            if (n.netOut == null && n.plainLength > 0) {
                seal(n, ByteBuffer.wrap(n.plain, 0, n.plainLength));
            }
            if (n.channel != null) {
                n.channel.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** One node connection. */
    private static final class Node {
        final int index;
        final Vmac vmac;
        final DeviceUuid uuid;
        SocketChannel channel;
        SelectionKey key;
        SSLEngine engine;
        int state = CONNECTING;
        String wsKey;
        ByteBuffer netIn = ByteBuffer.allocate(17 * 1024);
        ByteBuffer netOut;
        byte[] plain = new byte[256];
        int plainLength;
        byte[] in = new byte[512];
        int inLength;
        boolean dirty;
        /** When a frame was last queued for the hub and last received from it (by the poll's clock). */
        long lastSent;
        long lastReceived;
        /** The outstanding Heartbeat-Request's Message ID, or -1. */
        int heartbeatId = -1;
        long heartbeatSentAt;

        Node(int index, Vmac vmac, DeviceUuid uuid) {
            this.index = index;
            this.vmac = vmac;
            this.uuid = uuid;
        }
    }
}
