package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** ws:// without TLS exists only behind bacnet-sc.transport.allow-plain-ws. */
class PlainWsTest {

    static final ActorTestKit KIT = ActorTestKit.create();
    static final TransportSettings PLAIN_ALLOWED = new TransportSettings(16, true);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void withoutTheFlagPlainWsIsRefusedOnBothSides() {
        IllegalArgumentException client = assertThrows(IllegalArgumentException.class, () -> WsClient.opener(
                KIT.system(), URI.create("ws://127.0.0.1:1/hub"), WsServer.HUB_SUBPROTOCOL, null,
                Duration.ofSeconds(1), 1600, TransportSettings.defaults(), new TransportCounters()));
        assertTrue(client.getMessage().contains("allow-plain-ws"), client.getMessage());
        IllegalArgumentException server = assertThrows(IllegalArgumentException.class, () -> WsServer.bind(
                KIT.system(), "127.0.0.1", 0, null, WsServer.HUB_SUBPROTOCOL, 1600, TransportSettings.defaults(),
                new TransportCounters(), (p, c) -> CompletableFuture.completedFuture(Optional.empty())));
        assertTrue(server.getMessage().contains("allow-plain-ws"), server.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WsClient.opener(KIT.system(),
                URI.create("http://127.0.0.1:1/hub"), WsServer.HUB_SUBPROTOCOL, null, Duration.ofSeconds(1), 1600,
                PLAIN_ALLOWED, new TransportCounters()));
    }

    @Test
    void withTheFlagAPlainWsHandshakeCompletes() throws Exception {
        TestProbe<ConnectionEvent> serverEvents = KIT.createTestProbe();
        WsServer.Binding binding = WsServer.bind(KIT.system(), "127.0.0.1", 0, null, WsServer.HUB_SUBPROTOCOL, 1600,
                PLAIN_ALLOWED, new TransportCounters(), (p, c) -> {
                    ActorRef<Connection.Command> conn = KIT.spawn(Connection.accepting(LinkRole.HUB_FUNCTION,
                            new LocalIdentity(Vmac.parse("02:00:00:00:00:aa"), DeviceUuid.random()),
                            ConnectionSettings.defaults(), serverEvents.ref(), true));
                    return CompletableFuture.completedFuture(Optional.of(conn));
                }).toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            TestProbe<ConnectionEvent> events = KIT.createTestProbe();
            ActorRef<Connection.Command> client = KIT.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR,
                    new LocalIdentity(Vmac.parse("02:00:00:00:00:bb"), DeviceUuid.random()),
                    ConnectionSettings.defaults(), events.ref(), WsClient.opener(KIT.system(),
                            URI.create("ws://" + WsServer.authority(binding.localAddress()) + "/hub"),
                            WsServer.HUB_SUBPROTOCOL, null, Duration.ofSeconds(5), 1600, PLAIN_ALLOWED,
                            new TransportCounters())));
            client.tell(Connection.Start.INSTANCE);
            ConnectionEvent.AdmissionRequested asked = assertInstanceOf(ConnectionEvent.AdmissionRequested.class,
                    serverEvents.receiveMessage(Duration.ofSeconds(10)));
            asked.connection().tell(Connection.Admit.INSTANCE);
            assertInstanceOf(ConnectionEvent.Connected.class, events.receiveMessage(Duration.ofSeconds(10)));
        } finally {
            binding.terminate(Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
