package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.SendResult;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.RawClient;
import org.bacnetsc.transport.TransportCounters;
import org.bacnetsc.transport.TransportSettings;
import org.bacnetsc.transport.WsClient;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real hub and 20+ SC clients over mutual TLS 1.3 on 127.0.0.1. */
class HubIntegrationTest {

    static final int NODES = 20;
    static final Duration WAIT = Duration.ofSeconds(15);
    static final ActorTestKit KIT = ActorTestKit.create("hub-integration");

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;

    @BeforeAll
    static void start() throws Exception {
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(NODES + 3);
        hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).transportSettings(new TransportSettings(64,
                false)).start(KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    /** One SC client: a hub-connector connection over the real transport. */
    static final class Client {
        final Vmac vmac;
        final DeviceUuid uuid;
        final TestProbe<ConnectionEvent> events = KIT.createTestProbe();
        final ActorRef<Connection.Command> connection;

        Client(int certificate, Vmac vmac, DeviceUuid uuid) {
            this.vmac = vmac;
            this.uuid = uuid;
            connection = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR, new LocalIdentity(vmac, uuid),
                    ConnectionSettings.defaults(), org.bacnetsc.connection.TakingParent.of(KIT, events.ref()),
                    WsClient.opener(KIT.system(), hub.uri(),
                            WsServer.HUB_SUBPROTOCOL, pki.nodeTls(certificate), WAIT, 1600,
                            TransportSettings.defaults(), new TransportCounters())));
            connection.tell(Connection.Start.INSTANCE);
        }

        Client connected() {
            assertInstanceOf(ConnectionEvent.Connected.class, events.receiveMessage(WAIT));
            return this;
        }

        void send(Vmac destination, ByteString npdu) {
            TestProbe<SendResult> result = KIT.createTestProbe();
            connection.tell(new Connection.Send(BvlcMessage.of(0, null, destination,
                    new Payload.EncapsulatedNpdu(npdu)), true, result.ref()));
            assertEquals(SendResult.Sent.INSTANCE, result.receiveMessage(WAIT));
        }

        BvlcMessage receive() {
            return assertInstanceOf(ConnectionEvent.MessageReceived.class, events.receiveMessage(WAIT)).message();
        }
    }

    static Vmac vmac(int i) {
        return new Vmac(0x02_00_00_00_10_00L + i);
    }

    static ByteString payload(int from, int seq) {
        return ByteString.fromArray(new byte[] {1, 0, (byte) from, (byte) seq});
    }

    @Test
    void twentyClientsExchangeUnicastAndBroadcastExactlyOnceDuplicatesAreNakedAndFreedVmacsAreReusable()
            throws Exception {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            clients.add(new Client(i + 1, vmac(i), DeviceUuid.random()));
        }
        clients.forEach(Client::connected);

        // Unicast: i -> (i + 7) % 20; each client gets exactly one, from the right sender.
        for (int i = 0; i < NODES; i++) {
            clients.get(i).send(vmac((i + 7) % NODES), payload(i, 1));
        }
        for (int j = 0; j < NODES; j++) {
            int from = (j - 7 + NODES) % NODES;
            assertEquals(BvlcMessage.of(0, vmac(from), null, new Payload.EncapsulatedNpdu(payload(from, 1))),
                    clients.get(j).receive().withMessageId(0));
        }
        // Broadcast from client 0: every other client once, never the sender.
        clients.get(0).send(Vmac.BROADCAST, payload(0, 2));
        for (int j = 1; j < NODES; j++) {
            BvlcMessage m = clients.get(j).receive();
            assertEquals(vmac(0), m.originating());
            assertEquals(Vmac.BROADCAST, m.destination());
            assertEquals(new Payload.EncapsulatedNpdu(payload(0, 2)), m.payload());
        }
        for (Client c : clients) {
            c.events.expectNoMessage(Duration.ofMillis(100));
        }

        // A duplicate VMAC from another device is NAKed, counted once and recorded once as a failed request (the hub
        // is shared by the class: counted from before the intruder).
        HubStatus before = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        long failedFor3Before = before.failedRequests().stream().filter(f -> vmac(3).equals(f.vmac())).count();
        Client intruder = new Client(NODES + 1, vmac(3), DeviceUuid.random());
        assertInstanceOf(ConnectionEvent.DuplicateVmac.class, intruder.events.receiveMessage(WAIT));
        assertInstanceOf(ConnectionEvent.Disconnected.class, intruder.events.receiveMessage(WAIT));

        // A killed client's VMAC is freed for reuse by another device.
        KIT.stop(clients.get(5).connection);
        TestProbe<Object> poll = KIT.createTestProbe();
        poll.awaitAssert(WAIT, () -> {
            HubStatus s = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(s.connections().stream().noneMatch(c -> c.vmac() != null && c.vmac().equals(vmac(5))
                    && c.state() == org.bacnetsc.connection.ScConnectionState.CONNECTED));
            return null;
        });
        Client successor = new Client(NODES + 2, vmac(5), DeviceUuid.random()).connected();
        clients.get(1).send(vmac(5), payload(1, 3));
        assertEquals(vmac(1), successor.receive().originating());

        // the failed request is recorded when the refused connection has ended, which may come after the NAK
        HubStatus s = KIT.<HubStatus>createTestProbe().awaitAssert(WAIT, () -> {
            HubStatus st = hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(failedFor3Before + 1, st.failedRequests().stream().filter(f -> vmac(3).equals(f.vmac()))
                    .count(), st.failedRequests().toString());
            return st;
        });
        assertEquals(before.counters().duplicateVmac() + 1, s.counters().duplicateVmac());
        assertEquals(ErrorCode.NODE_DUPLICATE_VMAC, s.failedRequests().stream().filter(f -> vmac(3).equals(f.vmac()))
                .reduce((x, y) -> y).orElseThrow().error().errorCode());
    }

    @Test
    void aClientThatStopsReadingDoesNotSlowTheOthers() throws Exception {
        Client sender = new Client(1, vmac(100), DeviceUuid.random()).connected();
        List<Client> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            readers.add(new Client(2 + i, vmac(101 + i), DeviceUuid.random()).connected());
        }
        RawClient stalled = RawClient.connect(KIT, hub.uri(), WsServer.HUB_SUBPROTOCOL, pki.nodeTls(5), false);
        stalled.send(BinaryMessage.create(BvlcCodec.encode(BvlcMessage.of(1, new Payload.ConnectRequest(vmac(110),
                DeviceUuid.random(), 1600, 1497)))));
        TestProbe<Object> poll = KIT.createTestProbe();
        poll.awaitAssert(WAIT, () -> {
            assertTrue(hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS).connections().stream()
                    .anyMatch(c -> vmac(110).equals(c.vmac())));
            return null;
        });
        long dropsBefore = hub.transportCounters().queueDrops();
        ByteString big = ByteString.fromArray(new byte[1400]);
        // Far more than the stalled client's queue and TCP buffers hold, paced so the readers keep up.
        long started = System.nanoTime(); // reported below, not asserted
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 50; i++) {
                sender.send(Vmac.BROADCAST, big);
            }
            for (Client r : readers) {
                for (int i = 0; i < 50; i++) {
                    assertEquals(vmac(100), r.receive().originating());
                }
            }
        }
        System.out.println("5000 broadcasts in " + (System.nanoTime() - started) / 1_000_000 + " ms, drops "
                + (hub.transportCounters().queueDrops() - dropsBefore));
        assertTrue(hub.transportCounters().queueDrops() > dropsBefore,
                "the stalled client's overflow is dropped and counted");
    }
}
