package org.bacnetsc.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's operations endpoint against a live hub: readiness follows the hub connection, metrics as documented. */
class NodeOperationsTest {

    static final ActorTestKit KIT = ActorTestKit.create("node-management");

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static HttpResponse<String> get(URI base, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessFollowsTheHubConnectionAndMetricsCountReconnects() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        ScNode node = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 1).stateDir(dir.resolve("state"))
                .reconnect(Duration.ofSeconds(2), Duration.ofSeconds(2)).start(KIT.system());
        URI base = URI.create("http://" + WsServer.authority(NodeOperations.bind(KIT.system(), node, "127.0.0.1", 0)
                .toCompletableFuture().get(10, TimeUnit.SECONDS).localAddress()) + "/");
        TestProbe<Object> probe = KIT.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(15), () -> {
            assertEquals(200, get(base, "health/ready").statusCode());
            return null;
        });
        assertEquals(200, get(base, "health/live").statusCode());
        JsonNode status = new ObjectMapper().readTree(get(base, "status").body());
        assertEquals(1, status.get("hubConnectorState").asInt());
        assertEquals("CONNECTED", status.get("primary").get("state").asText());
        assertEquals(0, status.get("hubHeartbeats").get("heartbeatsSent").asLong(), status.toString());
        String metrics = get(base, "metrics").body();
        for (String line : new String[] {"bacnet_sc_node_hub_connector_state 1.0",
            "bacnet_sc_node_npdus_total{direction=\"sent\"} 0.0", "bacnet_sc_node_hub_connections_total 1.0",
            "bacnet_sc_node_reconnects_total 0.0", "bacnet_sc_node_direct_connections 0.0",
            "bacnet_sc_node_heartbeats_total 0.0", "bacnet_sc_node_heartbeats_answered_total 0.0"}) {
            assertTrue(metrics.contains("\n" + line + "\n"), line + " in\n" + metrics);
        }
        assertTrue(metrics.contains("\njvm_memory_used_bytes{area=\"heap\"}"), metrics);
        assertTrue(metrics.contains("\nbacnet_sc_certificate_expiry_seconds{role=\"operational\",subject=\"CN=node-1\"} "),
                metrics);

        assertEquals("node", status.get("kind").asText());

        // The status page in a headless browser: identity, the hub connection, the chart's samples.
        try (org.htmlunit.WebClient browser = new org.htmlunit.WebClient()) {
            browser.getOptions().setThrowExceptionOnScriptError(true);
            org.htmlunit.html.HtmlPage page = browser.getPage(base.toString());
            probe.awaitAssert(Duration.ofSeconds(15), () -> {
                browser.waitForBackgroundJavaScript(500);
                assertEquals(status.get("vmac").asText(), page.getElementById("vmac").getTextContent());
                assertTrue(page.getElementById("hubs").asNormalizedText().contains("primary\tCONNECTED"),
                        page.getElementById("hubs").asNormalizedText());
                assertTrue(Integer.parseInt(page.getElementById("samples").getTextContent()) >= 1);
                return null;
            });
        }

        // The hub goes away: not ready, with the reason.
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        probe.awaitAssert(Duration.ofSeconds(15), () -> {
            HttpResponse<String> r = get(base, "health/ready");
            assertEquals(503, r.statusCode());
            assertTrue(r.body().startsWith("no hub connection: primary "), r.body());
            return null;
        });
        // A hub again at the same address: the node reconnects, and the metric counts it.
        ScHub again = ScHub.builder().bind("127.0.0.1", hub.uri().getPort()).devPki(pki.dir()).start(KIT.system())
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        probe.awaitAssert(Duration.ofSeconds(20), () -> {
            String m = get(base, "metrics").body();
            assertTrue(m.contains("\nbacnet_sc_node_reconnects_total 1.0\n"), m);
            assertTrue(m.contains("\nbacnet_sc_node_hub_connections_total 2.0\n"), m);
            return null;
        });
        assertEquals(200, get(base, "health/ready").statusCode());
        node.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        again.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
