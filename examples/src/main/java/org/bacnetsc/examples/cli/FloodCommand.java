package org.bacnetsc.examples.cli;

import com.typesafe.config.Config;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLSocket;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DecodeResult;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TlsSettings;
import org.bacnetsc.transport.WsServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A hostile but authenticated node, to check a hub's bounds: it connects and is admitted like any node, then sends
 * WebSocket pings as fast as it can and never reads. A hub should either close it (1008, beyond
 * {@code bacnet-sc.transport.max-pings-per-second}) or keep it within its bound (one pending pong), and every other
 * node's traffic should go on. Only for hubs you run.
 */
@Command(name = "flood", mixinStandardHelpOptions = true,
        description = "Ping-flood a hub from one admitted connection that never reads (a resilience check of your own "
                + "hub; 127.0.0.1 or a hub you operate).")
public final class FloodCommand implements Callable<Integer> {

    @Mixin
    ServiceConfig service;

    @Option(names = "--hub", paramLabel = "URI", required = true, description = "the hub (wss://...)")
    URI hub;

    @Option(names = "--pki-node", defaultValue = "1", description = "which development-PKI node certificate")
    int pkiNode;

    @Option(names = "--pings", defaultValue = "2000000", description = "frames to send (default 2,000,000)")
    long pings;

    @Option(names = "--ping-size", defaultValue = "2", description = "ping payload octets, 0-125 (default 2)")
    int pingSize;

    @Option(names = "--kind", defaultValue = "ping",
            description = "what to flood with: ping (WebSocket pings), heartbeat (Heartbeat-Requests, each answered), "
                    + "unknown-vmac (100-octet NPDUs to a VMAC nobody has)")
    String kind;

    @Option(names = "--linger", defaultValue = "5",
            description = "seconds to read after sending, for the hub's close (default 5)")
    int linger;

    @Option(names = "--json", description = "print one JSON object on one line")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (pingSize < 0 || pingSize > 125 || pings < 1 || !java.util.List.of("ping", "heartbeat", "unknown-vmac")
                .contains(kind)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--ping-size 0-125, --pings >= 1 and --kind ping, heartbeat or unknown-vmac");
        }
        Config c = service.load();
        TlsSettings tls = service.pki() != null ? DevPki.at(service.pki()).nodeTls(pkiNode)
                : TlsSettings.configured(c) ? TlsSettings.fromConfig(c) : null;
        if (tls == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--pki DIR or --cert/--key/--issuer (or bacnet-sc.tls) is required");
        }
        javax.net.ssl.SSLContext ctx;
        try {
            ctx = tls.sslContext();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        SecureRandom random = new SecureRandom();
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(hub.getHost(), hub.getPort());
        s.setEnabledProtocols(new String[] {TlsSettings.TLS_13});
        s.startHandshake();
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        DataInputStream in = new DataInputStream(s.getInputStream());
        upgrade(out, in, random);
        Vmac vmac = Vmac.random48(random);
        out.write(masked(2, BvlcCodec.encode(BvlcMessage.of(1, new Payload.ConnectRequest(vmac,
                DeviceUuid.random(), 1600, 1497))).toArray(), random));
        out.flush();
        byte[] answer = readFrame(in);
        DecodeResult accepted = BvlcCodec.decode(org.apache.pekko.util.ByteString.fromArray(answer));
        if (!(accepted instanceof BvlcMessage m && m.payload() instanceof Payload.ConnectAccept)) {
            spec.commandLine().getErr().println("bsc flood: not admitted: " + accepted);
            return 1;
        }
        // 1,000 pings per write, each with its own mask, built once.
        int per = 1000;
        java.io.ByteArrayOutputStream block = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < per; i++) {
            block.writeBytes(switch (kind) {
                case "heartbeat" -> masked(2, BvlcCodec.encode(BvlcMessage.of(i, Payload.HeartbeatRequest.INSTANCE))
                        .toArray(), random);
                case "unknown-vmac" -> masked(2, BvlcCodec.encode(BvlcMessage.of(i, null,
                        Vmac.parse("02:ff:ff:ff:ff:fe"), new Payload.EncapsulatedNpdu(
                                org.apache.pekko.util.ByteString.fromArray(new byte[100])))).toArray(), random);
                default -> masked(9, new byte[pingSize], random);
            });
        }
        byte[] pingBlock = block.toByteArray();
        long sent = 0;
        long start = System.nanoTime();
        String outcome = "all sent";
        try {
            while (sent < pings) {
                int n = (int) Math.min(per, pings - sent);
                out.write(pingBlock, 0, n * (pingBlock.length / per));
                sent += n;
            }
            out.flush();
        } catch (IOException e) {
            outcome = "connection ended while sending: " + e.getMessage();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Only now read: the hub's close (if it closed us) comes after the pongs it wrote while we did not read.
        int closeCode = closeCode(s, in, Math.max(1, linger) * 1000);
        String result = closeCode > 0 ? "closed by the hub with " + closeCode : closeCode == 0
                ? "still open" : "ended without a close frame";
        if (json) {
            spec.commandLine().getOut().printf("{\"kind\":\"%s\",\"framesSent\":%d,\"seconds\":%.3f,"
                    + "\"sending\":\"%s\",\"result\":\"%s\",\"closeCode\":%d}%n", kind, sent, seconds,
                    outcome.replace("\"", "'"), result, closeCode);
        } else {
            spec.commandLine().getOut().printf("%d %s frames sent in %.2f s (%s); %s%n", sent, kind, seconds, outcome,
                    result);
        }
        s.close();
        return 0;
    }

