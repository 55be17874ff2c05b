package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.WsPeer;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hello destination option on the accepting side, over real TLS 1.3 against real hubs: by default a
 * Connect-Request with Hello is accepted with Hello and one without (bacnet-stack, bac-py) without it; a strict hub
 * ({@code hello-required = on}) refuses a Connect-Request without Hello with a NAK of
 * COMMUNICATION/MISSING_REQUIRED_PARAMETER ([verify]) and admits our nodes, which send it.
 */
@ExtendWith(LogCapturingExtension.class)
class HelloAcceptTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ActorTestKit KIT = ActorTestKit.create("hello-accept");

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub tolerant;
    static ScHub strict;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        tolerant = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        strict = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir())
                .connectionSettings(ConnectionSettings.defaults().withHello(ConnectionSettings.Hello.AUTO, true))
                .start(KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        tolerant.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        strict.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    private static BvlcMessage connect(ScHub hub, boolean hello, String vmac) throws Exception {
        try (WsPeer p = WsPeer.connect(hub.uri(), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1))) {
            p.sendBvlc(new BvlcMessage(7, null, null, hello ? List.of(HeaderOption.hello()) : List.of(), List.of(),
                    new Payload.ConnectRequest(Vmac.parse(vmac), DeviceUuid.random(), 1600, 1497)));
            return p.readBvlc(WAIT);
        }
    }

    @Test
    void aConnectRequestWithHelloIsAcceptedWithHello() throws Exception {
        BvlcMessage answer = connect(tolerant, true, "02:00:00:00:e1:01");
        assertInstanceOf(Payload.ConnectAccept.class, answer.payload());
        assertEquals(List.of(HeaderOption.hello()), answer.destinationOptions());
    }

    @Test
    void aConnectRequestWithoutHelloIsAcceptedWithoutHelloByDefault() throws Exception {
        BvlcMessage answer = connect(tolerant, false, "02:00:00:00:e1:02");
        assertInstanceOf(Payload.ConnectAccept.class, answer.payload());
        assertEquals(List.of(), answer.destinationOptions(), "a peer that sent none may not know the option");
    }

    @Test
    void aStrictHubRefusesAConnectRequestWithoutHelloWithMissingRequiredParameter() throws Exception {
        BvlcMessage answer = connect(strict, false, "02:00:00:00:e1:03");
        Payload.BvlcResult nak = assertInstanceOf(Payload.BvlcResult.class, answer.payload());
        assertEquals(Payload.ResultCode.NAK, nak.resultCode(), answer.toString());
        assertEquals(ErrorCode.MISSING_REQUIRED_PARAMETER.code(), nak.errorCode(), answer.toString());
        assertEquals(7, answer.messageId());
        BvlcMessage accepted = connect(strict, true, "02:00:00:00:e1:04");
        assertInstanceOf(Payload.ConnectAccept.class, accepted.payload());
    }

    @Test
    void ourNodeConnectsToAStrictHub() throws Exception {
        ScNode node = ScNode.builder().primaryHub(strict.uri()).devPki(pki.dir(), 2).stateDir(dir.resolve("n"))
                .start(KIT.system());
        try {
            KIT.createTestProbe().awaitAssert(WAIT, () -> {
                assertTrue(node.status().toCompletableFuture().get(5, TimeUnit.SECONDS).connected());
                return null;
            });
        } finally {
            node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
