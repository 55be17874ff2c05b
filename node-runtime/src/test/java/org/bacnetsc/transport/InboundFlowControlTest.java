package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ConnectionEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer cannot fill our mailboxes: messages handed to the actors hold the socket's inbound credit until a parent
 * takes them; at {@code inbound-queue-size} the socket stops reading (TCP backpressure), and taking half of them
 * lets it read on. Real TLS 1.3 and a real WebSocket on 127.0.0.1.
 */
class InboundFlowControlTest {

    static final ActorTestKit KIT = ActorTestKit.create();
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static DevPki pki;
    static TransportFixture server;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(1);
        server = new TransportFixture(KIT, pki.hubTls(), WsServer.HUB_SUBPROTOCOL);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        KIT.shutdownTestKit();
    }

    private static ConnectionEvent.MessageReceived nextMessage() {
        ConnectionEvent e;
        do {
            e = server.serverEvents.receiveMessage(WAIT);
        } while (!(e instanceof ConnectionEvent.MessageReceived));
        return (ConnectionEvent.MessageReceived) e;
    }

    @Test
    void aParentThatDoesNotTakeMessagesStopsTheSocketAtTheInboundQueueSizeAndTakingHalfResumesIt() throws Exception {
        int limit = TransportSettings.INBOUND_QUEUE_SIZE;
        try (WsPeer peer = WsPeer.connect(server.uri, WsServer.HUB_SUBPROTOCOL, pki.nodeTls(1))) {
            assertInstanceOf(Payload.ConnectAccept.class, peer.connect(Vmac.parse("02:00:00:00:01:77"),
                    DeviceUuid.random(), 1, WAIT).payload());
            int sent = 3 * limit;
            for (int i = 0; i < sent; i++) {
                peer.writeBuffered(WsPeer.frame(WsPeer.FIN | WsPeer.BINARY, org.bacnetsc.codec.BvlcCodec.encode(
                        BvlcMessage.of(i, null, Vmac.BROADCAST, new Payload.EncapsulatedNpdu(ByteString.fromArray(
                                new byte[] {1, 0, (byte) (i >> 8), (byte) i})))).toArray(), true));
            }
            peer.flush();
            // the fixture's parent passes events on without taking them: exactly `limit` arrive, then nothing
            List<ConnectionEvent.MessageReceived> held = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                held.add(nextMessage());
            }
            server.serverEvents.expectNoMessage(Duration.ofMillis(300));
            // taking half of them lets the socket read on, in order
            for (int i = 0; i < limit / 2; i++) {
                held.get(i).release().run();
            }
            ConnectionEvent.MessageReceived next = nextMessage();
            assertEquals(limit, ((Payload.EncapsulatedNpdu) next.message().payload()).npdu().apply(3) & 0xFF,
                    "the message after the first `limit`");
            // taking everything from now on delivers the rest
            held.subList(limit / 2, limit).forEach(m -> m.release().run());
            next.release().run();
            int received = limit + 1;
            while (received < sent) {
                ConnectionEvent.MessageReceived m = nextMessage();
                ByteString npdu = ((Payload.EncapsulatedNpdu) m.message().payload()).npdu();
                assertEquals(received, ((npdu.apply(2) & 0xFF) << 8) | (npdu.apply(3) & 0xFF), "in order");
                m.release().run();
                received++;
            }
            assertEquals(sent, received);
        }
    }
}
