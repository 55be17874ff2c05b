package org.bacnetsc.examples.cli;

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
}
