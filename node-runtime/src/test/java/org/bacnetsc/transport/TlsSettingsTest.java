package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {

    @TempDir
    Path dir;

    private static String q(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\") + "\"";
    }

    @Test
    void autoRunsBoringSslWhereItLoadsAndTheJdksTlsWhereItIsSwitchedOff() {
        DevPki pki = DevPki.at(dir);
        pki.ensure(1);
        // This suite runs twice (node-runtime/pom.xml): as is, and with -Dio.netty.handler.ssl.noOpenSsl=true.
        TlsProvider expected = Boolean.getBoolean("io.netty.handler.ssl.noOpenSsl") ? TlsProvider.JDK
                : TlsProvider.nativeAvailable() ? TlsProvider.OPENSSL : TlsProvider.JDK;
        assertEquals(TlsProvider.AUTO, pki.hubTls().provider());
        assertEquals(expected, pki.hubTls().serverEngines(null).provider());
        assertEquals(expected, pki.nodeTls(1).clientEngines().provider());
        assertEquals(TlsProvider.JDK, pki.nodeTls(1).withProvider(TlsProvider.JDK).clientEngines().provider());
    }

    @Test
    void pemSettingsFromConfigBuildATls13OnlyContext() {
        DevPki pki = DevPki.at(dir);
        pki.ensure(1);
        TlsSettings s = TlsSettings.fromConfig(ConfigFactory.parseString(
                "bacnet-sc.tls { certificate-file = " + q(pki.node(1).certificate()) + ", private-key-file = "
                        + q(pki.node(1).privateKey()) + ", issuer-certificate-files = [" + q(pki.caCertificate())
                        + "] }").withFallback(ConfigFactory.defaultReference()).resolve());
        assertEquals(TlsSettings.pem(pki.node(1), List.of(pki.caCertificate())), s);
        SSLContext ctx = s.sslContext();
        SSLEngine server = TlsSettings.serverEngine(ctx);
        assertEquals(List.of("TLSv1.3"), List.of(server.getEnabledProtocols()));
        assertTrue(server.getNeedClientAuth());
        SSLEngine client = s.clientEngine(ctx, "127.0.0.1", 4443);
        assertEquals(List.of("TLSv1.3"), List.of(client.getEnabledProtocols()));
        assertEquals(null, client.getSSLParameters().getEndpointIdentificationAlgorithm());
    }

    @Test
    void aMissingFileFailsNamingTheKeyAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsSettings.fromConfig(
                ConfigFactory.parseString("bacnet-sc.tls { certificate-file = \"/nope/node.pem\", "
                        + "private-key-file = \"/nope/key.pem\" }")));
        assertTrue(e.getMessage().contains("bacnet-sc.tls.certificate-file") && e.getMessage().contains("/nope/node.pem"),
                e.getMessage());
    }

    @Test
    void noIssuerIsABadConfiguration() {
        DevPki pki = DevPki.at(dir);
        pki.ensure(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsSettings.pem(pki.node(1), List.of()));
        assertTrue(e.getMessage().contains("issuer-certificate-files"), e.getMessage());
    }

    @Test
    void pkcs12IdentityAndTrustStoreAreAccepted() throws Exception {
        DevPki pki = DevPki.at(dir);
        pki.ensure(1);
        X509Certificate cert = Pem.readCertificates(pki.node(1).certificate()).get(0);
        X509Certificate ca = Pem.readCertificates(pki.caCertificate()).get(0);
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry("node", Pem.readPrivateKey(pki.node(1).privateKey()), "secret".toCharArray(),
                new X509Certificate[] {cert});
        Path p12 = dir.resolve("node.p12");
        try (OutputStream out = Files.newOutputStream(p12)) {
            identity.store(out, "secret".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        Path trustFile = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustFile)) {
            trust.store(out, "secret".toCharArray());
        }
        TlsSettings s = new TlsSettings(null, p12, "secret", List.of(trustFile), false);
        assertEquals("TLSv1.3", s.sslContext().getProtocol());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings(null, p12, "wrong", List.of(trustFile), false).sslContext());
        assertTrue(e.getMessage().contains("pkcs12-file"), e.getMessage());
    }
}
