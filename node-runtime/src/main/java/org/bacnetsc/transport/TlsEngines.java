package org.bacnetsc.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * Makes the {@link SSLEngine}s of one side (server or client) from one {@link TlsSettings}, with the provider it
 * names: the JDK's engines from an {@link SSLContext}, or BoringSSL's through Netty's OpenSSL engine (used only
 * through {@code javax.net.ssl}; its handshake work is handed out as delegated tasks like the JDK's, so
 * {@link TlsStage} runs it off the stream threads the same way). Both get the same key managers and the same trust
 * manager, so the rules and the refusals are the same.
 */
public final class TlsEngines {

    private final TlsProvider provider;
    private final SSLContext jdk;
    private final SslContext openssl;
    private final boolean verifyHostname;

    private TlsEngines(TlsProvider provider, SSLContext jdk, SslContext openssl, boolean verifyHostname) {
        this.provider = provider;
        this.jdk = jdk;
        this.openssl = openssl;
        this.verifyHostname = verifyHostname;
    }

    static TlsEngines jdk(SSLContext ctx, boolean verifyHostname) {
        return new TlsEngines(TlsProvider.JDK, ctx, null, verifyHostname);
    }

    static TlsEngines openssl(boolean server, KeyManagerFactory keys, TrustManager trust, boolean verifyHostname) {
        try {
            SslContextBuilder b = server ? SslContextBuilder.forServer(keys).clientAuth(ClientAuth.REQUIRE)
                    : SslContextBuilder.forClient().keyManager(keys)
                            .endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
            SslContext ctx = b.trustManager(new AlertingTrustManager(trust))
                    .protocols(TlsSettings.TLS_13)
                    .sslProvider(SslProvider.OPENSSL)
                    .option(OpenSslContextOption.USE_TASKS, true)
                    .build();
            return new TlsEngines(TlsProvider.OPENSSL, null, ctx, verifyHostname);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the OpenSSL TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * The trust manager for BoringSSL: a refused peer chain is told with the alert the JDK sends (bad_certificate;
     * certificate_expired for an expired one) instead of BoringSSL's internal_error, so that the peer can tell the
     * cause (digest §7).
     */
    private static final class AlertingTrustManager extends javax.net.ssl.X509ExtendedTrustManager {
        /** OpenSSL's X509_V_ERR_CERT_REJECTED: sent as bad_certificate. */
        private static final int CERT_REJECTED = 28;
        private final javax.net.ssl.X509ExtendedTrustManager trust;

        AlertingTrustManager(TrustManager trust) {
            this.trust = (javax.net.ssl.X509ExtendedTrustManager) trust;
        }

        /** A trust check. */
        @FunctionalInterface
        private interface Check {
            void run() throws java.security.cert.CertificateException;
        }

        /** Runs a check; a refusal is rethrown so that BoringSSL alerts what the JDK would. */
        private static void checked(Check check) throws java.security.cert.CertificateException {
            try {
                check.run();
            } catch (java.security.cert.CertificateException e) {
                throw alerting(e);
            }
        }

        private static java.security.cert.CertificateException alerting(java.security.cert.CertificateException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof java.security.cert.CertificateExpiredException
                        || c instanceof java.security.cert.CertificateNotYetValidException
                        || c instanceof java.security.cert.CertPathValidatorException v
                        && v.getReason() == java.security.cert.CertPathValidatorException.BasicReason.EXPIRED) {
                    return e; // Netty sends certificate_expired for these
                }
            }
            io.netty.handler.ssl.OpenSslCertificateException o =
                    new io.netty.handler.ssl.OpenSslCertificateException(e.getMessage(), CERT_REJECTED);
            o.initCause(e);
            return o;
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType,
                                       java.net.Socket socket) throws java.security.cert.CertificateException {
            checked(() -> trust.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType,
                                       SSLEngine engine) throws java.security.cert.CertificateException {
            checked(() -> trust.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            checked(() -> trust.checkClientTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType,
                                       java.net.Socket socket) throws java.security.cert.CertificateException {
            checked(() -> trust.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType,
                                       SSLEngine engine) throws java.security.cert.CertificateException {
            checked(() -> trust.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            checked(() -> trust.checkServerTrusted(chain, authType));
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }

    /** The provider these engines come from (never AUTO). */
    public TlsProvider provider() {
        return provider;
    }

    /** A server engine: TLS 1.3 only, client certificate required. */
    public SSLEngine server() {
        if (openssl != null) {
            return openssl.newEngine(ByteBufAllocator.DEFAULT);
        }
        return TlsSettings.serverEngine(jdk);
    }

    /** A client engine for {@code host:port}: TLS 1.3 only, hostname verification as configured. */
    public SSLEngine client(String host, int port) {
        if (openssl != null) {
            SSLEngine e = openssl.newEngine(ByteBufAllocator.DEFAULT, host, port);
            SSLParameters p = e.getSSLParameters();
            p.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
            e.setSSLParameters(p);
            return e;
        }
        SSLEngine engine = jdk.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {TlsSettings.TLS_13});
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        engine.setSSLParameters(params);
        return engine;
    }
}
