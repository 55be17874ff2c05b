package org.bacnetsc.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;

/**
 * A hostile WebSocket peer below everything of ours: a JDK TLS 1.3 socket with a real certificate, the HTTP upgrade
 * by hand, and frames written and read octet by octet, so that a test can send what no well-behaved peer would (bad
 * RSV bits, reserved opcodes, huge control frames, floods) and see exactly what comes back.
 */
public final class WsPeer implements AutoCloseable {

    /** FIN set. */
    public static final int FIN = 0x80;
    public static final int CONTINUATION = 0;
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** Whether we are the client (our frames masked by default). */
    private final boolean client;

    private WsPeer(Socket socket, boolean client) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.client = client;
    }

    /** A frame read: its first octet (FIN, RSV, opcode), whether it was masked, and the unmasked payload. */
    public record Frame(int b0, boolean masked, byte[] payload) {
        public int opcode() {
            return b0 & 0x0F;
        }

        /** The status code of a close frame (1005 when it has none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** Connects to {@code uri} over TLS 1.3 with {@code tls}'s certificate and completes the upgrade (101). */
    public static WsPeer connect(URI uri, String subprotocol, TlsSettings tls) throws IOException {
        SSLContext ctx = tls.sslContext();
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
        s.setEnabledProtocols(new String[] {TlsSettings.TLS_13});
        s.setTcpNoDelay(true);
        s.startHandshake();
        WsPeer peer = new WsPeer(s, true);
        String key = Base64.getEncoder().encodeToString(RANDOM.generateSeed(16));
        String request = "GET " + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n";
        peer.out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        peer.out.flush();
        String head = peer.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            peer.close();
            throw new IOException("upgrade refused: " + head);
        }
        return peer;
    }

    /** A TLS 1.3 server on 127.0.0.1 requiring a client certificate, that acts as a hub towards our client. */
    public static final class Server implements AutoCloseable {
        private final SSLServerSocket server;

        public Server(TlsSettings tls) throws IOException {
            SSLContext ctx = tls.sslContext();
            server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
                    InetAddress.getByName("127.0.0.1"));
            server.setNeedClientAuth(true);
            server.setEnabledProtocols(new String[] {TlsSettings.TLS_13});
        }

        /** wss://127.0.0.1:port/hub */
        public URI uri() {
            return URI.create("wss://127.0.0.1:" + server.getLocalPort() + "/hub");
        }

        /** Accepts one connection and answers its upgrade with 101 and the subprotocol it offered. */
        public WsPeer accept(Duration timeout) throws IOException {
            return accept(timeout, "");
        }

        /** Accepts one connection (TCP and TLS) and never answers its upgrade request. */
        public WsPeer acceptSilently(Duration timeout) throws IOException {
            server.setSoTimeout((int) timeout.toMillis());
            SSLSocket s = (SSLSocket) server.accept();
            s.startHandshake();
            return new WsPeer(s, false);
        }

        /** The same, with {@code extraHeaders} (each ending in CRLF) in the 101 answer. */
        public WsPeer accept(Duration timeout, String extraHeaders) throws IOException {
            server.setSoTimeout((int) timeout.toMillis());
            SSLSocket s = (SSLSocket) server.accept();
            s.setTcpNoDelay(true);
            WsPeer peer = new WsPeer(s, false);
            String head = peer.readHead();
            String key = header(head, "sec-websocket-key");
            String protocol = header(head, "sec-websocket-protocol");
            String answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + WsClient.expectedAccept(key) + "\r\n"
                    + "Sec-WebSocket-Protocol: " + protocol + "\r\n" + extraHeaders + "\r\n";
            peer.out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
            peer.out.flush();
            return peer;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed in the HTTP head: " + b);
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1 : c == '\r' ? 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** A frame's octets: {@code b0} as given, the length in its shortest form, masked with a random key if asked. */
    public static byte[] frame(int b0, byte[] payload, boolean masked) {
        return frame(b0, payload, masked, payload.length);
    }

    /** A frame's header announcing {@code announced} octets, followed by {@code payload} (which may be shorter). */
    public static byte[] frame(int b0, byte[] payload, boolean masked, long announced) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
        b.write(b0);
        int m = masked ? 0x80 : 0;
        if (announced < 126) {
            b.write(m | (int) announced);
        } else if (announced < 65536) {
            b.write(m | 126);
            b.write((int) (announced >>> 8));
            b.write((int) announced);
        } else {
            b.write(m | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) (announced >>> (8 * i)));
            }
        }
        byte[] key = new byte[4];
        if (masked) {
            RANDOM.nextBytes(key);
            b.write(key, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            b.write(payload[i] ^ (masked ? key[i & 3] : 0));
        }
        return b.toByteArray();
    }

    /** Writes raw octets and flushes. */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes raw octets without flushing (for floods). */
    public void writeBuffered(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Sends one whole frame, masked when we are the client. */
    public void send(int opcode, byte[] payload) throws IOException {
        write(frame(FIN | opcode, payload, client));
    }

    /** Sends a BVLC message as one binary frame. */
    public void sendBvlc(BvlcMessage m) throws IOException {
        send(BINARY, BvlcCodec.encode(m).toArray());
    }

    /** Sends a Connect-Request and reads the answer (a Connect-Accept or a NAK). */
    public BvlcMessage connect(Vmac vmac, DeviceUuid uuid, int messageId, Duration timeout) throws IOException {
        sendBvlc(BvlcMessage.of(messageId, new Payload.ConnectRequest(vmac, uuid, 1600, 1497)));
        return readBvlc(timeout);
    }

    /** The next binary message decoded, skipping control frames; null when the connection ends. */
    public BvlcMessage readBvlc(Duration timeout) throws IOException {
        while (true) {
            Frame f = readFrame(timeout);
            if (f == null || f.opcode() == CLOSE) {
                return null;
            }
            if (f.opcode() == BINARY) {
                return (BvlcMessage) BvlcCodec.decode(ByteString.fromArray(f.payload()));
            }
        }
    }

    /** The next frame; null when the connection ended (EOF or reset). */
    public Frame readFrame(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] key = new byte[4];
            boolean masked = (b1 & 0x80) != 0;
            if (masked) {
                in.readFully(key);
            }
            if (length > 16 * 1024 * 1024) {
                throw new IOException("frame of " + length + " octets");
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= key[i & 3];
                }
            }
            return new Frame(b0, masked, payload);
        } catch (EOFException | java.net.SocketException | javax.net.ssl.SSLException e) {
            return null;
        }
    }

    /**
     * Reads until a close frame arrives (skipping everything else) and returns it; null when the connection ended
     * without one. A read timeout fails.
     */
    public Frame awaitClose(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("no close frame within " + timeout);
            }
            Frame f = readFrame(Duration.ofMillis(left));
            if (f == null || f.opcode() == CLOSE) {
                return f;
            }
        }
    }

    /** Whether the connection has ended: EOF or reset on the next read within {@code timeout}. */
    public boolean endsWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (readFrame(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000))) == null) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
        return false;
    }

    /** The raw input, for tests that read what they like. */
    public InputStream input() {
        return in;
    }

    /** Ends the connection with a TCP reset (no close frame, no close_notify). */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
