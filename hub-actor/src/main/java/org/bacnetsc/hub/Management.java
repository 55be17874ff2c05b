package org.bacnetsc.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.bacnetsc.connection.ConnectionError;
import org.bacnetsc.transport.TransportCounters;

/**
 * The hub's operations endpoint (plain HTTP on its own port, loopback by default): {@code /health/live},
 * {@code /health/ready} (bound, and an Up cluster member when clustered), {@code /status} (JSON: this member's
 * §15 connections, failed requests, counters, cluster members) and {@code /metrics} (Prometheus text format).
 */
public final class Management {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private Management() {
    }

    /**
     * The settings of {@code bacnet-sc.management}.
     *
     * @param enabled whether {@code bsc hub} serves the endpoint
     * @param host    the interface
     * @param port    the port (0 = any free port)
     */
    public record Settings(boolean enabled, String host, int port) {

        /**
         * Reads {@code bacnet-sc.management}.
         *
         * @throws IllegalArgumentException naming the key and the value when one is invalid
         */
        public static Settings fromConfig(Config root) {
            String key = "bacnet-sc.management.bind";
            String bind = root.getString(key).trim();
            int colon = bind.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException("no port");
                }
                int port = Integer.parseInt(bind.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException("port out of range");
                }
                String host = bind.substring(0, colon).replace("[", "").replace("]", "");
                return new Settings(root.getBoolean("bacnet-sc.management.enabled"), host, port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " = \"" + bind + "\": expected interface:port ("
                        + e.getMessage() + ")", e);
            }
        }
    }

    /** Binds the endpoint for {@code hub}; the binding is terminated by CoordinatedShutdown. */
    public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, ScHub hub, String host, int port) {
        org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler =
                request -> handle(system, hub, request);
        return Http.get(system).newServerAt(host, port).bind(handler)
                .thenApplyAsync(b -> b.addToCoordinatedShutdown(Duration.ofSeconds(3), system),
                        system.executionContext());
    }

    private static CompletionStage<HttpResponse> handle(ActorSystem<?> system, ScHub hub, HttpRequest request) {
        if (request.method() != HttpMethods.GET) {
            return CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.METHOD_NOT_ALLOWED));
        }
        switch (request.getUri().path()) {
            case "/health/live":
                return CompletableFuture.completedFuture(text(StatusCodes.OK, "alive"));
            case "/health/ready":
                String why = notReady(system, hub);
                return CompletableFuture.completedFuture(why == null ? text(StatusCodes.OK, "ready")
                        : text(StatusCodes.SERVICE_UNAVAILABLE, why));
            case "/status":
                return hub.status().thenApplyAsync(s -> HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON,
                        statusJson(system, hub, s)), system.executionContext());
            case "/metrics":
                return hub.status().thenApplyAsync(s -> HttpResponse.create().withEntity(
                        (org.apache.pekko.http.javadsl.model.ContentType.NonBinary) ContentTypes.parse(PROMETHEUS),
                        metrics(system, hub, s)), system.executionContext());
            default:
                return CompletableFuture.completedFuture(text(StatusCodes.NOT_FOUND,
                        "try /health/live, /health/ready, /status or /metrics"));
        }
    }

    private static HttpResponse text(org.apache.pekko.http.javadsl.model.StatusCode code, String body) {
        return HttpResponse.create().withStatus(code).withEntity(body + "\n");
    }

    /** Why the hub is not ready, or null. */
    static String notReady(ActorSystem<?> system, ScHub hub) {
        return hub.notReady().orElse(null);
    }

    static String statusJson(ActorSystem<?> system, ScHub hub, HubStatus s) {
        ObjectNode o = JSON.createObjectNode();
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
        o.set("counters", JSON.valueToTree(s.counters()));
        o.set("transport", JSON.valueToTree(hub.transportCounters()));
        o.set("failuresByError", JSON.valueToTree(s.failuresByError()));
        ObjectNode cluster = o.putObject("cluster");
        cluster.put("enabled", hub.clusterDirectory().isPresent());
        hub.clusterDirectory().ifPresent(d -> {
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
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
        StringBuilder b = new StringBuilder();
        HubStatus.Counters c = s.counters();
        long connected = s.connections().stream()
                .filter(x -> x.state() == org.bacnetsc.connection.ScConnectionState.CONNECTED).count();
        gauge(b, "bacnet_sc_hub_connections", "Connected nodes on this member.", connected);
        counter(b, "bacnet_sc_hub_connections_accepted_total", "WebSockets accepted.", c.accepted());
        counter(b, "bacnet_sc_hub_connections_replaced_total", "Connections replaced by a reconnect of the same "
                + "device.", c.replaced());
        header(b, "bacnet_sc_hub_messages_routed_total", "Messages routed, by kind.", "counter");
        sample(b, "bacnet_sc_hub_messages_routed_total", Map.of("kind", "unicast"), c.unicastRouted());
        sample(b, "bacnet_sc_hub_messages_routed_total", Map.of("kind", "broadcast"), c.broadcastRouted());
        counter(b, "bacnet_sc_hub_deliveries_total", "Frames handed to recipient connections.", c.deliveries());
        TransportCounters.Snapshot t = hub.transportCounters();
        header(b, "bacnet_sc_hub_drops_total", "Messages dropped, by reason.", "counter");
        sample(b, "bacnet_sc_hub_drops_total", Map.of("reason", "unknown_vmac"), c.droppedUnknownVmac());
        sample(b, "bacnet_sc_hub_drops_total", Map.of("reason", "oversize"), c.droppedOversize());
        sample(b, "bacnet_sc_hub_drops_total", Map.of("reason", "not_connected"), c.droppedUnconnected());
        sample(b, "bacnet_sc_hub_drops_total", Map.of("reason", "queue_full"), t.queueDrops());
        sample(b, "bacnet_sc_hub_drops_total", Map.of("reason", "recipient_disconnecting"), c.droppedRecipientGone());
        sample(b, "bacnet_sc_hub_drops_total", Map.of("reason", "oversize_received"), t.oversizeDiscarded());
        sample(b, "bacnet_sc_hub_drops_total", Map.of("reason", "text_frame"), t.textFramesRejected());
        header(b, "bacnet_sc_hub_websocket_closed_total", "WebSockets closed for a peer's violation of RFC 6455 or "
                + "of our limits, by reason (close code 1002, 1003, 1007 or 1008).", "counter");
        t.webSocketClosedByReason().forEach((reason, n) ->
                sample(b, "bacnet_sc_hub_websocket_closed_total", Map.of("reason", reason), n));
        counter(b, "bacnet_sc_hub_websocket_pings_total", "WebSocket pings received.", t.pingsReceived());
        counter(b, "bacnet_sc_hub_websocket_pongs_coalesced_total", "Pings whose pong was replaced by a newer "
                + "ping's before the peer read it.", t.pongsCoalesced());
        counter(b, "bacnet_sc_hub_websocket_close_timeouts_total", "Connections aborted because the peer did not "
                + "take our close in time.", t.closeTimeouts());
        header(b, "bacnet_sc_hub_handshake_failures_total", "Connection attempts that failed, by reason.",
                "counter");
        sample(b, "bacnet_sc_hub_handshake_failures_total", Map.of("reason", "TLS"), t.handshakeFailures());
        sample(b, "bacnet_sc_hub_handshake_failures_total", Map.of("reason", "HTTP_UPGRADE"), t.refusedUpgrades());
        sample(b, "bacnet_sc_hub_handshake_failures_total", Map.of("reason", "CAPACITY"), t.refusedCapacity());
        sample(b, "bacnet_sc_hub_handshake_failures_total", Map.of("reason", "NOT_READY"), t.refusedNotReady());
        s.failuresByError().forEach((code, n) ->
                sample(b, "bacnet_sc_hub_handshake_failures_total", Map.of("reason", code), n));
        header(b, "bacnet_sc_hub_cluster_forwards_total", "Frames exchanged with other cluster members.", "counter");
        sample(b, "bacnet_sc_hub_cluster_forwards_total", Map.of("direction", "out"), c.forwardedOut());
        sample(b, "bacnet_sc_hub_cluster_forwards_total", Map.of("direction", "in"), c.forwardedIn());
        counter(b, "bacnet_sc_hub_cluster_evictions_total", "Connections closed because another member's claim won.",
                c.evicted());
        if (hub.clusterDirectory().isPresent()) {
            long up = 0;
            for (org.apache.pekko.cluster.Member m : Cluster.get(system).state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up++;
                }
            }
            gauge(b, "bacnet_sc_hub_cluster_members", "Cluster members Up.", up);
            gauge(b, "bacnet_sc_hub_cluster_unreachable_members", "Cluster members this member cannot reach (its "
                    + "failure detector's view; not yet downed).", Cluster.get(system).state().getUnreachable().size());
            gauge(b, "bacnet_sc_hub_cluster_known_vmacs", "VMACs in the replicated directory.",
                    hub.clusterDirectory().get().knownVmacs());
        }
        HubStatus.Latency l = s.forwardLatency();
        header(b, "bacnet_sc_hub_cluster_forward_latency_seconds", "Cross-member delivery latency.", "histogram");
        long cumulative = 0;
        for (int i = 0; i < l.counts().length; i++) {
            cumulative += l.counts()[i];
            String le = i < l.boundsMillis().length ? java.math.BigDecimal.valueOf(l.boundsMillis()[i]).movePointLeft(3).stripTrailingZeros()
                    .toPlainString() : "+Inf";
            sample(b, "bacnet_sc_hub_cluster_forward_latency_seconds_bucket", Map.of("le", le), cumulative);
        }
        b.append("bacnet_sc_hub_cluster_forward_latency_seconds_sum ").append(l.sumMillis() / 1000.0).append('\n');
        b.append("bacnet_sc_hub_cluster_forward_latency_seconds_count ").append(l.count()).append('\n');
        return b.toString();
    }

    private static void header(StringBuilder b, String name, String help, String type) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        header(b, name, help, "counter");
        b.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        header(b, name, help, "gauge");
        b.append(name).append(' ').append(value).append('\n');
    }

    private static void sample(StringBuilder b, String name, Map<String, String> labels, long value) {
        b.append(name).append('{');
        labels.forEach((k, v) -> b.append(k).append("=\"").append(v).append('"'));
        b.append("} ").append(value).append('\n');
    }
}
