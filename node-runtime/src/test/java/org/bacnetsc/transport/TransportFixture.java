package org.bacnetsc.transport;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.LocalIdentity;

/** A real wss server on 127.0.0.1 whose accepted connections are admitted and reported to a probe. */
final class TransportFixture implements AutoCloseable {

    static final LocalIdentity HUB = new LocalIdentity(Vmac.parse("02:aa:00:00:00:01"),
            DeviceUuid.parse("aaaaaaaa-0000-4000-8000-000000000001"));
    static final ConnectionSettings SETTINGS = ConnectionSettings.defaults();

    final ActorTestKit kit;
    final TestProbe<ConnectionEvent> serverEvents;
    final TransportCounters serverCounters = new TransportCounters();
    /** Client certificates the server refused: "CODE details". */
    final TestProbe<String> serverRejections;
    final WsServer.Binding binding;
    final URI uri;

    TransportFixture(ActorTestKit kit, TlsSettings serverTls, String subprotocol) throws Exception {
        this.kit = kit;
        this.serverEvents = kit.createTestProbe();
        this.serverRejections = kit.createTestProbe();
        ActorRef<ConnectionEvent> admitter = kit.spawn(autoAdmit(serverEvents.ref()));
        WsServer.Acceptor acceptor = new WsServer.Acceptor() {
            @Override
            public java.util.concurrent.CompletionStage<Optional<ActorRef<Connection.Command>>> accept(
                    String peer, org.bacnetsc.connection.PeerCertificate cert) {
                return CompletableFuture.completedFuture(Optional.of(kit.spawn(
                        Connection.accepting(LinkRole.HUB_FUNCTION, HUB, SETTINGS, admitter, true))));
            }

            @Override
            public void certificateRejected(org.bacnetsc.codec.ErrorCode error, String details) {
                serverRejections.ref().tell(error + " " + details);
            }
        };
        this.binding = WsServer.bind(kit.system(), "127.0.0.1", 0, serverTls, subprotocol,
                SETTINGS.maxBvlcLength(), new TransportSettings(64, false), serverCounters, acceptor)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        this.uri = URI.create("wss://" + WsServer.authority(binding.localAddress()) + "/hub");
    }

    private static Behavior<ConnectionEvent> autoAdmit(ActorRef<ConnectionEvent> report) {
        return Behaviors.receive(ConnectionEvent.class)
                .onMessage(ConnectionEvent.AdmissionRequested.class, m -> {
                    m.connection().tell(Connection.Admit.INSTANCE);
                    report.tell(m);
                    return Behaviors.same();
                })
                .onAnyMessage(m -> {
                    report.tell(m);
                    return Behaviors.same();
                })
                .build();
    }

    /** An initiating hub-connector connection from {@code identity} using {@code opener}. */
    ActorRef<Connection.Command> client(LocalIdentity identity, Connection.SocketOpener opener,
                                        TestProbe<ConnectionEvent> events) {
        ActorRef<Connection.Command> c = kit.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR, identity, SETTINGS,
                events.ref(), opener));
        c.tell(Connection.Start.INSTANCE);
        return c;
    }

    Connection.SocketOpener opener(TlsSettings tls, String subprotocol, TransportCounters counters) {
        return WsClient.opener(kit.system(), uri, subprotocol, tls, Duration.ofSeconds(5),
                SETTINGS.maxBvlcLength(), TransportSettings.defaults(), counters);
    }

    static Path tmp(Path dir, String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException,
            InterruptedException {
        binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
