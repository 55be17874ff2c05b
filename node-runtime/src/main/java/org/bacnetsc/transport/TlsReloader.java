package org.bacnetsc.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS material of one side, renewed without a restart: before a new handshake (at most once a second) it looks
 * at the files of its {@link TlsSettings} (size and modification time), and when they changed it reads them again,
 * checks them (readable, the key belongs to the certificate, the certificate valid now and signed by a configured
 * issuer) and uses them for the handshakes from then on. A bad new file is refused with a log line naming the file
 * and why, and the material in use stays. Established connections keep the session they have. {@link #reloadAll()}
 * (SIGHUP in {@code bsc}) looks at once.
 */
public final class TlsReloader {

    private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;
    private static final Set<TlsReloader> ALL = Collections.synchronizedSet(Collections.newSetFromMap(
            new WeakHashMap<>()));
    private static final Map<TlsSettings, TlsReloader> CLIENTS = new ConcurrentHashMap<>();

    /** What is in use. */
    private record Material(List<String> fingerprint, TlsEngines engines, X509Certificate certificate,
                            List<X509Certificate> issuers) {
    }

    private final TlsSettings settings;
    private final boolean server;
    private final BiConsumer<X509Certificate[], java.security.cert.CertificateException> rejected;
    private volatile Material material;
    private volatile List<String> refused = List.of();
    private volatile long checkedAt = System.nanoTime();

    private TlsReloader(TlsSettings settings, boolean server,
                        BiConsumer<X509Certificate[], java.security.cert.CertificateException> rejected) {
        this.settings = settings;
        this.server = server;
        this.rejected = rejected;
        this.material = load(fingerprint(), false);
        ALL.add(this);
    }

    /**
     * The accepting side's material.
     *
     * @param rejected told each refused client chain and why; null for none
     * @throws IllegalArgumentException naming the file that cannot be used (at start nothing else can be used)
     */
    public static TlsReloader server(TlsSettings settings,
                                     BiConsumer<X509Certificate[], java.security.cert.CertificateException> rejected) {
        return new TlsReloader(settings, true, rejected);
    }

    /** The initiating side's material, one per settings in this process. */
    public static TlsReloader client(TlsSettings settings) {
        return CLIENTS.computeIfAbsent(settings, s -> new TlsReloader(s, false, null));
    }

    /** Looks at the files of every reloader in this process now (for SIGHUP); the number whose material changed. */
    public static int reloadAll() {
        List<TlsReloader> all;
        synchronized (ALL) {
            all = new ArrayList<>(ALL);
        }
        int changed = 0;
        for (TlsReloader r : all) {
            if (r.reload()) {
                changed++;
            }
        }
        return changed;
    }

    /** The engines for a new handshake, after looking at the files when a second has passed. */
    public TlsEngines engines() {
        long now = System.nanoTime();
        if (now - checkedAt >= CHECK_EVERY_NANOS) {
            checkedAt = now;
            reload();
        }
        return material.engines();
    }

    /** Our certificate as in use now. */
    public X509Certificate certificate() {
        return material.certificate();
    }

    /** The issuer certificates in use now. */
    public List<X509Certificate> issuers() {
        return material.issuers();
    }

    /** The settings (file names) this reloader reads. */
    public TlsSettings settings() {
        return settings;
    }

    /**
     * Looks at the files now; when they changed and are good, uses them.
     *
     * @return whether the material in use changed
     */
    public synchronized boolean reload() {
        List<String> now = fingerprint();
        if (now.equals(material.fingerprint()) || now.equals(refused)) {
            return false;
        }
        try {
            Material m = load(now, true);
            X509Certificate old = material.certificate();
            material = m;
            refused = List.of();
            LOG.info("TLS material reloaded for the {} side: now {} (serial {}, valid until {}), before {} (serial {})",
                    server ? "accepting" : "initiating", m.certificate().getSubjectX500Principal().getName(),
                    m.certificate().getSerialNumber().toString(16), m.certificate().getNotAfter().toInstant(),
                    old.getSubjectX500Principal().getName(), old.getSerialNumber().toString(16));
            return true;
        } catch (RuntimeException e) {
            refused = now;
            LOG.warn("TLS material not reloaded, still using {} (serial {}): {}",
                    material.certificate().getSubjectX500Principal().getName(),
                    material.certificate().getSerialNumber().toString(16), e.getMessage());
            return false;
        }
    }

    private List<String> fingerprint() {
        List<Path> files = new ArrayList<>();
        if (settings.identity() != null) {
            files.add(settings.identity().certificate());
            files.add(settings.identity().privateKey());
        } else {
            files.add(settings.pkcs12());
        }
        files.addAll(settings.issuers());
        List<String> f = new ArrayList<>();
        for (Path p : files) {
            try {
                f.add(p + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis());
            } catch (IOException e) {
                f.add(p + "|missing");
            }
        }
        return f;
    }

    /**
     * Reads the files; a renewal ({@code renewal}) is also checked: valid now, the key the certificate's, and signed
     * by a configured issuer when the certificate it replaces was. At start only readability is checked, as before
     * (a peer refuses what it does not accept, and says why). IllegalArgumentException naming the file and why.
     */
    private Material load(List<String> fingerprint, boolean renewal) {
        TlsSettings.Identity id = settings.readIdentity();
        X509Certificate cert = id.chain().get(0);
        List<X509Certificate> issuers = settings.readIssuers();
        if (!renewal) {
            return new Material(fingerprint, server ? settings.serverEngines(rejected) : settings.clientEngines(),
                    cert, issuers);
        }
        String certFile = settings.identity() != null ? PATH_CERT + " '" + settings.identity().certificate() + "'"
                : TlsSettings.PATH + ".pkcs12-file '" + settings.pkcs12() + "'";
        try {
            cert.checkValidity();
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(certFile + ": the certificate " + cert.getSubjectX500Principal()
                    .getName() + " is not valid now (" + e.getMessage() + ")", e);
        }
        if (!keyMatches(id.key(), cert)) {
            throw new IllegalArgumentException((settings.identity() != null ? TlsSettings.PATH
                    + ".private-key-file '" + settings.identity().privateKey() + "'" : certFile)
                    + ": the key does not belong to the certificate " + cert.getSubjectX500Principal().getName());
        }
        Material current = material;
        if (signedByOneOf(List.of(current.certificate()), current.issuers()) && !signedByOneOf(id.chain(), issuers)) {
            throw new IllegalArgumentException(certFile + ": the certificate " + cert.getSubjectX500Principal()
                    .getName() + " is not signed by a configured issuer (" + TlsSettings.PATH
                    + ".issuer-certificate-files)");
        }
        TlsEngines engines = server ? settings.serverEngines(rejected) : settings.clientEngines();
        return new Material(fingerprint, engines, cert, issuers);
    }

    private static final String PATH_CERT = TlsSettings.PATH + ".certificate-file";

    private static boolean keyMatches(PrivateKey key, X509Certificate cert) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA"
                : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : null;
        if (algorithm == null) {
            return key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm());
        }
        try {
            byte[] challenge = new byte[32];
            new java.security.SecureRandom().nextBytes(challenge);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(challenge);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(challenge);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean signedByOneOf(List<X509Certificate> chain, List<X509Certificate> issuers) {
        for (X509Certificate c : chain) {
            for (X509Certificate i : issuers) {
                if (i.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                    try {
                        c.verify(i.getPublicKey());
                        return true;
                    } catch (GeneralSecurityException e) {
                        // another issuer of the same name may have signed it
                    }
                }
                if (i.equals(c)) {
                    return true;
                }
            }
        }
        return false;
    }
}
