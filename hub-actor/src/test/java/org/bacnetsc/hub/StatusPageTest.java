package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status page ({@code GET /}) in a headless browser (HtmlUnit, JavaScript on), against a live hub. */
class StatusPageTest {

    static final ActorTestKit KIT = ActorTestKit.create("status-page");
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        url = "http://" + WsServer.authority(Management.bind(KIT.system(), hub, "127.0.0.1", 0).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).localAddress()) + "/";
    }

    @AfterAll
    static void stop() throws Exception {
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    private static ActorRef<Connection.Command> node(Vmac vmac, TestProbe<ConnectionEvent> events, int cert) {
        ActorRef<Connection.Command> node = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                new LocalIdentity(vmac, DeviceUuid.random()), ConnectionSettings.defaults(),
                org.bacnetsc.connection.TakingParent.of(KIT, events.ref()), WsClient.opener(KIT.system(), hub.uri(),
                        WsServer.HUB_SUBPROTOCOL, pki.nodeTls(cert), Duration.ofSeconds(5), 1600,
                        TransportSettings.defaults(), new TransportCounters())));
        node.tell(Connection.Start.INSTANCE);
        return node;
    }

    @Test
    void thePageRendersWithoutExternalResourcesListsAConnectedNodeAndItsChartReceivesData() throws Exception {
        Vmac a = Vmac.parse("02:00:00:00:0a:01");
        Vmac b = Vmac.parse("02:00:00:00:0a:02");
        TestProbe<ConnectionEvent> eventsA = KIT.createTestProbe();
        TestProbe<ConnectionEvent> eventsB = KIT.createTestProbe();
        ActorRef<Connection.Command> nodeA = node(a, eventsA, 1);
        node(b, eventsB, 2);
        org.junit.jupiter.api.Assertions.assertInstanceOf(ConnectionEvent.Connected.class, eventsA.receiveMessage(WAIT));
        org.junit.jupiter.api.Assertions.assertInstanceOf(ConnectionEvent.Connected.class, eventsB.receiveMessage(WAIT));

        try (WebClient browser = new WebClient()) {
            browser.getOptions().setThrowExceptionOnScriptError(true);
            HtmlPage page = browser.getPage(url);
            String html = page.getWebResponse().getContentAsString();
            assertFalse(html.contains("src=\"http") || html.contains("href=\"http") || html.contains("@import"),
                    "no external resources");
            browser.waitForBackgroundJavaScript(1_000);
            assertEquals("2", page.getElementById("connectedCount").getTextContent());
            String connections = page.getElementById("connections").asNormalizedText();
            assertTrue(connections.contains(a.toString()) && connections.contains(b.toString()), connections);
            assertTrue(page.getElementById("ready").getTextContent().startsWith("ready"),
                    page.getElementById("ready").getTextContent());
            assertTrue(page.getElementById("certificates").asNormalizedText().contains("operational\tCN=hub"),
                    page.getElementById("certificates").asNormalizedText());

            // Traffic between the refreshes: the chart gets samples, the latest a non-zero rate.
            for (int i = 0; i < 50; i++) {
                nodeA.tell(new Connection.Send(org.bacnetsc.codec.BvlcMessage.of(i, null, b,
                        new org.bacnetsc.codec.Payload.EncapsulatedNpdu(org.apache.pekko.util.ByteString.fromArray(
                                new byte[] {1, 0}))), false,
                        KIT.<org.bacnetsc.connection.SendResult>createTestProbe().ref()));
            }
            TestProbe<Object> probe = KIT.createTestProbe();
            probe.awaitAssert(WAIT, () -> {
                browser.waitForBackgroundJavaScript(500);
                assertTrue(Integer.parseInt(page.getElementById("samples").getTextContent()) >= 1);
                assertFalse(page.getElementById("rate").getAttribute("points").isEmpty());
                assertTrue(Integer.parseInt(page.getElementById("ratePeak").getTextContent()) > 1,
                        page.getElementById("ratePeak").getTextContent());
                return null;
            });
        }
    }
}
