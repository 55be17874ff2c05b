package org.bacnetsc.operations;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The operations endpoint's {@code /metrics} through the Prometheus Java client: a service's own snapshots plus the
 * JVM's and the process's metrics, in the Prometheus text format.
 */
public final class PrometheusText {

    /** The content type of {@link #write}. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /** The JVM and process metrics, registered once per process. */
    private static final PrometheusRegistry JVM = new PrometheusRegistry();

    static {
        JvmMetrics.builder().register(JVM);
    }

    private PrometheusText() {
    }

    /** {@code own} followed by the JVM's metrics, as Prometheus text. */
    public static String write(List<MetricSnapshot> own) {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        own.forEach(all::metricSnapshot);
        JVM.scrape().forEach(all::metricSnapshot);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
        try {
            PrometheusTextFormatWriter.create().write(out, all.build());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write metrics", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A gauge without labels. */
    public static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    /** A counter without labels; {@code name} without {@code _total}, which the text format adds. */
    public static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    /** {@code bacnet_sc_certificate_expiry_seconds{role,subject}} for the certificates in use. */
    public static GaugeSnapshot certificateExpiry(List<ExpiringCertificate> certificates) {
        GaugeSnapshot.Builder expiry = GaugeSnapshot.builder().name("bacnet_sc_certificate_expiry_seconds")
                .help("Seconds until a certificate in use expires (negative: expired), by role "
                        + "(operational, issuer) and subject.");
        Instant now = Instant.now();
        for (ExpiringCertificate e : certificates) {
            expiry.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("role", e.role(), "subject", e.subject())).value(e.secondsLeft(now)).build());
        }
        return expiry.build();
    }
}
