package org.bacnetsc.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.bacnetsc.hub.PrometheusText;
import org.bacnetsc.node.HubConnectionStatus;
import org.bacnetsc.node.NodeStatus;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.CertificateExpiry;
import org.bacnetsc.transport.TransportCounters;

/**
 * {@code bsc node --management HOST:PORT}: the node's operations endpoint, like the hub's: {@code /health/live},
 * {@code /health/ready} (200 while connected to a hub; expiring certificates noted), {@code /status} (JSON),
 * {@code /metrics} (hub connector state, NPDUs each way, direct connections, hub connections and reconnects, drops,
 * certificate expiry, and the JVM's metrics) and {@code /} (a self-contained status page).
 */
final class NodeManagement {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The status page: one HTML file, its script inline. */
    private static final String PAGE = page();

    private NodeManagement() {
    }

    private static String page() {
        try (java.io.InputStream in = NodeManagement.class.getResourceAsStream("node-status.html")) {
            if (in == null) {
                throw new IllegalStateException("node-status.html is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Binds; the binding ends with the actor system. */
    static CompletionStage<ServerBinding> bind(ActorSystem<?> system, ScNode node, String host, int port) {
        return ManagementServer.bind(system, endpoints(node), host, port);
    }

    static ManagementServer.Endpoints endpoints(ScNode node) {
        return new ManagementServer.Endpoints() {
            @Override
            public CompletionStage<ManagementServer.Readiness> ready() {
                return node.status().thenApply(s -> readiness(s, node));
            }

            @Override
            public CompletionStage<String> status() {
                return node.status().thenApply(s -> statusJson(s, node));
            }

            @Override
            public CompletionStage<String> metrics() {
                return node.status().thenApply(s -> PrometheusText.write(NodeManagement.metrics(s, node)));
            }

            @Override
            public String page() {
                return PAGE;
            }
        };
    }

    /** 200 while connected to a hub; expiring certificates noted either way. */
    static ManagementServer.Readiness readiness(NodeStatus s, ScNode node) {
        List<String> expiring = node.certificateWarnings();
        String note = expiring.isEmpty() ? "" : "\nwarning: " + String.join("\nwarning: ", expiring);
        return s.connected() ? new ManagementServer.Readiness(true, "ready" + note)
                : new ManagementServer.Readiness(false, "no hub connection: primary " + hub(s.primary())
                        + ", failover " + hub(s.failover()) + note);
    }

    private static String hub(HubConnectionStatus h) {
        return h.state() + (h.error() == null ? "" : " (" + h.error().errorCode() + ")");
    }

    static String statusJson(NodeStatus s, ScNode node) {
        TransportCounters.Snapshot t = node.transportCounters();
        ObjectNode o = JSON.createObjectNode();
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
        com.fasterxml.jackson.databind.node.ArrayNode certificates = o.putArray("certificates");
        java.time.Instant now = java.time.Instant.now();
        for (CertificateExpiry.Entry e : node.certificates()) {
            certificates.addObject().put("role", e.role()).put("subject", e.subject())
                    .put("notAfter", e.notAfter().toString()).put("secondsLeft", e.secondsLeft(now));
        }
        return o.toString();
    }

    private static void hub(ObjectNode n, HubConnectionStatus h) {
        n.put("state", h.state().name());
        n.put("connectTimestamp", h.connectTimestamp() == null ? null : h.connectTimestamp().toString());
        n.put("disconnectTimestamp", h.disconnectTimestamp() == null ? null : h.disconnectTimestamp().toString());
        if (h.error() != null) {
            n.putObject("error").put("code", h.error().errorCode().name()).put("details", h.error().details());
        }
    }

    static List<io.prometheus.metrics.model.snapshots.MetricSnapshot> metrics(NodeStatus s, ScNode node) {
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
                PrometheusText.certificateExpiry(node.certificates()));
    }
}
