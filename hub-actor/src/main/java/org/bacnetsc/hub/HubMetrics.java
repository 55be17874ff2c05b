package org.bacnetsc.hub;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.bacnetsc.operations.ExpiringCertificate;
import org.bacnetsc.operations.PrometheusText;
import org.bacnetsc.transport.TransportCounters;

/**
 * The hub's {@code /metrics}: its counters as Prometheus metric snapshots (the Prometheus Java client's model and
 * text format; names as documented in docs/operating-a-hub.md), plus the JVM's metrics (memory, GC, threads, classes, file
 * descriptors, process CPU) from the client's JVM instrumentation.
 */
final class HubMetrics {

    /** The content type of {@link #text}. */
    static final String CONTENT_TYPE = PrometheusText.CONTENT_TYPE;

    private HubMetrics() {
    }

    /** Everything {@code /metrics} serves, in the Prometheus text format. */
    static String text(ActorSystem<?> system, ScHub hub, HubStatus s) {
        return text(system, hub, s, null);
    }

    /** With the hub device's counters, when it has one. */
    static String text(ActorSystem<?> system, ScHub hub, HubStatus s, org.bacnetsc.device.DeviceCounters device) {
        List<MetricSnapshot> m = hubSnapshots(system, hub, s);
        if (device != null) {
            m.add(counter("bacnet_sc_hub_device_requests", "Confirmed requests the hub device answered, by answer "
                    + "(all = every one; the others count some of them).", "answer", ordered("all",
                    device.requestsServed(), "error", device.errors(), "reject", device.rejects(), "abort",
                    device.aborts())));
            m.add(counter("bacnet_sc_hub_device_duplicates", "Repeated requests answered again from the cache.",
                    device.duplicates()));
            m.add(counter("bacnet_sc_hub_device_segmented_responses", "ComplexACKs the hub device sent in segments.",
                    device.segmentedResponses()));
            m.add(counter("bacnet_sc_hub_device_segment_timeouts", "Segmented transfers dropped after the client "
                    + "stopped acknowledging.", device.segmentTimeouts()));
            m.add(counter("bacnet_sc_hub_device_drops", "What the hub device dropped, by reason.", "reason", ordered(
                    "undecodable", device.undecodable(), "communication_disabled", device.droppedWhileDisabled())));
        }
        return PrometheusText.write(m);
    }

