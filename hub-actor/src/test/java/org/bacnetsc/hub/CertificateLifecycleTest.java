package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.ConnectionStatus;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TlsIdentity;
import org.bacnetsc.transport.TlsReloader;
import org.bacnetsc.transport.TlsSettings;
import org.bacnetsc.transport.TransportCounters;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsClient;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates renewed without a restart, over real mutual TLS 1.3: the hub's and a node's certificate files are
 * replaced while connections are up; new handshakes use the new certificate, established connections stay, bad
 * replacements are refused; expiry shows in /metrics and /health/ready.
 */
class CertificateLifecycleTest {

    static final ActorTestKit KIT = ActorTestKit.create("certificate-lifecycle");
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static DevPki pki;
    static DevPki other;
    static TlsIdentity live;
    static TlsIdentity liveNode;
    static ScHub hub;
    static URI management;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        other = DevPki.at(dir.resolve("other"));
        other.ensure(1);
        Files.createDirectories(dir.resolve("live"));
        live = new TlsIdentity(dir.resolve("live/hub.pem"), dir.resolve("live/hub-key.pem"));
        install(pki.hub(), live);
        liveNode = new TlsIdentity(dir.resolve("live/node.pem"), dir.resolve("live/node-key.pem"));
        install(pki.node(1), liveNode);
        hub = ScHub.builder().bind("127.0.0.1", 0).tls(TlsSettings.pem(live, List.of(pki.caCertificate())))
                .start(KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        management = URI.create("http://" + WsServer.authority(Management.bind(KIT.system(), hub, "127.0.0.1", 0)
                .toCompletableFuture().get(10, TimeUnit.SECONDS).localAddress()) + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    /** Replaces a certificate and key the way an operator does: write beside, then move over. */
    static void install(TlsIdentity from, TlsIdentity to) throws Exception {
        Files.copy(from.certificate(), to.certificate().resolveSibling("incoming.pem"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(from.privateKey(), to.privateKey().resolveSibling("incoming-key.pem"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(to.privateKey().resolveSibling("incoming-key.pem"), to.privateKey(),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(to.certificate().resolveSibling("incoming.pem"), to.certificate(),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String serial(TlsIdentity id) throws Exception {
        try (var in = Files.newInputStream(id.certificate())) {
            return ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in)).getSerialNumber().toString(16);
        }
    }

    /** A node connected with {@code tls}, and what each side saw of the other's certificate. */
    record Session(ActorRef<Connection.Command> node, TestProbe<ConnectionEvent> events, String servedSerial) {
    }

    static Session connect(TlsSettings tls, int n) {
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        ActorRef<Connection.Command> node = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                new LocalIdentity(new Vmac(0x020000009000L + n), DeviceUuid.random()), ConnectionSettings.defaults(),
                org.bacnetsc.connection.TakingParent.of(KIT, events.ref()), WsClient.opener(KIT.system(), hub.uri(),
                        WsServer.HUB_SUBPROTOCOL, tls, Duration.ofSeconds(5), 1600, TransportSettings.defaults(),
                        new TransportCounters())));
        node.tell(Connection.Start.INSTANCE);
        assertInstanceOf(ConnectionEvent.Connected.class, events.receiveMessage(WAIT));
        TestProbe<ConnectionStatus> status = KIT.createTestProbe();
        node.tell(new Connection.GetStatus(status.ref()));
        return new Session(node, events, status.receiveMessage(WAIT).peerCertificate().serial());
    }

    static ScConnectionState state(ActorRef<Connection.Command> node) {
        TestProbe<ConnectionStatus> status = KIT.createTestProbe();
        node.tell(new Connection.GetStatus(status.ref()));
        ConnectionStatus s = status.receiveMessage(WAIT);
        return s.phase().name().equals("CONNECTED") ? ScConnectionState.CONNECTED : ScConnectionState.NOT_CONNECTED;
    }

    static String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(management.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int n;

    @Test
    void aRenewedHubCertificateServesNewHandshakesWhileConnectedNodesStayAndABadOneIsRefused() throws Exception {
        TlsSettings nodeTls = pki.nodeTls(1);
        Session before = connect(nodeTls, ++n);
        assertEquals(serial(pki.hub()), before.servedSerial());

        // Renewed: same CA, expires in 20 days (inside the 30-day warning window).
        Instant now = Instant.now();
        TlsIdentity renewed = pki.issue("hub-renewed", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(20)));
        install(renewed, live);
        String expected = serial(renewed);
        TestProbe<Object> probe = KIT.createTestProbe();
        // New handshakes look at the files at most once a second: connect until one is served the new certificate.
        probe.awaitAssert(Duration.ofSeconds(10), Duration.ofMillis(200), () -> {
            Session s = connect(nodeTls, ++n);
            s.node().tell(Connection.Disconnect.INSTANCE);
            assertEquals(expected, s.servedSerial());
            return null;
        });
        assertEquals(ScConnectionState.CONNECTED, state(before.node()), "the node connected before stays connected");
        before.events().expectNoMessage(Duration.ofMillis(200));

        // Expiry: metric, readiness note (still 200), the warning line.
        assertTrue(hub.certificateWarnings().get(0).startsWith("the operational certificate CN=hub-renewed expires "
                + "in 19 days") || hub.certificateWarnings().get(0).startsWith(
                "the operational certificate CN=hub-renewed expires in 20 days"), hub.certificateWarnings().toString());
        String ready = get("health/ready");
        assertTrue(ready.startsWith("ready\nwarning: the operational certificate CN=hub-renewed expires in "), ready);
        String metrics = get("metrics");
        String line = metrics.lines().filter(l -> l.startsWith(
                "bacnet_sc_certificate_expiry_seconds{role=\"operational\",subject=\"CN=hub-renewed\"} "))
                .findFirst().orElseThrow(() -> new AssertionError(metrics));
        double seconds = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        assertTrue(seconds > 19 * 86_400 && seconds <= 20 * 86_400, line);
        assertTrue(metrics.contains("\nbacnet_sc_certificate_expiry_seconds{role=\"issuer\",subject=\"CN="), metrics);

        // A certificate from another CA, and a key that is not the certificate's: refused, the renewed one served.
        install(other.node(1), live);
        assertEquals(0, TlsReloader.reloadAll());
        Session still = connect(nodeTls, ++n);
        assertEquals(expected, still.servedSerial());
        install(new TlsIdentity(renewed.certificate(), pki.node(2).privateKey()), live);
        assertEquals(0, TlsReloader.reloadAll());
        assertEquals(expected, connect(nodeTls, ++n).servedSerial());
        assertEquals(ScConnectionState.CONNECTED, state(before.node()));
        install(renewed, live);
    }

    @Test
    void aRenewedNodeCertificateIsUsedForTheNextConnectionAndABadOneIsRefused() throws Exception {
        TlsSettings nodeTls = TlsSettings.pem(liveNode, List.of(pki.caCertificate()));
        Session before = connect(nodeTls, ++n);
        Instant now = Instant.now();
        TlsIdentity renewed = pki.issue("node-renewed", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90)));
        install(renewed, liveNode);
        assertTrue(TlsReloader.client(nodeTls).reload(), "the node's material changed");
        assertEquals(serial(renewed), TlsReloader.client(nodeTls).certificate().getSerialNumber().toString(16));
        int renewedNode = ++n;
        connect(nodeTls, renewedNode);
        // The hub was presented the renewed certificate: its status lists the connection with that serial.
        HubStatus status = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        HubStatus.Connection seen = status.connections().stream().filter(c -> c.state() == ScConnectionState.CONNECTED
                && c.vmac() != null && c.vmac().bits() == 0x020000009000L + renewedNode).findFirst().orElseThrow();
        assertEquals(serial(renewed), seen.peerCertificate().serial());
        assertEquals("CN=node-renewed", seen.peerCertificate().subject());
        assertEquals(ScConnectionState.CONNECTED, state(before.node()), "the node connected before stays connected");
        // A bad replacement (another CA's certificate) is refused; the renewed one stays in use and still connects.
        install(other.node(1), liveNode);
        assertFalse(TlsReloader.client(nodeTls).reload());
        assertEquals(serial(renewed), TlsReloader.client(nodeTls).certificate().getSerialNumber().toString(16));
        connect(nodeTls, ++n);
    }
}
