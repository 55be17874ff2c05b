package org.bacnetsc.transport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development PKI (never for production): a CA and EC P-256 operational certificates for one hub and N nodes, with
 * SAN {@code localhost} and {@code 127.0.0.1} and EKU clientAuth + serverAuth, written as PEM files.
 *
 * <p>Layout of the directory: {@code ca.pem}, {@code ca-key.pem}, {@code hub.pem}, {@code hub-key.pem},
 * {@code node-1.pem}, {@code node-1-key.pem}, ...
 */
public final class DevPki {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final Path dir;

    private DevPki(Path dir) {
        this.dir = dir;
    }

    /** The PKI in {@code dir}, which may not exist yet. */
    public static DevPki at(Path dir) {
        return new DevPki(dir);
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** The CA certificate (the issuer every party trusts). */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** The hub's identity. */
    public TlsIdentity hub() {
        return new TlsIdentity(dir.resolve("hub.pem"), dir.resolve("hub-key.pem"));
    }

    /** Node {@code n}'s identity (n from 1). */
    public TlsIdentity node(int n) {
        return new TlsIdentity(dir.resolve("node-" + n + ".pem"), dir.resolve("node-" + n + "-key.pem"));
    }

    /** Whether the CA and the hub identity exist. */
    public boolean exists() {
        return Files.exists(caCertificate()) && Files.exists(dir.resolve("ca-key.pem")) && hub().exists();
    }

    /** TLS settings for the hub from this PKI. */
    public TlsSettings hubTls() {
        return TlsSettings.pem(hub(), List.of(caCertificate()));
    }

    /** TLS settings for node {@code n} from this PKI. */
    public TlsSettings nodeTls(int n) {
        return TlsSettings.pem(node(n), List.of(caCertificate()));
    }

    /**
     * Creates what is missing: the CA, the hub's and nodes 1..{@code nodes}' certificates. Existing files are kept.
     *
     * @return the paths written, empty when everything existed
     */
    public List<Path> ensure(int nodes) {
        try {
            Files.createDirectories(dir);
            List<Path> written = new ArrayList<>();
            Path caKeyFile = dir.resolve("ca-key.pem");
            if (!Files.exists(caCertificate()) || !Files.exists(caKeyFile)) {
                KeyPair ca = newKeyPair();
                Instant now = Instant.now();
                X509Certificate caCert = sign("CN=bacnet-sc-pekko development CA", ca.getPublic(),
                        "CN=bacnet-sc-pekko development CA", ca, now.minus(Duration.ofHours(1)), now.plus(VALIDITY),
                        true);
                writePem(caCertificate(), caCert);
                writePem(caKeyFile, ca.getPrivate());
                written.add(caCertificate());
                written.add(caKeyFile);
            }
            X509Certificate caCert = Pem.readCertificates(caCertificate()).get(0);
            PrivateKey caKey = Pem.readPrivateKey(caKeyFile);
            List<TlsIdentity> wanted = new ArrayList<>();
            wanted.add(hub());
            for (int n = 1; n <= nodes; n++) {
                wanted.add(node(n));
            }
            for (TlsIdentity id : wanted) {
                if (!id.exists()) {
                    String cn = id.certificate().getFileName().toString().replace(".pem", "");
                    KeyPair pair = newKeyPair();
                    Instant now = Instant.now();
                    writePem(id.certificate(), issue(caCert, caKey, "CN=" + cn, pair.getPublic(),
                            now.minus(Duration.ofHours(1)), now.plus(VALIDITY)));
                    writePem(id.privateKey(), pair.getPrivate());
                    written.add(id.certificate());
                    written.add(id.privateKey());
                }
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the development PKI in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Issues a further identity from this PKI's CA with the given validity (tests use it for expired and
     * not-yet-valid certificates).
     */
    public TlsIdentity issue(String name, Instant notBefore, Instant notAfter) {
        try {
            X509Certificate caCert = Pem.readCertificates(caCertificate()).get(0);
            PrivateKey caKey = Pem.readPrivateKey(dir.resolve("ca-key.pem"));
            KeyPair pair = newKeyPair();
            TlsIdentity id = new TlsIdentity(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"));
            writePem(id.certificate(), issue(caCert, caKey, "CN=" + name, pair.getPublic(), notBefore, notAfter));
            writePem(id.privateKey(), pair.getPrivate());
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The TLS settings a service uses: {@code explicit} when given; else {@code bacnet-sc.tls} when it names a
     * certificate (and no development PKI was asked for); else the development PKI in {@code devPkiDir} (or
     * {@code bacnet-sc.dev-pki-dir}), created when missing, with a warning that names {@code who}.
     *
     * @param config    the configuration
     * @param explicit  settings given in code, or null
     * @param devPkiDir a development PKI asked for in code, or null
     * @param who       "hub" or "node", for the warning
     * @param nodes     node certificates the PKI must hold
     * @param pick      which identity of the PKI to use
     */
    public static TlsSettings tlsFor(com.typesafe.config.Config config, TlsSettings explicit, Path devPkiDir,
                                     String who, int nodes, java.util.function.Function<DevPki, TlsSettings> pick) {
        if (explicit != null) {
            return explicit;
        }
        if (devPkiDir == null && TlsSettings.configured(config)) {
            return TlsSettings.fromConfig(config);
        }
        Path dir = devPkiDir != null ? devPkiDir : Path.of(config.getString("bacnet-sc.dev-pki-dir"));
        DevPki pki = DevPki.at(dir);
        pki.ensure(nodes);
        org.slf4j.LoggerFactory.getLogger(DevPki.class).warn("the {} runs on the DEVELOPMENT PKI in {} (no "
                + "bacnet-sc.tls certificate configured); not for production", who, dir.toAbsolutePath());
        return pick.apply(pki).withProvider(TlsProvider.fromConfig(config));
    }

    /** A new EC P-256 key pair. */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    private static X509Certificate issue(X509Certificate ca, PrivateKey caKey, String subject, PublicKey key,
                                         Instant notBefore, Instant notAfter) {
        return sign(ca.getSubjectX500Principal().getName(), key, subject, new KeyPair(ca.getPublicKey(), caKey),
                notBefore, notAfter, false);
    }

    private static X509Certificate sign(String issuer, PublicKey subjectKey, String subject, KeyPair issuerKeys,
                                        Instant notBefore, Instant notAfter, boolean isCa) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    new BigInteger(64, RANDOM).abs().add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), subjectKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static void writePem(Path file, Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            if (object instanceof PrivateKey key) {
                w.writeObject(new JcaPKCS8Generator(key, null)); // PKCS#8 "PRIVATE KEY"
            } else {
                w.writeObject(object);
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
    }
}
