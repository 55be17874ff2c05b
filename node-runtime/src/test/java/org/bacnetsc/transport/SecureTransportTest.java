package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DecodeResult;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionError;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionStatus;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.ScConnectionState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection actor over real TLS 1.3 with mutual authentication and real WebSockets on 127.0.0.1. */
class SecureTransportTest {

    static final ActorTestKit KIT = ActorTestKit.create();
    static final LocalIdentity NODE = new LocalIdentity(Vmac.parse("02:00:00:00:01:01"),
            DeviceUuid.parse("bbbbbbbb-0000-4000-8000-000000000001"));
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static DevPki pki;
    static DevPki otherPki;
    static TransportFixture hub;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(3);
        otherPki = DevPki.at(dir.resolve("other"));
        otherPki.ensure(1);
        hub = new TransportFixture(KIT, pki.hubTls(), WsServer.HUB_SUBPROTOCOL);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
        KIT.shutdownTestKit();
    }

    private static ConnectionEvent.Disconnected failedToConnect(TestProbe<ConnectionEvent> events) {
        ConnectionEvent.Disconnected d = assertInstanceOf(ConnectionEvent.Disconnected.class,
                events.receiveMessage(WAIT));
        assertEquals(ScConnectionState.FAILED_TO_CONNECT, d.state());
        return d;
    }

    /** Which TLS the hub's engines (and, with the same auto setting, the clients' from {@code hub.opener}) run. */
    private static TlsProvider hubProvider() {
        return hub.binding.tls().orElseThrow().engines().provider();
    }

    private static ConnectionError error(ErrorCode code, String details) {
        return ConnectionError.communication(code, details);
    }

    /**
     * The hub's next connection event of {@code connection} (its accepting side), skipping those of other
     * connections: the server's probe is shared by the class, so nothing here depends on what earlier tests left.
     */
    private static ConnectionEvent serverEventOf(ActorRef<Connection.Command> connection) {
        while (true) {
            ConnectionEvent e = hub.serverEvents.receiveMessage(WAIT);
            if (e.connection().equals(connection)) {
                return e;
            }
        }
    }

    /** The hub's admission request from {@code vmac}, skipping events of other connections. */
    private static ConnectionEvent.AdmissionRequested admissionRequestFrom(Vmac vmac) {
        while (true) {
            ConnectionEvent e = hub.serverEvents.receiveMessage(WAIT);
            if (e instanceof ConnectionEvent.AdmissionRequested a && a.vmac().equals(vmac)) {
                return a;
            }
        }
    }

    @Test
    void handshakeThenConnectRequestAndAcceptEndToEnd() {
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        TransportCounters counters = new TransportCounters();
        ActorRef<Connection.Command> c = hub.client(NODE, hub.opener(pki.nodeTls(1), WsServer.HUB_SUBPROTOCOL,
                counters), events);
        assertEquals(new ConnectionEvent.Connected(c, TransportFixture.HUB.vmac(), TransportFixture.HUB.deviceUuid(),
                1600, 1497), events.receiveMessage(WAIT));
        ConnectionEvent.AdmissionRequested asked = admissionRequestFrom(NODE.vmac());
        assertEquals(new ConnectionEvent.AdmissionRequested(asked.connection(), NODE.vmac(), NODE.deviceUuid(), 1600,
                1497), asked);
        assertInstanceOf(ConnectionEvent.Connected.class, serverEventOf(asked.connection()));

        TestProbe<ConnectionStatus> status = KIT.createTestProbe();
        c.tell(new Connection.GetStatus(status.ref()));
        ConnectionStatus client = status.receiveMessage(WAIT);
        assertEquals("CN=hub", client.peerCertificate().subject());
        asked.connection().tell(new Connection.GetStatus(status.ref()));
        ConnectionStatus server = status.receiveMessage(WAIT);
        assertEquals("CN=node-1", server.peerCertificate().subject());
        assertTrue(server.peerAddress().startsWith("127.0.0.1:"), server.peerAddress());

        // Graceful end: Disconnect-Request/ACK, then close.
        c.tell(Connection.Disconnect.INSTANCE);
        ConnectionEvent.Disconnected d = assertInstanceOf(ConnectionEvent.Disconnected.class,
                events.receiveMessage(WAIT));
        assertEquals(ScConnectionState.NOT_CONNECTED, d.state());
        assertEquals(ScConnectionState.NOT_CONNECTED, assertInstanceOf(ConnectionEvent.Disconnected.class,
                serverEventOf(asked.connection())).state());
    }

    @Test
    void aClientWithoutCertificateIsRejected() throws Exception {
        SSLContext noKey = SSLContext.getInstance("TLSv1.3");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.readCertificates(pki.caCertificate()).get(0));
        tmf.init(trust);
        noKey.init(null, tmf.getTrustManagers(), null);
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        hub.client(NODE, WsClient.withEngines(KIT.system(), hub.uri, WsServer.HUB_SUBPROTOCOL,
                (h, p) -> engine(noKey, h, p, "TLSv1.3"), Duration.ofSeconds(5), 1600, TransportSettings.defaults(),
                new TransportCounters()), events);
        // The hub refuses the handshake with its alert, which the client reports: certificate_required (RFC 8446
        // §4.4.2.4) from BoringSSL, bad_certificate from the JDK's TLS.
        String alert = hubProvider() == TlsProvider.OPENSSL ? "certificate_required" : "bad_certificate";
        assertEquals(error(ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR, "SSLHandshakeException Received fatal alert: "
                + alert), failedToConnect(events).error());
    }

    @Test
    void aCertificateFromAnotherCaIsRejected() {
        long failuresBefore = hub.serverCounters.snapshot().handshakeFailures();
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        TlsSettings foreign = TlsSettings.pem(otherPki.node(1), List.of(pki.caCertificate()));
        hub.client(NODE, hub.opener(foreign, WsServer.HUB_SUBPROTOCOL, new TransportCounters()), events);
        // The hub's alert for a certificate its trust manager refused, as each TLS words it.
        assertEquals(hubProvider() == TlsProvider.OPENSSL
                ? error(ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR,
                        "OpenSslException error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE")
                : error(ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR,
                        "SSLHandshakeException Received fatal alert: certificate_unknown"),
                failedToConnect(events).error());
        // The accepting side counts (once: this handshake), logs and reports the refused certificate with its
        // subject and why. It counts before it reports, so the count is read after the report.
        assertEquals("TLS_CLIENT_CERTIFICATE_ERROR client certificate CN=node-1 refused: PKIX path validation "
                + "failed: java.security.cert.CertPathValidatorException: Path does not chain with any of the trust "
                + "anchors", hub.serverRejections.receiveMessage(WAIT));
        assertEquals(failuresBefore + 1, hub.serverCounters.snapshot().handshakeFailures());
    }

    @Test
    void aServerWhoseCertificateIsFromAnotherCaIsRejectedByTheClient() {
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        TlsSettings trustsOnlyOther = TlsSettings.pem(pki.node(2), List.of(otherPki.caCertificate()));
        hub.client(NODE, hub.opener(trustsOnlyOther, WsServer.HUB_SUBPROTOCOL, new TransportCounters()), events);
        ConnectionEvent.Disconnected d = failedToConnect(events);
        assertEquals(ErrorCode.TLS_SERVER_CERTIFICATE_ERROR, d.error().errorCode(), d.error().details());
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRejected() {
        Instant now = Instant.now();
        for (String name : List.of("expired", "future")) {
            TlsIdentity id = name.equals("expired")
                    ? pki.issue(name, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
                    : pki.issue(name, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
            long failuresBefore = hub.serverCounters.snapshot().handshakeFailures();
            TestProbe<ConnectionEvent> events = KIT.createTestProbe();
            hub.client(NODE, hub.opener(TlsSettings.pem(id, List.of(pki.caCertificate())),
                    WsServer.HUB_SUBPROTOCOL, new TransportCounters()), events);
            // The client knows only the hub's alert: BoringSSL sends certificate_expired (for not yet valid too),
            // the JDK's TLS certificate_unknown, which says no more than "certificate".
            assertEquals(hubProvider() == TlsProvider.OPENSSL
                    ? error(ErrorCode.TLS_CLIENT_CERTIFICATE_EXPIRED, "OpenSslException error:10000415:SSL "
                            + "routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED")
                    : error(ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR,
                            "SSLHandshakeException Received fatal alert: certificate_unknown"),
                    failedToConnect(events).error(), name);
            // The hub knows why: the validity period, whichever TLS runs.
            assertEquals("TLS_CLIENT_CERTIFICATE_EXPIRED client certificate CN=" + name + " refused: PKIX path "
                    + "validation failed: java.security.cert.CertPathValidatorException: validity check failed",
                    hub.serverRejections.receiveMessage(WAIT));
            assertEquals(failuresBefore + 1, hub.serverCounters.snapshot().handshakeFailures(), name);
        }
    }

    @Test
    void aTls12OnlyClientIsRejected() {
        SSLContext ctx = pki.nodeTls(1).sslContext();
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        hub.client(NODE, WsClient.withEngines(KIT.system(), hub.uri, WsServer.HUB_SUBPROTOCOL,
                (h, p) -> engine(ctx, h, p, "TLSv1.2"), Duration.ofSeconds(5), 1600, TransportSettings.defaults(),
                new TransportCounters()), events);
        // The hub speaks TLS 1.3 only: its alert, the same from both TLS implementations.
        assertEquals(error(ErrorCode.TLS_ERROR, "SSLHandshakeException Received fatal alert: protocol_version"),
                failedToConnect(events).error());
    }

    @Test
    void aClientOfferingH2InAlpnLikeBacnetStackStillGetsItsHttp11WebSocket() {
        SSLContext ctx = pki.nodeTls(1).sslContext();
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        ActorRef<Connection.Command> c = hub.client(NODE, WsClient.withEngines(KIT.system(), hub.uri,
                WsServer.HUB_SUBPROTOCOL, (h, p) -> {
                    SSLEngine e = engine(ctx, h, p, "TLSv1.3");
                    javax.net.ssl.SSLParameters params = e.getSSLParameters();
                    params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                    e.setSSLParameters(params);
                    return e;
                }, Duration.ofSeconds(5), 1600, TransportSettings.defaults(), new TransportCounters()), events);
        assertEquals(new ConnectionEvent.Connected(c, TransportFixture.HUB.vmac(), TransportFixture.HUB.deviceUuid(),
                1600, 1497), events.receiveMessage(WAIT));
        ActorRef<Connection.Command> accepted = admissionRequestFrom(NODE.vmac()).connection();
        assertInstanceOf(ConnectionEvent.Connected.class, serverEventOf(accepted));
        c.tell(Connection.Disconnect.INSTANCE);
        assertEquals(ScConnectionState.NOT_CONNECTED, assertInstanceOf(ConnectionEvent.Disconnected.class,
                events.receiveMessage(WAIT)).state());
        assertEquals(ScConnectionState.NOT_CONNECTED, assertInstanceOf(ConnectionEvent.Disconnected.class,
                serverEventOf(accepted)).state());
    }

    private static SSLEngine engine(SSLContext ctx, String host, int port, String protocol) {
        SSLEngine e = ctx.createSSLEngine(host, port);
        e.setUseClientMode(true);
        e.setEnabledProtocols(new String[] {protocol});
        return e;
    }

    @Test
    void aWrongSubprotocolIsRejected() {
        long before = hub.serverCounters.snapshot().refusedUpgrades();
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        hub.client(NODE, hub.opener(pki.nodeTls(1), WsServer.DIRECT_SUBPROTOCOL, new TransportCounters()), events);
        // The hub answers 400 (the client offers only the direct-connection subprotocol), counted before it is sent.
        assertEquals(error(ErrorCode.HTTP_UPGRADE_ERROR, "UpgradeFailed HTTP 400 instead of a WebSocket upgrade"),
                failedToConnect(events).error());
        assertEquals(before + 1, hub.serverCounters.snapshot().refusedUpgrades());
    }

    @Test
    void aTextFrameClosesTheWebSocketWith1003AndIsCounted() throws Exception {
        long before = hub.serverCounters.snapshot().textFramesRejected();
        RawClient raw = RawClient.connect(KIT, hub.uri, WsServer.HUB_SUBPROTOCOL, pki.nodeTls(3), true);
        assertEquals("hub.bsc.bacnet.org", raw.upgrade.chosenSubprotocol().orElse(""));
        raw.send(TextMessage.create("hello"));
        String closed = raw.closed.receiveMessage(WAIT);
        assertTrue(closed.contains("1003"), "closed with status 1003 (AB.7.5.3): " + closed);
        assertEquals(before + 1, hub.serverCounters.snapshot().textFramesRejected());
        // Other tests share the server's event probe: look for this connection's end.
        ConnectionEvent e;
        do {
            e = hub.serverEvents.receiveMessage(WAIT);
        } while (!(e instanceof ConnectionEvent.Disconnected d && d.error() != null
                && d.error().errorCode() == ErrorCode.WEBSOCKET_DATA_NOT_ACCEPTED));
    }

    @Test
    void anOverLongMessageIsDiscardedAndTheConnectionSurvives() throws Exception {
        long before = hub.serverCounters.snapshot().oversizeDiscarded();
        RawClient raw = RawClient.connect(KIT, hub.uri, WsServer.HUB_SUBPROTOCOL, pki.nodeTls(3), true);
        ActorRef<Connection.Command> accepted = handshake(raw, "02:00:00:00:03:03");
        assertInstanceOf(Payload.ConnectAccept.class, message(raw.receive()).payload());
        assertInstanceOf(ConnectionEvent.Connected.class, serverEventOf(accepted));
        // Streamed (fragmented) message of 3000 octets: longer than Max-BVLC 1600.
        List<ByteString> parts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            parts.add(ByteString.fromArray(new byte[500]));
        }
        raw.send(BinaryMessage.create(Source.from(parts)));
        // A strict over-long message too.
        raw.send(BinaryMessage.create(ByteString.fromArray(new byte[2000])));
        raw.send(BinaryMessage.create(BvlcCodec.encode(BvlcMessage.of(0x77, Payload.HeartbeatRequest.INSTANCE))));
        assertEquals(BvlcMessage.of(0x77, Payload.HeartbeatAck.INSTANCE), message(raw.receive()));
        assertEquals(before + 2, hub.serverCounters.snapshot().oversizeDiscarded(),
                "both the fragmented and the single-frame over-long message are discarded while arriving");
        raw.closed.expectNoMessage(Duration.ofMillis(200));
    }

    private static BvlcMessage message(ByteString frame) {
        DecodeResult r = BvlcCodec.decode(frame);
        return assertInstanceOf(BvlcMessage.class, r);
    }

    @Test
    void aPeerThatStopsReadingDoesNotSlowTheSendersOtherConnections() throws Exception {
        RawClient slow = RawClient.connect(KIT, hub.uri, WsServer.HUB_SUBPROTOCOL, pki.nodeTls(2), false);
        RawClient fast = RawClient.connect(KIT, hub.uri, WsServer.HUB_SUBPROTOCOL, pki.nodeTls(3), true);
        ActorRef<Connection.Command> slowConn = handshake(slow, "02:00:00:00:04:01");
        ActorRef<Connection.Command> fastConn = handshake(fast, "02:00:00:00:04:02");
        assertInstanceOf(Payload.ConnectAccept.class, message(fast.receive()).payload());
        long dropsBefore = hub.serverCounters.snapshot().queueDrops();
        ByteString frame = BvlcCodec.encode(BvlcMessage.of(1, Vmac.parse("02:00:00:00:04:09"), null,
                new Payload.EncapsulatedNpdu(ByteString.fromArray(new byte[1400]))));
        // Flood the peer that never reads far beyond its queue and the TCP buffers ...
        for (int i = 0; i < 20_000; i++) {
            slowConn.tell(new Connection.Forward(frame));
        }
        // ... while the other connection still gets every frame promptly.
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 50; i++) {
                fastConn.tell(new Connection.Forward(frame));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals(frame, fast.receive());
            }
        }
        // The slow peer's overflow is counted: 20,000 frames of 1.4 KB are far more than its queue and the TCP
        // buffers hold, whatever the speed; the slow connection may still be working through them, so this waits
        // for the count (bounded only against a hang) instead of reading it once.
        KIT.createTestProbe().awaitAssert(Duration.ofSeconds(60), () -> {
            assertTrue(hub.serverCounters.snapshot().queueDrops() > dropsBefore, "the slow peer's overflow is counted");
            return null;
        });
    }

    private ActorRef<Connection.Command> handshake(RawClient raw, String vmac) {
        raw.send(BinaryMessage.create(BvlcCodec.encode(BvlcMessage.of(1, new Payload.ConnectRequest(
                Vmac.parse(vmac), DeviceUuid.random(), 1600, 1497)))));
        ConnectionEvent.AdmissionRequested asked;
        while (true) {
            ConnectionEvent e = hub.serverEvents.receiveMessage(WAIT);
            if (e instanceof ConnectionEvent.AdmissionRequested a && a.vmac().equals(Vmac.parse(vmac))) {
                asked = a;
                break;
            }
        }
        return asked.connection();
    }
}