    static List<MetricSnapshot> hubSnapshots(ActorSystem<?> system, ScHub hub, HubStatus s) {
        List<MetricSnapshot> m = new ArrayList<>();
        HubStatus.Counters c = s.counters();
        TransportCounters.Snapshot t = hub.transportCounters();
        long connected = s.connections().stream()
                .filter(x -> x.state() == org.bacnetsc.connection.ScConnectionState.CONNECTED).count();
        m.add(gauge("bacnet_sc_hub_connections", "Connected nodes on this member.", connected));
        m.add(counter("bacnet_sc_hub_connections_accepted", "WebSockets accepted.", c.accepted()));
        m.add(counter("bacnet_sc_hub_connections_replaced", "Connections replaced by a reconnect of the same device.",
                c.replaced()));
        m.add(counter("bacnet_sc_hub_messages_routed", "Messages routed, by kind.", "kind",
                ordered("unicast", c.unicastRouted(), "broadcast", c.broadcastRouted())));
        m.add(counter("bacnet_sc_hub_deliveries", "Frames handed to recipient connections.", c.deliveries()));
        m.add(counter("bacnet_sc_hub_drops", "Messages dropped, by reason.", "reason", ordered(
                "unknown_vmac", c.droppedUnknownVmac(), "oversize", c.droppedOversize(),
                "not_connected", c.droppedUnconnected(), "queue_full", t.queueDrops(),
                "recipient_disconnecting", c.droppedRecipientGone(), "oversize_received", t.oversizeDiscarded(),
                "text_frame", t.textFramesRejected())));
        m.add(counter("bacnet_sc_hub_websocket_closed", "WebSockets closed for a peer's violation of RFC 6455 or of "
                + "our limits, by reason (close code 1002, 1003, 1007 or 1008).", "reason",
                t.webSocketClosedByReason()));
        m.add(counter("bacnet_sc_hub_websocket_pings", "WebSocket pings received.", t.pingsReceived()));
        m.add(counter("bacnet_sc_hub_websocket_pongs_coalesced", "Pings whose pong was replaced by a newer ping's "
                + "before the peer read it.", t.pongsCoalesced()));
        m.add(counter("bacnet_sc_hub_websocket_close_timeouts", "Connections aborted because the peer did not take "
                + "our close in time.", t.closeTimeouts()));
        m.add(counter("bacnet_sc_hub_accept_failures", "Accepts that failed (out of file descriptors): the connection "
                + "waits in the backlog while accepting pauses for 100 ms.", t.acceptFailures()));
        Map<String, Long> failures = ordered("TLS", t.handshakeFailures(), "HTTP_UPGRADE", t.refusedUpgrades(),
                "CAPACITY", t.refusedCapacity(), "NOT_READY", t.refusedNotReady());
        failures.putAll(s.failuresByError());
        m.add(counter("bacnet_sc_hub_handshake_failures", "Connection attempts that failed, by reason.", "reason",
                failures));
        m.add(counter("bacnet_sc_hub_cluster_forwards", "Frames exchanged with other cluster members.", "direction",
                ordered("out", c.forwardedOut(), "in", c.forwardedIn())));
        m.add(counter("bacnet_sc_hub_silence_probes", "Heartbeat-Requests sent to nodes silent for twice the "
                + "Heartbeat Timeout, instead of closing them at once.", c.silenceProbes()));
        m.add(counter("bacnet_sc_hub_silence_probes_answered", "Silence probes the node answered in time (it "
                + "stayed); the others were closed with TIMEOUT, or are still waiting.", c.silenceProbesAnswered()));
        m.add(counter("bacnet_sc_hub_cluster_evictions", "Connections closed because another member's claim won.",
                c.evicted()));
        if (hub.cluster().isPresent()) {
            Cluster cluster = Cluster.get(system);
            long up = 0;
            for (org.apache.pekko.cluster.Member member : cluster.state().getMembers()) {
                if (member.status() == MemberStatus.up()) {
                    up++;
                }
            }
            m.add(gauge("bacnet_sc_hub_cluster_members", "Cluster members Up.", up));
            m.add(gauge("bacnet_sc_hub_cluster_unreachable_members", "Cluster members this member cannot reach (its "
                    + "failure detector's view; not yet downed).", cluster.state().getUnreachable().size()));
            m.add(gauge("bacnet_sc_hub_cluster_known_vmacs", "VMACs in the replicated directory.",
                    hub.cluster().get().knownVmacs()));
        }
        m.add(latency(s.forwardLatency()));
        m.add(PrometheusText.certificateExpiry(hub.certificates().stream()
                .map(e -> new ExpiringCertificate(e.role(), e.subject(), e.notAfter())).toList()));
        return m;
    }

    private static Map<String, Long> ordered(Object... pairs) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Long) pairs[i + 1]);
        }
        return m;
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return PrometheusText.gauge(name, help, value);
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return PrometheusText.counter(name, help, value);
    }

    private static CounterSnapshot counter(String name, String help, String label, Map<String, Long> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        values.forEach((k, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, k)).value(v).build()));
        return b.build();
    }

    private static HistogramSnapshot latency(HubStatus.Latency l) {
        double[] bounds = new double[l.boundsMillis().length + 1];
        for (int i = 0; i < l.boundsMillis().length; i++) {
            bounds[i] = l.boundsMillis()[i] / 1000.0;
        }
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.builder().name("bacnet_sc_hub_cluster_forward_latency_seconds")
                .help("Cross-member delivery latency.")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, l.counts().clone()))
                        .sum(l.sumMillis() / 1000.0).build())
                .build();
    }
}
