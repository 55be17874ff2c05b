package org.bacnetsc.transport;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When the certificates in use expire: our operational certificate and each issuer, for the expiry metric, the daily
 * warning ({@code bacnet-sc.tls.expiry-warning} before) and the readiness report.
 */
public final class CertificateExpiry {

    /** The config key of the warning window. */
    public static final String WARNING_KEY = TlsSettings.PATH + ".expiry-warning";

    /**
     * One certificate in use.
     *
     * @param role     "operational" or "issuer"
     * @param subject  its subject
     * @param notAfter when it expires
     */
    public record Entry(String role, String subject, Instant notAfter) {

        /** Seconds from {@code now} to expiry (negative once expired). */
        public long secondsLeft(Instant now) {
            return Duration.between(now, notAfter).toSeconds();
        }
    }

    private CertificateExpiry() {
    }

    /** The certificates {@code tls} uses now: the operational one first, then the issuers. */
    public static List<Entry> of(TlsReloader tls) {
        List<Entry> all = new ArrayList<>();
        all.add(entry("operational", tls.certificate()));
        for (X509Certificate c : tls.issuers()) {
            Entry e = entry("issuer", c);
            if (all.stream().noneMatch(x -> x.role().equals(e.role()) && x.subject().equals(e.subject()))) {
                all.add(e);
            }
        }
        return all;
    }

    private static Entry entry(String role, X509Certificate c) {
        return new Entry(role, c.getSubjectX500Principal().getName(), c.getNotAfter().toInstant());
    }

    /** One line per certificate that expires within {@code window} of {@code now} (or has expired). */
    public static List<String> warnings(List<Entry> entries, Duration window, Instant now) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            long left = e.secondsLeft(now);
            if (left <= window.toSeconds()) {
                out.add(left < 0 ? "the " + e.role() + " certificate " + e.subject() + " expired on " + e.notAfter()
                        : "the " + e.role() + " certificate " + e.subject() + " expires in " + left / 86_400
                        + " days (" + e.notAfter() + ")");
            }
        }
        return out;
    }

    /** Reads {@link #WARNING_KEY} (default 30 days); a negative value names the key. */
    public static Duration warningWindow(com.typesafe.config.Config root) {
        if (!root.hasPath(WARNING_KEY)) {
            return Duration.ofDays(30);
        }
        Duration d;
        try {
            d = root.getDuration(WARNING_KEY);
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException(WARNING_KEY + " = \"" + root.getValue(WARNING_KEY).unwrapped()
                    + "\": expected a duration such as \"30 days\"", e);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(WARNING_KEY + " = " + d + ": must not be negative");
        }
        return d;
    }

    /**
     * Logs the warnings of a service's certificates at once and then once a day each (looked at hourly, so that a
     * renewed certificate that expires soon is reported within the hour). Stop it with {@link #close()}.
     */
    public static final class DailyWarning implements AutoCloseable {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CertificateExpiry.class);
        private final java.util.function.Supplier<List<Entry>> certificates;
        private final Duration window;
        private final java.util.Map<String, Instant> logged = new java.util.concurrent.ConcurrentHashMap<>();
        private final org.apache.pekko.actor.Cancellable task;

        /**
         * @param system       whose scheduler runs the check
         * @param certificates the certificates in use (looked at each time)
         * @param window       {@code bacnet-sc.tls.expiry-warning}
         */
        public DailyWarning(org.apache.pekko.actor.typed.ActorSystem<?> system,
                            java.util.function.Supplier<List<Entry>> certificates, Duration window) {
            this.certificates = certificates;
            this.window = window;
            this.task = system.scheduler().scheduleAtFixedRate(Duration.ZERO, Duration.ofHours(1), this::check,
                    system.executionContext());
        }

        /** Logs what is due now. */
        void check() {
            Instant now = Instant.now();
            for (Entry e : certificates.get()) {
                for (String w : warnings(List.of(e), window, now)) {
                    String key = e.role() + "|" + e.subject() + "|" + e.notAfter();
                    Instant last = logged.get(key);
                    if (last == null || Duration.between(last, now).compareTo(Duration.ofHours(23)) >= 0) {
                        logged.put(key, now);
                        LOG.warn("certificate expiry: {} (renew it: the files are read again when they change)", w);
                    }
                }
            }
        }

        @Override
        public void close() {
            task.cancel();
        }
    }
}
