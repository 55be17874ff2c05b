package org.bacnetsc.transport;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for BACnet/SC (digest §14): TLS 1.3 only, mutual authentication, trust in exactly the configured issuer
 * certificates (never the JVM's default trust store), hostname verification off unless asked for.
 *
 * @param identity        our operational certificate and key as PEM files, or null when {@code pkcs12} is used
 * @param pkcs12          our certificate and key as a PKCS#12 file, or null
 * @param pkcs12Password  the PKCS#12 password ("" for none)
 * @param issuers         the issuer certificates we trust: PEM files, or PKCS#12 trust stores ({@code .p12},
 *                        {@code .pfx}) opened with {@code pkcs12Password}
 * @param verifyHostname  whether a client checks the server certificate against the host it connects to
 * @param provider        the TLS implementation ({@code bacnet-sc.tls.provider}; AUTO: BoringSSL where it loads)
 */
public record TlsSettings(TlsIdentity identity, Path pkcs12, String pkcs12Password, List<Path> issuers,
                          boolean verifyHostname, TlsProvider provider) {

    /** The config path. */
    public static final String PATH = "bacnet-sc.tls";
    /** The one protocol. */
    public static final String TLS_13 = "TLSv1.3";

    /** Validates the combination. */
    public TlsSettings {
        issuers = List.copyOf(issuers);
        provider = provider == null ? TlsProvider.AUTO : provider;
        pkcs12Password = pkcs12Password == null ? "" : pkcs12Password;
        if ((identity == null) == (pkcs12 == null)) {
            throw new IllegalArgumentException(PATH + ": configure either certificate-file and private-key-file, "
                    + "or pkcs12-file");
        }
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException(PATH + ".issuer-certificate-files: at least one issuer is required");
        }
    }

    /** With the AUTO provider. */
    public TlsSettings(TlsIdentity identity, Path pkcs12, String pkcs12Password, List<Path> issuers,
                       boolean verifyHostname) {
        this(identity, pkcs12, pkcs12Password, issuers, verifyHostname, TlsProvider.AUTO);
    }

    /** PEM identity and PEM issuers, hostname verification off, AUTO provider. */
    public static TlsSettings pem(TlsIdentity identity, List<Path> issuers) {
        return new TlsSettings(identity, null, "", issuers, false);
    }

    /** The same with another TLS implementation. */
    public TlsSettings withProvider(TlsProvider value) {
        return new TlsSettings(identity, pkcs12, pkcs12Password, issuers, verifyHostname, value);
    }

    /** Whether {@code bacnet-sc.tls} names a certificate (otherwise the development PKI applies). */
    public static boolean configured(Config root) {
        return root.hasPath(PATH + ".certificate-file") || root.hasPath(PATH + ".pkcs12-file");
    }

    /**
     * Reads {@code bacnet-sc.tls}: {@code certificate-file} + {@code private-key-file} or {@code pkcs12-file} (+
     * {@code pkcs12-password}), {@code issuer-certificate-files} (a list), {@code verify-hostname}.
     */
    public static TlsSettings fromConfig(Config root) {
        Config c = root.getConfig(PATH);
        TlsIdentity identity = null;
        if (c.hasPath("certificate-file") || c.hasPath("private-key-file")) {
            identity = new TlsIdentity(file(c, "certificate-file"), file(c, "private-key-file"));
        }
        Path pkcs12 = c.hasPath("pkcs12-file") ? file(c, "pkcs12-file") : null;
        List<Path> issuers = new ArrayList<>();
        if (c.hasPath("issuer-certificate-files")) {
            for (String f : c.getStringList("issuer-certificate-files")) {
                Path p = Path.of(f);
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException(PATH + ".issuer-certificate-files: no such file '" + f + "'");
                }
                issuers.add(p);
            }
        }
        return new TlsSettings(identity, pkcs12, c.hasPath("pkcs12-password") ? c.getString("pkcs12-password") : "",
                issuers, c.hasPath("verify-hostname") && c.getBoolean("verify-hostname"),
                TlsProvider.fromConfig(root));
    }

    private static Path file(Config c, String key) {
        if (!c.hasPath(key)) {
            throw new IllegalArgumentException(PATH + "." + key + " is required");
        }
        Path p = Path.of(c.getString(key));
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(PATH + "." + key + ": no such file '" + c.getString(key) + "'");
        }
        return p;
    }

    /**
     * Builds the TLS 1.3 context: our key and chain, and a trust manager holding only the configured issuers.
     *
     * @throws IllegalArgumentException naming the file that could not be used
     */
    public SSLContext sslContext() {
        return sslContext(null);
    }

    /**
     * Builds the TLS 1.3 context for an accepting side: as {@link #sslContext()}, and every client certificate the
     * trust manager rejects is reported to {@code rejected} (the handshake still fails).
     *
     * @param rejected told the presented chain and why it was refused; null for none
     */
    public SSLContext sslContext(java.util.function.BiConsumer<X509Certificate[], java.security.cert.CertificateException>
                                         rejected) {
        try {
            SSLContext ctx = SSLContext.getInstance(TLS_13);
            ctx.init(keyManagers().getKeyManagers(), new javax.net.ssl.TrustManager[] {trustManager(rejected)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * The accepting side's engines, from {@link #provider()}: as {@link #sslContext(java.util.function.BiConsumer)}.
     *
     * @param rejected told each refused client chain and why; null for none
     * @throws IllegalArgumentException naming the file that could not be used, or the provider that cannot load
     */
    public TlsEngines serverEngines(java.util.function.BiConsumer<X509Certificate[],
            java.security.cert.CertificateException> rejected) {
        return provider.resolve() == TlsProvider.OPENSSL
                ? TlsEngines.openssl(true, keyManagers(), trustManager(rejected), verifyHostname)
                : TlsEngines.jdk(sslContext(rejected), verifyHostname);
    }

    /** The initiating side's engines, from {@link #provider()}. */
    public TlsEngines clientEngines() {
        return provider.resolve() == TlsProvider.OPENSSL
                ? TlsEngines.openssl(false, keyManagers(), trustManager(null), verifyHostname)
                : TlsEngines.jdk(sslContext(null), verifyHostname);
    }

    /**
     * Our key and certificate chain as read from the files.
     *
     * @param key   the private key
     * @param chain our certificate first
     */
    record Identity(PrivateKey key, List<X509Certificate> chain) {
    }

    /** Reads our key and chain; IllegalArgumentException naming the file and why. */
    Identity readIdentity() {
        char[] password = pkcs12Password.toCharArray();
        if (pkcs12 != null) {
            try (InputStream in = Files.newInputStream(pkcs12)) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(in, password);
                for (String alias : java.util.Collections.list(keys.aliases())) {
                    if (keys.isKeyEntry(alias)) {
                        List<X509Certificate> chain = new ArrayList<>();
                        for (java.security.cert.Certificate c : keys.getCertificateChain(alias)) {
                            chain.add((X509Certificate) c);
                        }
                        return new Identity((PrivateKey) keys.getKey(alias, password), chain);
                    }
                }
                throw new IllegalArgumentException(PATH + ".pkcs12-file '" + pkcs12 + "': no key in it");
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException(PATH + ".pkcs12-file '" + pkcs12 + "': " + e.getMessage(), e);
            }
        }
        List<X509Certificate> chain = readCertificates(identity.certificate(), "certificate-file");
        try {
            return new Identity(Pem.readPrivateKey(identity.privateKey()), chain);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(PATH + ".private-key-file '" + identity.privateKey() + "': "
                    + e.getMessage(), e);
        }
    }

    /** Reads the issuer certificates; IllegalArgumentException naming the file and why. */
    List<X509Certificate> readIssuers() {
        char[] password = pkcs12Password.toCharArray();
        List<X509Certificate> all = new ArrayList<>();
        for (Path issuer : issuers) {
            String name = issuer.getFileName().toString().toLowerCase();
            if (name.endsWith(".p12") || name.endsWith(".pfx")) {
                try (InputStream in = Files.newInputStream(issuer)) {
                    KeyStore store = KeyStore.getInstance("PKCS12");
                    store.load(in, password);
                    for (String alias : java.util.Collections.list(store.aliases())) {
                        if (store.getCertificate(alias) instanceof X509Certificate c) {
                            all.add(c);
                        }
                    }
                } catch (IOException | GeneralSecurityException e) {
                    throw new IllegalArgumentException(PATH + ".issuer-certificate-files '" + issuer + "': "
                            + e.getMessage(), e);
                }
            } else {
                all.addAll(readCertificates(issuer, "issuer-certificate-files"));
            }
        }
        return all;
    }

    /** Our key and chain. */
    private KeyManagerFactory keyManagers() {
        try {
            Identity id = readIdentity();
            char[] password = pkcs12Password.toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("operational", id.key(), password, id.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            return kmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /** PKIX over exactly the configured issuers; refusals reported to {@code rejected} when given. */
    private javax.net.ssl.X509ExtendedTrustManager trustManager(
            java.util.function.BiConsumer<X509Certificate[], java.security.cert.CertificateException> rejected) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int n = 0;
            for (X509Certificate c : readIssuers()) {
                trust.setCertificateEntry("issuer-" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509ExtendedTrustManager x) {
                    return rejected == null ? x : new ReportingTrustManager(x, rejected);
                }
            }
            throw new IllegalStateException("no X.509 trust manager");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readCertificates(Path file, String key) {
        try {
            return Pem.readCertificates(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(PATH + "." + key + " '" + file + "': " + e.getMessage(), e);
        }
    }

    /** A server engine: TLS 1.3 only, client certificate required. */
    public static SSLEngine serverEngine(SSLContext ctx) {
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(new String[] {TLS_13});
        engine.setNeedClientAuth(true);
        return engine;
    }

    /** A client engine for {@code host:port}: TLS 1.3 only, hostname verification as configured. */
    public SSLEngine clientEngine(SSLContext ctx, String host, int port) {
        SSLEngine engine = ctx.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {TLS_13});
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        engine.setSSLParameters(params);
        return engine;
    }
}
