package org.bacnetsc.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.bacnetsc.operations.ExpiringCertificate;
import org.bacnetsc.operations.OperationsEndpoint;
import org.bacnetsc.operations.PrometheusText;
import org.bacnetsc.transport.CertificateExpiry;
import org.bacnetsc.transport.TransportCounters;

/**
 * A node's operations endpoint ({@code bsc node --management HOST:PORT}, or an application's own): what the node hands
 * the {@link OperationsEndpoint}: {@code /health/ready} (200 while connected to a hub; expiring certificates noted),
 * {@code /status} (JSON, kind "node"), {@code /metrics} (hub connector state, NPDUs each way, direct connections, hub
 * connections and reconnects, heartbeats, drops, certificate expiry).
 */
public final class NodeOperations {

    private static final ObjectMapper JSON = new ObjectMapper();
    private NodeOperations() {
    }

    /** Binds the endpoint for {@code node}; the binding is terminated by CoordinatedShutdown. */
    public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, ScNode node, String host, int port) {
        return OperationsEndpoint.bind(system, source(node), host, port);
    }

    /** What the node shows on an operations endpoint. */
    public static OperationsEndpoint.Source source(ScNode node) {
        return new OperationsEndpoint.Source() {
            @Override
            public CompletionStage<OperationsEndpoint.Readiness> ready() {
                return node.status().thenApply(s -> readiness(s, node));
            }

            @Override
            public CompletionStage<String> status() {
                return node.status().thenApply(s -> statusJson(s, node));
            }

            @Override
            public CompletionStage<String> metrics() {
                return node.status().thenApply(s -> PrometheusText.write(NodeOperations.metrics(s, node)));
            }

        };
    }

    /** 200 while connected to a hub; expiring certificates noted either way. */
    static OperationsEndpoint.Readiness readiness(NodeStatus s, ScNode node) {
        List<String> expiring = node.certificateWarnings();
        String note = expiring.isEmpty() ? "" : "\nwarning: " + String.join("\nwarning: ", expiring);
        return s.connected() ? new OperationsEndpoint.Readiness(true, "ready" + note)
                : new OperationsEndpoint.Readiness(false, "no hub connection: primary " + hub(s.primary())
                        + ", failover " + hub(s.failover()) + note);
    }

    private static String hub(HubConnectionStatus h) {
        return h.state() + (h.error() == null ? "" : " (" + h.error().errorCode() + ")");
    }

    /** The node's {@code /status}. */
    public static String statusJson(NodeStatus s, ScNode node) {
        TransportCounters.Snapshot t = node.transportCounters();
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "node");
        o.put("vmac", s.vmac().toString());
        o.put("deviceUuid", s.deviceUuid().toString());
        o.put("hubConnectorState", s.hubConnectorState());
        hub(o.putObject("primary"), s.primary());
        hub(o.putObject("failover"), s.failover());
        o.put("npdusReceived", s.npdusReceived());
        o.put("npdusSent", s.npdusSent());
        o.put("npdusDroppedByTheApplication", node.npdusDropped());
        o.put("hubConnections", s.hubConnections());
        o.set("hubHeartbeats", JSON.valueToTree(s.hubHeartbeats()));
        o.put("reconnects", s.reconnects());
        o.put("acceptsDirectConnections", s.acceptsDirectConnections());
        if (s.direct() != null) {
            o.set("direct", JSON.valueToTree(s.direct().counters()));
            o.put("directConnections", s.direct().connections().size());
        }
        o.set("transport", JSON.valueToTree(t));
        putCertificates(o, node.certificates());
        return o.toString();
    }

    /** {@code "certificates"}: each certificate in use with its role, subject, expiry and the seconds left. */
    public static void putCertificates(ObjectNode o, List<CertificateExpiry.Entry> entries) {
        com.fasterxml.jackson.databind.node.ArrayNode certificates = o.putArray("certificates");
        java.time.Instant now = java.time.Instant.now();
        for (CertificateExpiry.Entry e : entries) {
            certificates.addObject().put("role", e.role()).put("subject", e.subject())
                    .put("notAfter", e.notAfter().toString()).put("secondsLeft", e.secondsLeft(now));
        }
    }

    private static void hub(ObjectNode n, HubConnectionStatus h) {
        n.put("state", h.state().name());
        n.put("connectTimestamp", h.connectTimestamp() == null ? null : h.connectTimestamp().toString());
        n.put("disconnectTimestamp", h.disconnectTimestamp() == null ? null : h.disconnectTimestamp().toString());
        if (h.error() != null) {
            n.putObject("error").put("code", h.error().errorCode().name()).put("details", h.error().details());
        }
    }

    /** The node's metrics (without the JVM's), for its {@code /metrics} and a router's. */
    public static List<io.prometheus.metrics.model.snapshots.MetricSnapshot> metrics(NodeStatus s, ScNode node) {
        TransportCounters.Snapshot t = node.transportCounters();
        return List.of(
                PrometheusText.gauge("bacnet_sc_node_hub_connector_state", "SC_Hub_Connector_State: 0 no hub "
                        + "connection, 1 connected to the primary hub, 2 connected to the failover hub.",
                        s.hubConnectorState()),
                CounterSnapshot.builder().name("bacnet_sc_node_npdus").help("NPDUs, by direction.")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(Labels.of("direction", "sent")).value(s.npdusSent()).build())
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(Labels.of("direction", "received")).value(s.npdusReceived()).build())
                        .build(),
                PrometheusText.counter("bacnet_sc_node_hub_connections", "Hub connections established since start.",
                        s.hubConnections()),
                PrometheusText.counter("bacnet_sc_node_reconnects", "Hub connections established after the first.",
                        s.reconnects()),
                PrometheusText.counter("bacnet_sc_node_heartbeats", "Heartbeat-Requests sent on hub connections "
                        + "(nothing received, or nothing sent, for the Heartbeat Timeout).",
                        s.hubHeartbeats().heartbeatsSent()),
                PrometheusText.counter("bacnet_sc_node_heartbeats_answered", "Of them, answered in time.",
                        s.hubHeartbeats().heartbeatsAnswered()),
                PrometheusText.gauge("bacnet_sc_node_direct_connections", "Direct connections (node switch) listed "
                        + "in SC_Direct_Connect_Connection_Status.",
                        s.direct() == null ? 0 : s.direct().connections().size()),
                PrometheusText.counter("bacnet_sc_node_queue_drops", "Frames refused because a connection's "
                        + "outbound queue was full.", t.queueDrops()),
                PrometheusText.counter("bacnet_sc_node_application_drops", "NPDUs dropped because the application "
                        + "did not take them from its npdus() stream (buffer full).", node.npdusDropped()),
                PrometheusText.certificateExpiry(node.certificates().stream()
                        .map(e -> new ExpiringCertificate(e.role(), e.subject(), e.notAfter())).toList()));
    }
}
