package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PkiCommandTest {

    @TempDir
    Path dir;

    private String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Bsc.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute(args));
        return out.toString();
    }

    private static X509Certificate cert(Path p) throws Exception {
        try (var in = Files.newInputStream(p)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void initWritesACaAndHubAndNodeCertificatesSignedByIt() throws Exception {
        String out = run("pki", "init", dir.toString(), "--nodes", "3");
        assertTrue(out.contains("wrote 10 files"), out);
        X509Certificate ca = cert(dir.resolve("ca.pem"));
        for (String name : List.of("hub", "node-1", "node-2", "node-3")) {
            X509Certificate c = cert(dir.resolve(name + ".pem"));
            c.verify(ca.getPublicKey());
            c.checkValidity();
            assertEquals("CN=" + name, c.getSubjectX500Principal().getName());
            assertEquals("EC", c.getPublicKey().getAlgorithm());
            assertTrue(c.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
            assertTrue(c.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("127.0.0.1")));
            assertTrue(c.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("localhost")));
            assertTrue(Files.readString(dir.resolve(name + "-key.pem")).contains("BEGIN PRIVATE KEY"));
        }
    }

    @Test
    void initKeepsExistingFilesAndAddsMissingNodes() throws Exception {
        run("pki", "init", dir.toString(), "--nodes", "1");
        byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
        String out = run("pki", "init", dir.toString(), "--nodes", "2");
        assertTrue(out.contains("wrote 2 files"), out);
        assertEquals(new String(ca), Files.readString(dir.resolve("ca.pem")));
        cert(dir.resolve("node-2.pem")).verify(cert(dir.resolve("ca.pem")).getPublicKey());
        assertTrue(run("pki", "init", dir.toString(), "--nodes", "2").contains("nothing written"));
    }

    @Test
    void csrWritesAP256KeyAndASignedRequestWithTheAnnexAbExtensionsAndShowReadsIt() throws Exception {
        Path key = dir.resolve("keys/hub-key.pem"); // a directory that does not exist yet
        Path csr = dir.resolve("hub.csr");
        String printed = run("pki", "csr", "--key-out", key.toString(), "--csr-out", csr.toString(),
                "--subject", "CN=hub-1,O=Acme", "--san", "DNS:hub.example.com", "--san", "10.0.0.5");
        org.bouncycastle.pkcs.PKCS10CertificationRequest request;
        try (var r = Files.newBufferedReader(csr); var p = new org.bouncycastle.openssl.PEMParser(r)) {
            request = (org.bouncycastle.pkcs.PKCS10CertificationRequest) p.readObject();
        }
        assertEquals("CN=hub-1,O=Acme", request.getSubject().toString());
        assertTrue(request.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                .build(new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(request).getPublicKey())));
        var ext = request.getRequestedExtensions();
        assertEquals(List.of(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth,
                org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth),
                List.of(org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(ext).getUsages()));
        assertTrue(org.bouncycastle.asn1.x509.KeyUsage.fromExtensions(ext)
                .hasUsages(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature));
        // The key on disk is the request's key: PKCS#8, EC on P-256, readable by its owner only.
        var pkcs8 = Files.readString(key);
        assertTrue(pkcs8.startsWith("-----BEGIN PRIVATE KEY-----"), pkcs8);
        java.security.interfaces.ECPrivateKey priv = (java.security.interfaces.ECPrivateKey)
                java.security.KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                        java.util.Base64.getMimeDecoder().decode(pkcs8.replaceAll("-----[A-Z ]+-----", ""))));
        assertEquals(256, priv.getParams().getCurve().getField().getFieldSize());
        java.security.interfaces.ECPublicKey pub = (java.security.interfaces.ECPublicKey)
                new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(request).getPublicKey();
        java.security.Signature sign = java.security.Signature.getInstance("SHA256withECDSA");
        sign.initSign(priv);
        sign.update(new byte[] {1, 2, 3});
        byte[] signature = sign.sign();
        java.security.Signature verify = java.security.Signature.getInstance("SHA256withECDSA");
        verify.initVerify(pub);
        verify.update(new byte[] {1, 2, 3});
        assertTrue(verify.verify(signature), "the key file holds the request's key");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(key)));
        assertTrue(printed.contains("SAN:         DNS:hub.example.com, IP:10.0.0.5\n"), printed);
        assertTrue(printed.contains("EKU:         clientAuth, serverAuth\n"), printed);
        assertTrue(printed.contains("signature:   valid\n"), printed);
    }

    @Test
    void showPrintsACertificateAndWhetherItChainsToTheIssuer() throws Exception {
        run("pki", "init", dir.resolve("a").toString(), "--nodes", "1");
        run("pki", "init", dir.resolve("b").toString(), "--nodes", "1");
        String shown = run("pki", "show", dir.resolve("a/hub.pem").toString(), "--issuer",
                dir.resolve("a/ca.pem").toString());
        assertTrue(shown.startsWith("subject:     CN=hub\n"), shown);
        assertTrue(shown.contains("EKU:         clientAuth, serverAuth\n"), shown);
        assertTrue(shown.contains("SAN:         DNS:localhost, IP:127.0.0.1\n"), shown);
        assertTrue(shown.matches("(?s).*valid: .* \\([0-9]+ days left\\)\n.*"), shown);
        assertTrue(shown.contains(": yes (CN="), shown);

        StringWriter out = new StringWriter();
        CommandLine cli = Bsc.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(1, cli.execute("pki", "show", dir.resolve("a/hub.pem").toString(), "--issuer",
                dir.resolve("b/ca.pem").toString()));
        assertTrue(out.toString().contains(": no: the issuer CN="), out.toString());
    }
}
