package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionStatus;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.ScConnectionState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bacnet-sc.tls.provider = openssl}: BoringSSL through Netty's engine behind the same {@link TlsStage}, over
 * real mutual TLS 1.3 on 127.0.0.1, against itself and against the JDK's TLS in both directions.
 */
class NativeTlsTest {

    static final ActorTestKit KIT = ActorTestKit.create();
    static final LocalIdentity NODE = new LocalIdentity(Vmac.parse("02:00:00:00:02:01"),
            DeviceUuid.parse("bbbbbbbb-0000-4000-8000-000000000002"));
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static DevPki pki;
    static DevPki otherPki;

    @BeforeAll
    static void start() {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        otherPki = DevPki.at(dir.resolve("other"));
        otherPki.ensure(1);
    }

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static void assumeNative() {
        assumeTrue(TlsProvider.nativeAvailable(), "BoringSSL (netty-tcnative) does not load on this platform");
    }

    /** Connects a node with {@code client} TLS to a hub with {@code server} TLS; both sides see the peer's subject. */
    private static void connectsAndSeesThePeer(TlsProvider server, TlsProvider client) throws Exception {
        try (TransportFixture hub = new TransportFixture(KIT, pki.hubTls().withProvider(server),
                WsServer.HUB_SUBPROTOCOL)) {
            TestProbe<ConnectionEvent> events = KIT.createTestProbe();
            ActorRef<Connection.Command> c = hub.client(NODE, hub.opener(pki.nodeTls(1).withProvider(client),
                    WsServer.HUB_SUBPROTOCOL, new TransportCounters()), events);
            assertEquals(new ConnectionEvent.Connected(c, TransportFixture.HUB.vmac(),
                    TransportFixture.HUB.deviceUuid(), 1600, 1497), events.receiveMessage(WAIT));
            ConnectionEvent.AdmissionRequested asked = assertInstanceOf(ConnectionEvent.AdmissionRequested.class,
                    hub.serverEvents.receiveMessage(WAIT));
            TestProbe<ConnectionStatus> status = KIT.createTestProbe();
            c.tell(new Connection.GetStatus(status.ref()));
            assertEquals("CN=hub", status.receiveMessage(WAIT).peerCertificate().subject());
            asked.connection().tell(new Connection.GetStatus(status.ref()));
            assertEquals("CN=node-1", status.receiveMessage(WAIT).peerCertificate().subject());
            c.tell(Connection.Disconnect.INSTANCE);
            assertEquals(ScConnectionState.NOT_CONNECTED, assertInstanceOf(ConnectionEvent.Disconnected.class,
                    events.receiveMessage(WAIT)).state());
        }
    }

    @Test
    void opensslOnBothSidesConnectsWithMutualAuthentication() throws Exception {
        assumeNative();
        connectsAndSeesThePeer(TlsProvider.OPENSSL, TlsProvider.OPENSSL);
    }

    @Test
    void anOpensslHubServesAJdkNodeAndAJdkHubAnOpensslNode() throws Exception {
        assumeNative();
        connectsAndSeesThePeer(TlsProvider.OPENSSL, TlsProvider.JDK);
        connectsAndSeesThePeer(TlsProvider.JDK, TlsProvider.OPENSSL);
    }

    @Test
    void anOpensslHubRefusesAClientCertificateFromAnotherIssuerAndReportsItsSubject() throws Exception {
        assumeNative();
        try (TransportFixture hub = new TransportFixture(KIT, pki.hubTls().withProvider(TlsProvider.OPENSSL),
                WsServer.HUB_SUBPROTOCOL)) {
            TestProbe<ConnectionEvent> events = KIT.createTestProbe();
            TlsSettings foreign = TlsSettings.pem(otherPki.node(1), java.util.List.of(pki.caCertificate()));
            hub.client(NODE, hub.opener(foreign, WsServer.HUB_SUBPROTOCOL, new TransportCounters()), events);
            ConnectionEvent.Disconnected d = assertInstanceOf(ConnectionEvent.Disconnected.class,
                    events.receiveMessage(WAIT));
            assertEquals(ScConnectionState.FAILED_TO_CONNECT, d.state());
            // The same cause as with the JDK's TLS: bad_certificate, not BoringSSL's internal_error.
            assertEquals(ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR, d.error().errorCode(), d.error().toString());
            String refused = hub.serverRejections.receiveMessage(WAIT);
            assertTrue(refused.startsWith(ErrorCode.TLS_CLIENT_CERTIFICATE_ERROR + " client certificate CN=node-1"),
                    refused);
            assertEquals(1, hub.serverCounters.snapshot().handshakeFailures(), "this fixture's one refused handshake");
        }
    }

    @Test
    void theProviderIsReadFromConfigurationAndABadValueNamesTheKey() {
        assertEquals(TlsProvider.AUTO, TlsProvider.fromConfig(ConfigFactory.empty()));
        assertEquals(TlsProvider.JDK, TlsProvider.fromConfig(ConfigFactory.parseString(
                "bacnet-sc.tls.provider = jdk")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsProvider.fromConfig(
                ConfigFactory.parseString("bacnet-sc.tls.provider = gnutls")));
        assertEquals("bacnet-sc.tls.provider = \"gnutls\": must be jdk, openssl or auto", e.getMessage());
        assertEquals(TlsProvider.nativeAvailable() ? TlsProvider.OPENSSL : TlsProvider.JDK,
                TlsProvider.AUTO.resolve());
    }
}