    private void upgrade(OutputStream out, DataInputStream in, SecureRandom random) throws IOException {
        byte[] key = new byte[16];
        random.nextBytes(key);
        String path = hub.getRawPath() == null || hub.getRawPath().isEmpty() ? "/" : hub.getRawPath();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + hub.getHost() + ":" + hub.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + WsServer.HUB_SUBPROTOCOL + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the hub closed during the upgrade: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
    }

    /** The close code the hub sent (skipping pongs), 0 if the connection is still open after a while, -1 if it ended. */
    private static int closeCode(SSLSocket s, DataInputStream in, int millis) {
        try {
            s.setSoTimeout(millis);
            while (true) {
                int b0 = in.readUnsignedByte();
                int len = in.readUnsignedByte() & 0x7F;
                long n = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
                byte[] p = new byte[(int) Math.min(n, 1 << 20)];
                in.readFully(p);
                if ((b0 & 0x0F) == 8) {
                    return p.length >= 2 ? ((p[0] & 0xFF) << 8) | (p[1] & 0xFF) : 1005;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        in.readUnsignedByte();
        int len = in.readUnsignedByte() & 0x7F;
        int n = len == 126 ? in.readUnsignedShort() : len;
        byte[] p = new byte[n];
        in.readFully(p);
        return p;
    }

    /** A whole client frame (FIN set), masked with a fresh key. */
    private static byte[] masked(int opcode, byte[] payload, SecureRandom random) {
        int ext = payload.length < 126 ? 0 : 2;
        byte[] f = new byte[2 + ext + 4 + payload.length];
        f[0] = (byte) (0x80 | opcode);
        f[1] = (byte) (0x80 | (ext == 0 ? payload.length : 126));
        if (ext == 2) {
            f[2] = (byte) (payload.length >>> 8);
            f[3] = (byte) payload.length;
        }
        byte[] key = new byte[4];
        random.nextBytes(key);
        System.arraycopy(key, 0, f, 2 + ext, 4);
        for (int i = 0; i < payload.length; i++) {
            f[6 + ext + i] = (byte) (payload[i] ^ key[i & 3]);
        }
        return f;
    }
}
