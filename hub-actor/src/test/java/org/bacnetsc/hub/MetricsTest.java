package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.TransportCounters;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsClient;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} over HTTP: the documented names and labels through the Prometheus client, and JVM metrics. */
class MetricsTest {

    static final ActorTestKit KIT = ActorTestKit.create("metrics");
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;
    static URI management;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        management = URI.create("http://" + WsServer.authority(Management.bind(KIT.system(), hub, "127.0.0.1", 0)
                .toCompletableFuture().get(10, TimeUnit.SECONDS).localAddress()));
    }

    @AfterAll
    static void stop() throws Exception {
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(management.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hubMetricsKeepTheirDocumentedNamesAndLabelsAndJvmMetricsArePresent() throws Exception {
        TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        ActorRef<Connection.Command> node = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                new LocalIdentity(Vmac.parse("02:00:00:00:07:01"), DeviceUuid.random()), ConnectionSettings.defaults(),
                org.bacnetsc.connection.TakingParent.of(KIT, events.ref()), WsClient.opener(KIT.system(), hub.uri(),
                        WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1), Duration.ofSeconds(5), 1600,
                        TransportSettings.defaults(), new TransportCounters())));
        node.tell(Connection.Start.INSTANCE);
        events.expectMessageClass(ConnectionEvent.Connected.class, WAIT);

        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        String m = r.body();
        for (String line : new String[] {
            "# TYPE bacnet_sc_hub_connections gauge",
            "bacnet_sc_hub_connections 1.0",
            "# TYPE bacnet_sc_hub_connections_accepted_total counter",
            "bacnet_sc_hub_connections_accepted_total 1.0",
            "bacnet_sc_hub_messages_routed_total{kind=\"unicast\"} 0.0",
            "bacnet_sc_hub_drops_total{reason=\"recipient_disconnecting\"} 0.0",
            "bacnet_sc_hub_handshake_failures_total{reason=\"NOT_READY\"} 0.0",
            "bacnet_sc_hub_accept_failures_total 0.0",
            "bacnet_sc_hub_silence_probes_total 0.0",
            "bacnet_sc_hub_silence_probes_answered_total 0.0",
            "# TYPE bacnet_sc_hub_cluster_forward_latency_seconds histogram",
            "bacnet_sc_hub_cluster_forward_latency_seconds_bucket{le=\"+Inf\"} 0",
            "bacnet_sc_hub_cluster_forward_latency_seconds_count 0"}) {
            assertTrue(m.contains("\n" + line + "\n") || m.startsWith(line + "\n"), line + " in\n" + m);
        }
        for (String jvm : new String[] {"jvm_memory_used_bytes{area=\"heap\"}", "jvm_gc_collection_seconds_count",
            "jvm_threads_current", "process_cpu_seconds_total", "process_open_fds", "jvm_classes_currently_loaded"}) {
            assertTrue(m.contains("\n" + jvm), jvm + " in\n" + m);
        }
    }
}
