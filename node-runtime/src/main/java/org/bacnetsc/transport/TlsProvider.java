package org.bacnetsc.transport;

import com.typesafe.config.Config;
import java.util.Locale;

/**
 * Which TLS implementation runs the handshakes and records ({@code bacnet-sc.tls.provider}). Both run behind the same
 * {@link TlsStage} with the same rules (TLS 1.3 only, client certificate required, trust in the configured issuers
 * only, the same trust manager and so the same refusals and counters).
 */
public enum TlsProvider {
    /** The JDK's own TLS ({@code SunJSSE}): pure Java, always available. */
    JDK,
    /** BoringSSL through Netty's {@code OpenSslEngine} ({@code netty-tcnative-boringssl-static}): native code. */
    OPENSSL,
    /** {@link #OPENSSL} where its native library loads on this platform, else {@link #JDK}. */
    AUTO;

    private static final String KEY = TlsSettings.PATH + ".provider";

    /** The provider that will actually run: AUTO decided, OPENSSL checked. */
    public TlsProvider resolve() {
        return switch (this) {
            case JDK -> JDK;
            case AUTO -> nativeAvailable() ? OPENSSL : JDK;
            case OPENSSL -> {
                if (!nativeAvailable()) {
                    throw new IllegalArgumentException(KEY + " = openssl: the BoringSSL library does not load on this "
                            + "platform (" + unavailability() + "); use auto or jdk");
                }
                yield OPENSSL;
            }
        };
    }

    /** Whether Netty's BoringSSL loads here ({@code -Dio.netty.handler.ssl.noOpenSsl=true} says it does not). */
    public static boolean nativeAvailable() {
        try {
            return io.netty.handler.ssl.OpenSsl.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    private static String unavailability() {
        try {
            Throwable cause = io.netty.handler.ssl.OpenSsl.unavailabilityCause();
            return cause == null ? "unknown" : cause.toString();
        } catch (LinkageError e) {
            return e.toString();
        }
    }

    /**
     * Reads {@code bacnet-sc.tls.provider} ({@code jdk}, {@code openssl} or {@code auto}; AUTO when absent).
     *
     * @throws IllegalArgumentException naming the key and the value
     */
    public static TlsProvider fromConfig(Config root) {
        if (!root.hasPath(KEY)) {
            return AUTO;
        }
        String v = root.getString(KEY);
        try {
            return valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + " = \"" + v + "\": must be jdk, openssl or auto", e);
        }
    }
}
