package org.bacnetsc.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DecodeFailure;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.WsPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hello destination option (135-2024, addendum 135-2020cp; bacnet-device.md digest section 8) on the node's side,
 * against a hub we script over real TLS 1.3: sent on Connect-Request as marker 0x22, length 1, data 00; with
 * {@code hello = auto}, a hub that NAKs it (as bacnet-stack does for option types it does not know) is connected to
 * again at once without it, long before the reconnect timer; {@code off} sends none.
 */
@ExtendWith(LogCapturingExtension.class)
class HelloOptionTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final ActorTestKit KIT = ActorTestKit.create("hello-option");
    static final Vmac HUB = Vmac.parse("02:00:00:00:0f:02");

    @TempDir
    static Path dir;
    static DevPki pki;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(1);
    }

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static ScNode node(WsPeer.Server hub, ConnectionSettings.Hello hello, String state) {
        // the reconnect timer is far longer than any test: an attempt within the test is not the timer's
        return ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 1).stateDir(dir.resolve(state))
                .reconnect(Duration.ofSeconds(120), Duration.ofSeconds(240))
                .connectionSettings(ConnectionSettings.defaults().withHello(hello, false)).start(KIT.system());
    }

    private static void accept(WsPeer peer, BvlcMessage request) throws Exception {
        peer.sendBvlc(BvlcMessage.of(request.messageId(), new Payload.ConnectAccept(HUB, DeviceUuid.random(), 1600,
                1497)));
    }

    private static void awaitConnected(ScNode node) {
        KIT.createTestProbe().awaitAssert(WAIT, () -> {
            assertTrue(node.status().toCompletableFuture().get(10, TimeUnit.SECONDS).connected());
            return null;
        });
    }

    @Test
    void aConnectRequestCarriesHelloAsMarker22Length1Data00() throws Exception {
        try (WsPeer.Server hub = new WsPeer.Server(pki.hubTls())) {
            ScNode node = node(hub, ConnectionSettings.Hello.AUTO, "auto");
            try (WsPeer peer = hub.accept(WAIT)) {
                WsPeer.Frame frame = peer.readFrame(WAIT);
                assertNotNull(frame);
                byte[] b = frame.payload();
                assertEquals(0x06, b[0] & 0xFF, "Connect-Request");
                assertEquals(BvlcCodec.FLAG_DESTINATION_OPTIONS, b[1] & 0xFF, "only destination options");
                assertEquals(ByteString.fromArray(new byte[] {0x22, 0x00, 0x01, 0x00}),
                        ByteString.fromArray(b).slice(4, 8), "Hello: no more, MU=0, data; length 1; flags 00");
                BvlcMessage request = (BvlcMessage) BvlcCodec.decode(ByteString.fromArray(b));
                assertEquals(List.of(HeaderOption.hello()), request.destinationOptions());
                accept(peer, request);
                awaitConnected(node);
            } finally {
                node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aHubThatNaksHelloIsConnectedToAgainAtOnceWithoutIt() throws Exception {
        try (WsPeer.Server hub = new WsPeer.Server(pki.hubTls())) {
            ScNode node = node(hub, ConnectionSettings.Hello.AUTO, "nak");
            try {
                WsPeer first = hub.accept(WAIT);
                BvlcMessage request = first.readBvlc(WAIT);
                assertTrue(HeaderOption.hasHello(request.destinationOptions()));
                // as bacnet-stack answers an option type other than 1 and 31
                first.sendBvlc(DecodeFailure.refuse(request, ErrorCode.HEADER_ENCODING_ERROR, "unknown option type")
                        .nak().orElseThrow());
                // the next attempt comes now, not after the 120 s reconnect timer
                try (WsPeer second = hub.accept(WAIT)) {
                    BvlcMessage again = second.readBvlc(WAIT);
                    assertInstanceOf(Payload.ConnectRequest.class, again.payload());
                    assertEquals(List.of(), again.destinationOptions(), "no Hello for this hub any more");
                    accept(second, again);
                    awaitConnected(node);
                }
                first.close();
            } finally {
                node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void withHelloOffTheConnectRequestCarriesNoOption() throws Exception {
        try (WsPeer.Server hub = new WsPeer.Server(pki.hubTls())) {
            ScNode node = node(hub, ConnectionSettings.Hello.OFF, "off");
            try (WsPeer peer = hub.accept(WAIT)) {
                BvlcMessage request = peer.readBvlc(WAIT);
                assertEquals(List.of(), request.destinationOptions());
                accept(peer, request);
                awaitConnected(node);
            } finally {
                node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
