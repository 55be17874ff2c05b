package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.PeerCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server side of the WebSocket opening handshake: the verdicts, and the answers over real TLS. */
class ServerUpgradeTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @TempDir
    static Path dir;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static ByteString verdict(String request) {
        String[] lines = request.split("\r\n");
        return ServerUpgrade.refusal(lines, UpgradeHandshake.headers(lines), WsServer.HUB_SUBPROTOCOL);
    }

    private static String status(ByteString answer) {
        return answer.utf8String().split("\r\n")[0];
    }

    private static String upgrade(String extra) {
        return "GET /hub HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extra;
    }

    @Test
    void anUpgradeOfferingOurSubprotocolAmongOthersIsAccepted() {
        assertNull(verdict(upgrade("Sec-WebSocket-Protocol: x.example, hub.bsc.bacnet.org")));
        // A repeated field counts as one list (RFC 9110 §5.3).
        assertNull(verdict(upgrade("Sec-WebSocket-Protocol: x.example\r\nSec-WebSocket-Protocol: hub.bsc.bacnet.org")));
    }

    @Test
    void theAcceptKeyIsTheRfc6455One() {
        // RFC 6455 §1.3's example.
        assertTrue(ServerUpgrade.switching(KEY, WsServer.HUB_SUBPROTOCOL).utf8String()
                .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    }

    @Test
    void aRequestThatIsNotAVersion13UpgradeGets426() {
        assertEquals("HTTP/1.1 426 Upgrade Required", status(verdict("GET /hub HTTP/1.1\r\nHost: h")));
        assertEquals("HTTP/1.1 426 Upgrade Required", status(verdict(upgrade("Sec-WebSocket-Protocol: "
                + "hub.bsc.bacnet.org").replace("Version: 13", "Version: 8"))));
        assertTrue(verdict("GET /hub HTTP/1.1\r\nHost: h").utf8String().contains("Sec-WebSocket-Version: 13\r\n"));
    }

    @Test
    void aMissingSubprotocolAMalformedKeyOrAnotherHttpVersionGets400() {
        assertEquals("HTTP/1.1 400 Bad Request", status(verdict(upgrade("Sec-WebSocket-Protocol: dc.bsc.bacnet.org"))));
        assertEquals("HTTP/1.1 400 Bad Request", status(verdict(upgrade(""))));
        assertEquals("HTTP/1.1 400 Bad Request", status(verdict(upgrade("Sec-WebSocket-Protocol: hub.bsc.bacnet.org")
                .replace(KEY, "c2hvcnQ="))));
        assertEquals("HTTP/1.1 400 Bad Request", status(verdict(upgrade("Sec-WebSocket-Protocol: hub.bsc.bacnet.org")
                .replace("HTTP/1.1", "HTTP/1.0"))));
    }

    private static WsServer.Binding server(DevPki pki, boolean room, TransportSettings settings,
                                           TransportCounters counters) throws Exception {
        WsServer.Acceptor acceptor = (String peer, PeerCertificate cert) -> {
            CompletionStage<Optional<ActorRef<Connection.Command>>> none =
                    CompletableFuture.completedFuture(Optional.empty());
            return room ? CompletableFuture.completedFuture(Optional.of(KIT.<Connection.Command>createTestProbe()
                    .ref())) : none;
        };
        return WsServer.bind(KIT.system(), "127.0.0.1", 0, pki.hubTls(), WsServer.HUB_SUBPROTOCOL, 1600, settings,
                counters, acceptor).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static DevPki pki() {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(1);
        return pki;
    }

    /** Sends {@code request} over mutual TLS to a server whose owner answers {@code room}; returns the answer. */
    private static String exchange(String request, boolean room, TransportCounters counters) throws Exception {
        DevPki pki = pki();
        WsServer.Binding binding = server(pki, room, TransportSettings.defaults(), counters);
        try (SSLSocket socket = (SSLSocket) pki.nodeTls(1).sslContext().getSocketFactory()
                .createSocket("127.0.0.1", binding.localAddress().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            while (!got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        } finally {
            binding.terminate(java.time.Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void connectionsThatDoNotCompleteTlsOrTheUpgradeInTimeAreClosedAndCounted() throws Exception {
        DevPki pki = pki();
        TransportCounters counters = new TransportCounters();
        WsServer.Binding binding = server(pki, true, new TransportSettings(16, false, java.time.Duration.ofMillis(300)),
                counters);
        try (java.net.Socket silent = new java.net.Socket("127.0.0.1", binding.localAddress().getPort());
             SSLSocket idle = (SSLSocket) pki.nodeTls(1).sslContext().getSocketFactory()
                     .createSocket("127.0.0.1", binding.localAddress().getPort())) {
            silent.setSoTimeout(10_000);
            idle.setSoTimeout(10_000);
            // One never starts TLS; the other completes TLS but never asks for the upgrade.
            idle.startHandshake();
            idle.getOutputStream().write("GET /hub HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            idle.getOutputStream().flush();
            // The server closes both (the silent one after a TLS alert record); a read timeout would fail the test.
            InputStream raw = silent.getInputStream();
            int octets = 0;
            while (raw.read() >= 0) {
                octets++;
            }
            assertTrue(octets <= 7 + 64, "at most an alert before the end: " + octets);
            assertEquals(-1, idle.getInputStream().read());
            assertEquals(2, counters.snapshot().refusedUpgrades());
        } finally {
            binding.terminate(java.time.Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void overTlsAPlainGetGets426AndIsCounted() throws Exception {
        TransportCounters counters = new TransportCounters();
        String answer = exchange("GET /hub HTTP/1.1\r\nHost: localhost\r\n\r\n", true, counters);
        assertTrue(answer.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), answer);
        assertEquals(1, counters.snapshot().refusedUpgrades());
    }

    @Test
    void overTlsAnOwnerWithoutRoomGets503AndIsCounted() throws Exception {
        TransportCounters counters = new TransportCounters();
        String answer = exchange(upgrade("Sec-WebSocket-Protocol: hub.bsc.bacnet.org\r\n\r\n"), false, counters);
        assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), answer);
        assertEquals(1, counters.snapshot().refusedCapacity());
    }

    @Test
    void overTlsAnAdmittedUpgradeGets101WithOurSubprotocol() throws Exception {
        TransportCounters counters = new TransportCounters();
        String answer = exchange(upgrade("Sec-WebSocket-Protocol: hub.bsc.bacnet.org\r\n\r\n"), true, counters);
        Map<String, String> headers = UpgradeHandshake.headers(answer.split("\r\n"));
        assertTrue(answer.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), answer);
        assertEquals("hub.bsc.bacnet.org", headers.get("sec-websocket-protocol"));
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", headers.get("sec-websocket-accept"));
        assertEquals(1, counters.snapshot().accepted());
    }
}
