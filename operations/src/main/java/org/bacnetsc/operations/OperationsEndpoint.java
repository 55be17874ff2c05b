package org.bacnetsc.operations;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The operations endpoint of a hub, a node or a router (plain HTTP on its own port, loopback by default), only GET:
 * {@code /health/live} (200 while the process runs), {@code /health/ready} (200 or 503 with the reasons),
 * {@code /status} (JSON with a {@code kind} of "hub", "node" or "router"), {@code /metrics} (Prometheus text, the
 * service's metrics and the JVM's) and {@code /} (one status page for every kind). The service hands it a
 * {@link Source}; the endpoint knows nothing else of it.
 */
public final class OperationsEndpoint {

    /** What one service answers. */
    public interface Source {
        /** Ready (200) or not (503), with the reasons as text. */
        CompletionStage<Readiness> ready();

        /** The status as JSON, with a {@code kind} field. */
        CompletionStage<String> status();

        /** The metrics in Prometheus text format ({@link PrometheusText#write}). */
        CompletionStage<String> metrics();
    }

    /**
     * A readiness answer.
     *
     * @param ready whether ready
     * @param text  "ready", or why not, plus warnings on their own lines
     */
    public record Readiness(boolean ready, String text) {
    }

    private OperationsEndpoint() {
    }

    /** Binds at {@code host:port} (0: any free port); the binding is terminated by CoordinatedShutdown. */
    public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, Source source, String host, int port) {
        org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler =
                request -> handle(source, request);
        return Http.get(system).newServerAt(host, port).bind(handler)
                .thenApplyAsync(b -> b.addToCoordinatedShutdown(Duration.ofSeconds(3), system),
                        system.executionContext());
    }

    /**
     * Binds where {@code settings} say and waits for it.
     *
     * @param key the configuration key or flag the binding came from, named when it cannot be bound
     * @return the bound address
     * @throws IllegalArgumentException naming {@code key} and the binding when it cannot be bound
     */
    public static InetSocketAddress bindOrFail(ActorSystem<?> system, Source source, OperationsSettings settings,
                                               String key) throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            return bind(system, source, settings.host(), settings.port()).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).localAddress();
        } catch (ExecutionException e) {
            throw new IllegalArgumentException(key + " = \"" + settings.host() + ":" + settings.port()
                    + "\": cannot bind: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static CompletionStage<HttpResponse> handle(Source source, HttpRequest request) {
        if (request.method() != HttpMethods.GET) {
            return CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.METHOD_NOT_ALLOWED));
        }
        return switch (request.getUri().path()) {
            case "/" -> CompletableFuture.completedFuture(
                    HttpResponse.create().withEntity(ContentTypes.TEXT_HTML_UTF8, StatusPage.HTML));
            case "/health/live" -> CompletableFuture.completedFuture(text(StatusCodes.OK, "alive"));
            case "/health/ready" -> source.ready().thenApply(r -> text(r.ready() ? StatusCodes.OK
                    : StatusCodes.SERVICE_UNAVAILABLE, r.text()));
            case "/status" -> source.status().thenApply(json -> HttpResponse.create()
                    .withEntity(ContentTypes.APPLICATION_JSON, json));
            case "/metrics" -> source.metrics().thenApply(m -> HttpResponse.create().withEntity(
                    (ContentType.NonBinary) ContentTypes.parse(PrometheusText.CONTENT_TYPE), m));
            default -> CompletableFuture.completedFuture(text(StatusCodes.NOT_FOUND,
                    "try / (the status page), /health/live, /health/ready, /status or /metrics"));
        };
    }

    private static HttpResponse text(StatusCode code, String body) {
        return HttpResponse.create().withStatus(code).withEntity(body + "\n");
    }
}
