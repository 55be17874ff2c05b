package org.bacnetsc.examples.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.bacnetsc.hub.PrometheusText;

/**
 * The operations endpoint of a node or a router service (the hub has its own): {@code /health/live},
 * {@code /health/ready}, {@code /status} (JSON), {@code /metrics} (Prometheus text) and {@code /} (a page, when the
 * service has one). Only GET.
 */
final class ManagementServer {

    /** What one service answers. */
    interface Endpoints {
        /** Ready (200) or not (503), with the reasons as text. */
        CompletionStage<Readiness> ready();

        /** The status as JSON. */
        CompletionStage<String> status();

        /** The metrics in Prometheus text format. */
        CompletionStage<String> metrics();

        /** The status page's HTML, or null when there is none. */
        String page();
    }

    /**
     * A readiness answer.
     *
     * @param ready whether ready
     * @param text  "ready", or why not, plus warnings on their own lines
     */
    record Readiness(boolean ready, String text) {
    }

    private ManagementServer() {
    }

    /** Binds; the binding ends with the actor system. */
    static CompletionStage<ServerBinding> bind(ActorSystem<?> system, Endpoints endpoints, String host, int port) {
        org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler =
                request -> handle(endpoints, request);
        return Http.get(system).newServerAt(host, port).bind(handler)
                .thenApplyAsync(b -> b.addToCoordinatedShutdown(Duration.ofSeconds(3), system),
                        system.executionContext());
    }

    /**
     * Binds at {@code flag} ("HOST:PORT", the value of {@code --management}) and prints where.
     *
     * @throws IllegalArgumentException naming the flag and its value when it is malformed or cannot be bound
     */
    static void bindFlag(ActorSystem<?> system, Endpoints endpoints, String flag, java.io.PrintWriter out)
            throws Exception {
        org.bacnetsc.hub.Management.Settings ms = org.bacnetsc.hub.Management.Settings.fromConfig(
                com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("bacnet-sc.management.bind", flag,
                        "bacnet-sc.management.enabled", true)));
        try {
            ServerBinding binding = bind(system, endpoints, ms.host(), ms.port()).toCompletableFuture()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            out.println("management on http://" + org.bacnetsc.transport.WsServer.authority(binding.localAddress())
                    + "/ (health/live, health/ready, status, metrics)");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalArgumentException("--management \"" + flag + "\": cannot bind: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static CompletionStage<HttpResponse> handle(Endpoints e, HttpRequest request) {
        if (request.method() != HttpMethods.GET) {
            return CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.METHOD_NOT_ALLOWED));
        }
        String page = e.page();
        return switch (request.getUri().path()) {
            case "/" -> CompletableFuture.completedFuture(page != null
                    ? HttpResponse.create().withEntity(ContentTypes.TEXT_HTML_UTF8, page) : notFound(false));
            case "/health/live" -> CompletableFuture.completedFuture(text(StatusCodes.OK, "alive"));
            case "/health/ready" -> e.ready().thenApply(r -> text(r.ready() ? StatusCodes.OK
                    : StatusCodes.SERVICE_UNAVAILABLE, r.text()));
            case "/status" -> e.status().thenApply(json -> HttpResponse.create()
                    .withEntity(ContentTypes.APPLICATION_JSON, json));
            case "/metrics" -> e.metrics().thenApply(m -> HttpResponse.create().withEntity(
                    (org.apache.pekko.http.javadsl.model.ContentType.NonBinary) ContentTypes.parse(
                            PrometheusText.CONTENT_TYPE), m));
            default -> CompletableFuture.completedFuture(notFound(page != null));
        };
    }

    private static HttpResponse notFound(boolean withPage) {
        return text(StatusCodes.NOT_FOUND, "try " + (withPage ? "/ (the status page), " : "")
                + "/health/live, /health/ready, /status or /metrics");
    }

    private static HttpResponse text(StatusCode code, String body) {
        return HttpResponse.create().withStatus(code).withEntity(body + "\n");
    }
}
