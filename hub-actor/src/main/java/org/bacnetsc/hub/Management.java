package org.bacnetsc.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.bacnetsc.connection.ConnectionError;
import org.bacnetsc.operations.OperationsEndpoint;

/**
 * The hub's operations endpoint: what the hub hands the {@link OperationsEndpoint} (readiness: bound, and an Up
 * cluster member when clustered; {@code /status}: this member's §15 connections, failed requests, counters,
 * certificates, cluster members; {@code /metrics}: {@link HubMetrics}).
 */
public final class Management {

    static final ObjectMapper JSON = new ObjectMapper();

    private Management() {
    }

    /** Binds the endpoint for {@code hub}; the binding is terminated by CoordinatedShutdown. */
    public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, ScHub hub, String host, int port) {
        return OperationsEndpoint.bind(system, source(system, hub), host, port);
    }

    /** What the hub shows on an operations endpoint. */
    public static OperationsEndpoint.Source source(ActorSystem<?> system, ScHub hub) {
        return new OperationsEndpoint.Source() {
            @Override
            public CompletionStage<OperationsEndpoint.Readiness> ready() {
                String why = notReady(system, hub);
                java.util.List<String> expiring = hub.certificateWarnings();
                String note = expiring.isEmpty() ? "" : "\nwarning: " + String.join("\nwarning: ", expiring);
                return CompletableFuture.completedFuture(why == null
                        ? new OperationsEndpoint.Readiness(true, "ready" + note)
                        : new OperationsEndpoint.Readiness(false, why + note));
            }

            @Override
            public CompletionStage<String> status() {
                return hub.status().thenCombine(device(hub), (s, d) -> {
                    ObjectNode o = statusNode(system, hub, s);
                    if (d != null) {
                        o.set("device", JSON.valueToTree(d));
                    }
                    return write(o);
                });
            }

            @Override
            public CompletionStage<String> metrics() {
                return hub.status().thenCombine(device(hub), (s, d) -> HubMetrics.text(system, hub, s,
                        d == null ? null : d.counters()));
            }
        };
    }

    /** The hub device's status, or null when the hub is no device. */
    private static CompletionStage<org.bacnetsc.device.DeviceStatus> device(ScHub hub) {
        return hub.device().map(d -> d.device().status())
                .orElse(CompletableFuture.completedFuture(null));
    }

    /** Why the hub is not ready, or null. */
    static String notReady(ActorSystem<?> system, ScHub hub) {
        return hub.notReady().orElse(null);
    }

    static String statusJson(ActorSystem<?> system, ScHub hub, HubStatus s) {
        return write(statusNode(system, hub, s));
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode statusNode(ActorSystem<?> system, ScHub hub, HubStatus s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "hub");
        o.put("uri", hub.uri().toString());
        o.put("ready", notReady(system, hub) == null);
        ArrayNode connections = o.putArray("connections");
        for (HubStatus.Connection c : s.connections()) {
            ObjectNode n = connections.addObject();
            n.put("state", c.state().name());
            n.put("connectTimestamp", time(c.connectTimestamp()));
            n.put("disconnectTimestamp", time(c.disconnectTimestamp()));
            n.put("peerAddress", c.peerAddress());
            n.put("vmac", c.vmac() == null ? null : c.vmac().toString());
            n.put("uuid", c.uuid() == null ? null : c.uuid().toString());
            if (c.peerCertificate() != null) {
                n.putObject("certificate").put("subject", c.peerCertificate().subject())
                        .put("serial", c.peerCertificate().serial())
                        .put("notAfter", time(c.peerCertificate().notAfter()));
            }
            error(n, c.error());
        }
        ArrayNode failed = o.putArray("failedConnectionRequests");
        for (HubStatus.FailedRequest f : s.failedRequests()) {
            ObjectNode n = failed.addObject();
            n.put("timestamp", time(f.timestamp()));
            n.put("peerAddress", f.peerAddress());
            n.put("vmac", f.vmac() == null ? null : f.vmac().toString());
            n.put("uuid", f.uuid() == null ? null : f.uuid().toString());
            error(n, f.error());
        }
        org.bacnetsc.node.NodeOperations.putCertificates(o, hub.certificates());
        o.set("counters", JSON.valueToTree(s.counters()));
        o.set("transport", JSON.valueToTree(hub.transportCounters()));
        o.set("failuresByError", JSON.valueToTree(s.failuresByError()));
        ObjectNode cluster = o.putObject("cluster");
        cluster.put("enabled", hub.cluster().isPresent());
        hub.cluster().ifPresent(d -> {
            Cluster c = Cluster.get(system);
            cluster.put("self", c.selfMember().address().toString());
            cluster.put("knownVmacs", d.knownVmacs());
            cluster.put("memberRouters", d.knownRouters());
            ArrayNode members = cluster.putArray("members");
            java.util.Set<org.apache.pekko.cluster.Member> unreachable = c.state().getUnreachable();
            c.state().getMembers().forEach(m -> members.addObject().put("address", m.address().toString())
                    .put("status", m.status().toString())
                    .put("reachable", !unreachable.contains(m)));
        });
        return o;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void error(ObjectNode n, ConnectionError e) {
        if (e != null) {
            n.putObject("error").put("class", e.errorClass().name()).put("code", e.errorCode().name())
                    .put("details", e.details());
        }
    }

    static String metrics(ActorSystem<?> system, ScHub hub, HubStatus s) {
        return HubMetrics.text(system, hub, s);
    }
}
