package org.bacnetsc.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoint over real HTTP on 127.0.0.1 with a source of our own: each path, the status codes, the page. */
class OperationsEndpointTest {

    static final ActorTestKit KIT = ActorTestKit.create("operations-endpoint");
    static final AtomicBoolean READY = new AtomicBoolean();
    static URI base;

    @BeforeAll
    static void bind() throws Exception {
        OperationsEndpoint.Source source = new OperationsEndpoint.Source() {
            @Override
            public CompletionStage<OperationsEndpoint.Readiness> ready() {
                return CompletableFuture.completedFuture(READY.get() ? new OperationsEndpoint.Readiness(true, "ready")
                        : new OperationsEndpoint.Readiness(false, "not yet: warming up"));
            }

            @Override
            public CompletionStage<String> status() {
                return CompletableFuture.completedFuture("{\"kind\":\"test\",\"answer\":42}");
            }

            @Override
            public CompletionStage<String> metrics() {
                return CompletableFuture.completedFuture(PrometheusText.write(List.of(
                        PrometheusText.counter("test_things", "Things.", 7),
                        PrometheusText.certificateExpiry(List.of(new ExpiringCertificate("operational", "CN=x",
                                Instant.now().plusSeconds(3600)))))));
            }
        };
        InetSocketAddress a = OperationsEndpoint.bindOrFail(KIT.system(), source,
                OperationsSettings.parse("test.bind", "127.0.0.1:0"), "test.bind");
        base = URI.create("http://127.0.0.1:" + a.getPort() + "/");
    }

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessFollowsTheSourceWithItsReason() throws Exception {
        READY.set(false);
        HttpResponse<String> r = send("GET", "health/ready");
        assertEquals(503, r.statusCode());
        assertEquals("not yet: warming up\n", r.body());
        READY.set(true);
        assertEquals(200, send("GET", "health/ready").statusCode());
        assertEquals("alive\n", send("GET", "health/live").body());
    }

    @Test
    void statusMetricsAndThePageAreServed() throws Exception {
        HttpResponse<String> status = send("GET", "status");
        assertEquals("{\"kind\":\"test\",\"answer\":42}", status.body());
        assertTrue(status.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        HttpResponse<String> metrics = send("GET", "metrics");
        assertTrue(metrics.body().contains("\ntest_things_total 7.0\n"), metrics.body());
        assertTrue(metrics.body().contains("bacnet_sc_certificate_expiry_seconds{role=\"operational\",subject=\"CN=x\"} "),
                metrics.body());
        assertTrue(metrics.body().contains("\njvm_threads_current "), "and the JVM's metrics");
        assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"),
                metrics.headers().toString());
        HttpResponse<String> page = send("GET", "");
        assertTrue(page.body().startsWith("<!DOCTYPE html>") && page.body().contains("id=\"routerSection\""));
    }

    @Test
    void onlyGetAndOnlyTheKnownPaths() throws Exception {
        assertEquals(405, send("POST", "status").statusCode());
        HttpResponse<String> unknown = send("GET", "admin");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("/health/ready"), unknown.body());
    }

    @Test
    void aMalformedBindingNamesTheKeyAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OperationsSettings.parse("bacnet-sc.management.bind", "localhost"));
        assertEquals("bacnet-sc.management.bind = \"localhost\": expected interface:port (no port)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OperationsSettings.parse("k", "h:70000"));
    }
}
