package org.bacnetsc.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.bacnetsc.connection.ConnectionError;

/**
 * The hub's operations endpoint (plain HTTP on its own port, loopback by default): {@code /health/live},
 * {@code /health/ready} (bound, and an Up cluster member when clustered), {@code /status} (JSON: this member's
 * §15 connections, failed requests, counters, certificates, cluster members), {@code /metrics} (Prometheus text
 * format) and {@code /} (a self-contained status page that refreshes from {@code /status}).
 */
public final class Management {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS = HubMetrics.CONTENT_TYPE;

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
            case "/":
                return CompletableFuture.completedFuture(HttpResponse.create().withEntity(
                        ContentTypes.TEXT_HTML_UTF8, StatusPage.HTML));
            case "/health/live":
                return CompletableFuture.completedFuture(text(StatusCodes.OK, "alive"));
            case "/health/ready":
                String why = notReady(system, hub);
                java.util.List<String> expiring = hub.certificateWarnings();
                String note = expiring.isEmpty() ? "" : "\nwarning: " + String.join("\nwarning: ", expiring);
                return CompletableFuture.completedFuture(why == null ? text(StatusCodes.OK, "ready" + note)
                        : text(StatusCodes.SERVICE_UNAVAILABLE, why + note));
            case "/status":
                return hub.status().thenApplyAsync(s -> HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON,
                        statusJson(system, hub, s)), system.executionContext());
            case "/metrics":
                return hub.status().thenApplyAsync(s -> HttpResponse.create().withEntity(
                        (org.apache.pekko.http.javadsl.model.ContentType.NonBinary) ContentTypes.parse(PROMETHEUS),
                        metrics(system, hub, s)), system.executionContext());
            default:
                return CompletableFuture.completedFuture(text(StatusCodes.NOT_FOUND,
                        "try / (the status page), /health/live, /health/ready, /status or /metrics"));
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
        ArrayNode certificates = o.putArray("certificates");
        Instant now = Instant.now();
        for (org.bacnetsc.transport.CertificateExpiry.Entry e : hub.certificates()) {
            certificates.addObject().put("role", e.role()).put("subject", e.subject())
                    .put("notAfter", e.notAfter().toString()).put("secondsLeft", e.secondsLeft(now));
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
        return HubMetrics.text(system, hub, s);
    }
}
