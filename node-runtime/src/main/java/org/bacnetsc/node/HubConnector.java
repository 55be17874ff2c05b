package org.bacnetsc.node;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.HeartbeatCounters;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.SendResult;

/**
 * The hub connector (digest §11): keeps one connection to the primary hub, or to the failover hub while the primary
 * is unreachable. Between rounds the reconnect delay starts at the minimum and doubles up to the maximum; while on
 * the failover it probes the primary each time the timer fires and moves back when it answers.
 */
public final class HubConnector {

    /** What the connector understands. */
    public sealed interface Command permits Send, GetStatus, Restart, Stop, Wrapped, Retry {
    }

    /**
     * Send a hub-bound message on the active hub connection.
     *
     * @param message      the message (Destination set, no Originating)
     * @param newMessageId whether to stamp a new Message ID
     * @param replyTo      the outcome
     */
    public record Send(BvlcMessage message, boolean newMessageId, ActorRef<SendResult> replyTo) implements Command {
    }

    /**
     * Ask for the connector's status.
     *
     * @param replyTo who gets it
     */
    public record GetStatus(ActorRef<Status> replyTo) implements Command {
    }

    /**
     * Drop every connection and start over with another identity (after NODE_DUPLICATE_VMAC).
     *
     * @param identity the new identity
     */
    public record Restart(LocalIdentity identity) implements Command {
    }

    /**
     * Disconnect gracefully and stop.
     *
     * @param replyTo told when done
     */
    public record Stop(ActorRef<org.apache.pekko.Done> replyTo) implements Command {
    }

    private record Wrapped(ConnectionEvent event) implements Command {
    }

    private enum Retry implements Command {
        INSTANCE
    }

    /** What the connector tells its owner. */
    public sealed interface Event permits StateChanged, Received, DuplicateVmac {
    }

    /**
     * SC_Hub_Connector_State changed.
     *
     * @param hubConnectionStatus 0 no hub connection, 1 connected to primary, 2 connected to failover
     */
    public record StateChanged(int hubConnectionStatus) implements Event {
    }

    /**
     * A message arrived from the hub.
     *
     * @param message the message
     * @param frame   its raw frame
     */
    public record Received(BvlcMessage message, ByteString frame) implements Event {
    }

    /** The hub refused our VMAC as a duplicate. */
    public enum DuplicateVmac implements Event {
        INSTANCE
    }

    /**
     * The connector's status.
     *
     * @param hubConnectorState 0/1/2 (SC_Hub_Connector_State)
     * @param primary           SC_Primary_Hub_Connection_Status
     * @param failover          SC_Failover_Hub_Connection_Status
     * @param reconnectDelay    the current reconnect delay
     * @param heartbeats        Heartbeat-Requests of all hub connections so far and how many were answered
     */
    public record Status(int hubConnectorState, HubConnectionStatus primary, HubConnectionStatus failover,
                         Duration reconnectDelay, HeartbeatCounters heartbeats) {
    }

    /**
     * The connector's settings.
     *
     * @param primary             SC_Primary_Hub_URI
     * @param failover            SC_Failover_Hub_URI, or null
     * @param minimumReconnect    SC_Minimum_Reconnect_Time
     * @param maximumReconnect    SC_Maximum_Reconnect_Time
     * @param connectionSettings  timers and limits of each connection
     */
    public record Settings(URI primary, URI failover, Duration minimumReconnect, Duration maximumReconnect,
                           ConnectionSettings connectionSettings) {
    }

    private enum Role { PRIMARY, FAILOVER }

    private static final Object RETRY_KEY = "retry";

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final Settings settings;
    private final ActorRef<Event> owner;
    private final Function<URI, Connection.SocketOpener> openers;
    private final ActorRef<ConnectionEvent> events;
    private final Clock clock = Clock.systemUTC();
    /** Hubs that NAKed our Hello (auto mode): connected to without it. */
    private final java.util.Set<URI> withoutHello = new java.util.HashSet<>();
    private LocalIdentity identity;
    private Duration delay;
    private int state;
    private HubConnectionStatus primaryStatus = HubConnectionStatus.NOT_CONNECTED;
    private HubConnectionStatus failoverStatus = HubConnectionStatus.NOT_CONNECTED;
    private long generation;
    private HeartbeatCounters heartbeats = HeartbeatCounters.ZERO;

    private HubConnector(ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings,
                         LocalIdentity identity, ActorRef<Event> owner, Function<URI, Connection.SocketOpener> openers) {
        this.context = context;
        context.setLoggerName(HubConnector.class);
        this.timers = timers;
        this.settings = settings;
        this.identity = identity;
        this.owner = owner;
        this.openers = openers;
        this.delay = settings.minimumReconnect();
        // (an adapter's function runs in this actor, like a handler)
        this.events = context.messageAdapter(ConnectionEvent.class, e -> {
            if (e instanceof ConnectionEvent.Heartbeat h) {
                heartbeats = heartbeats.plus(h);
            }
            return new Wrapped(ConnectionEvent.taken(e));
        });
    }

    /**
     * The connector; it starts with the primary hub at once.
     *
     * @param settings URIs, reconnect times and connection settings
     * @param identity our VMAC and Device UUID
     * @param owner    gets the {@link Event}s
     * @param openers  a socket opener per hub URI (the secure WebSocket client)
     */
    public static Behavior<Command> create(Settings settings, LocalIdentity identity, ActorRef<Event> owner,
                                           Function<URI, Connection.SocketOpener> openers) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new HubConnector(ctx, timers, settings, identity, owner, openers).connect(Role.PRIMARY)));
    }

    // ------------------------------------------------------------------------------------------------ states

    /** Trying {@code role}'s hub with no established connection. */
    private Behavior<Command> trying(Role role, ActorRef<Connection.Command> attempt) {
        return Behaviors.receive(Command.class)
                .onMessage(Wrapped.class, m -> onTryingEvent(role, attempt, m.event()))
                .onMessage(Send.class, this::refuse)
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessage(Restart.class, m -> onRestart(m, attempt, null))
                .onMessage(Stop.class, m -> onStop(m, attempt, null))
                .onMessageEquals(Retry.INSTANCE, Behaviors::same)
                .build();
    }

    /** Waiting out the reconnect delay before the next round. */
    private Behavior<Command> waiting() {
        return Behaviors.receive(Command.class)
                .onMessageEquals(Retry.INSTANCE, () -> connect(Role.PRIMARY))
                .onMessage(Wrapped.class, m -> Behaviors.same())
                .onMessage(Send.class, this::refuse)
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessage(Restart.class, m -> onRestart(m, null, null))
                .onMessage(Stop.class, m -> onStop(m, null, null))
                .build();
    }

    /** Connected to {@code role}'s hub; on the failover, {@code probe} is a pending attempt at the primary. */
    private Behavior<Command> connected(Role role, ActorRef<Connection.Command> active,
                                        ActorRef<Connection.Command> probe) {
        return Behaviors.receive(Command.class)
                .onMessage(Wrapped.class, m -> onConnectedEvent(role, active, probe, m.event()))
                .onMessage(Send.class, m -> onSend(active, m))
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessageEquals(Retry.INSTANCE, () -> onProbeDue(role, active, probe))
                .onMessage(Restart.class, m -> onRestart(m, active, probe))
                .onMessage(Stop.class, m -> onStop(m, active, probe))
                .build();
    }

    // ------------------------------------------------------------------------------------------------ handlers

    private Behavior<Command> connect(Role role) {
        return trying(role, spawn(role));
    }

    private ActorRef<Connection.Command> spawn(Role role) {
        URI uri = role == Role.PRIMARY ? settings.primary() : settings.failover();
        org.bacnetsc.connection.ConnectionSettings cs = settings.connectionSettings();
        if (withoutHello.contains(uri)) {
            cs = cs.withHello(org.bacnetsc.connection.ConnectionSettings.Hello.OFF, cs.helloRequired());
        }
        ActorRef<Connection.Command> c = context.spawn(Connection.initiating(LinkRole.HUB_CONNECTOR, identity,
                cs, events, openers.apply(uri)),
                role.name().toLowerCase() + "-" + (++generation));
        c.tell(Connection.Start.INSTANCE);
        return c;
    }

    private Behavior<Command> onTryingEvent(Role role, ActorRef<Connection.Command> attempt, ConnectionEvent e) {
        if (!e.connection().equals(attempt)) {
            return Behaviors.same();
        }
        if (e instanceof ConnectionEvent.Connected) {
            record(role, s -> s.connected(clock.instant()));
            delay = settings.minimumReconnect();
            context.getLog().info("connected to the {} hub {}", role.name().toLowerCase(), uri(role));
            return enterConnected(role, attempt);
        }
        if (e instanceof ConnectionEvent.DuplicateVmac) {
            owner.tell(DuplicateVmac.INSTANCE);
            return Behaviors.same();
        }
        if (e instanceof ConnectionEvent.Disconnected d) {
            record(role, s -> s.ended(d.state(), clock.instant(), d.error()));
            URI uri = uri(role);
            if (refusedHello(d) && !withoutHello.contains(uri)) {
                // a hub that NAKs our Connect-Request for its header option (bacnet-stack does): again at once,
                // without Hello, and so from now on for this URI
                withoutHello.add(uri);
                context.getLog().info("the {} hub {} refused the Connect-Request's Hello option ({}): connecting "
                        + "again without it, as from now on for this hub", role.name().toLowerCase(), uri, d.error());
                return connect(role);
            }
            context.getLog().info("could not connect to the {} hub {}: {}", role.name().toLowerCase(), uri(role),
                    d.error());
            if (role == Role.PRIMARY && settings.failover() != null) {
                return connect(Role.FAILOVER);
            }
            return scheduleRound();
        }
        return Behaviors.same();
    }

    /** Whether an attempt ended in a NAK of the Connect-Request's header option while we sent Hello in auto mode. */
    private boolean refusedHello(ConnectionEvent.Disconnected d) {
        org.bacnetsc.connection.ConnectionSettings cs = settings.connectionSettings();
        return cs.hello() == org.bacnetsc.connection.ConnectionSettings.Hello.AUTO
                && d.state() == org.bacnetsc.connection.ScConnectionState.FAILED_TO_CONNECT && d.error() != null
                && (d.error().errorCode() == org.bacnetsc.codec.ErrorCode.HEADER_ENCODING_ERROR
                    || d.error().errorCode() == org.bacnetsc.codec.ErrorCode.HEADER_NOT_UNDERSTOOD);
    }

    private Behavior<Command> scheduleRound() {
        timers.startSingleTimer(RETRY_KEY, Retry.INSTANCE, delay);
        context.getLog().debug("next round in {}", delay);
        doubleDelay();
        return waiting();
    }

    private void doubleDelay() {
        Duration next = delay.multipliedBy(2);
        delay = next.compareTo(settings.maximumReconnect()) > 0 ? settings.maximumReconnect() : next;
    }

    private Behavior<Command> enterConnected(Role role, ActorRef<Connection.Command> active) {
        changeState(role == Role.PRIMARY ? 1 : 2);
        if (role == Role.FAILOVER) {
            timers.startSingleTimer(RETRY_KEY, Retry.INSTANCE, delay);
        } else {
            timers.cancel(RETRY_KEY);
        }
        return connected(role, active, null);
    }

    private Behavior<Command> onConnectedEvent(Role role, ActorRef<Connection.Command> active,
                                               ActorRef<Connection.Command> probe, ConnectionEvent e) {
        if (e.connection().equals(active)) {
            if (e instanceof ConnectionEvent.MessageReceived r) {
                owner.tell(new Received(r.message(), r.frame()));
            } else if (e instanceof ConnectionEvent.Disconnected d) {
                record(role, s -> s.ended(d.state(), clock.instant(), d.error()));
                context.getLog().info("lost the {} hub {}: {} {}", role.name().toLowerCase(), uri(role), d.state(),
                        d.error() == null ? "" : d.error());
                changeState(0);
                timers.cancel(RETRY_KEY);
                if (probe != null) {
                    // The probe of the primary is already under way: let it be the next attempt.
                    return trying(Role.PRIMARY, probe);
                }
                return connect(Role.PRIMARY);
            }
            return Behaviors.same();
        }
        if (probe != null && e.connection().equals(probe)) {
            if (e instanceof ConnectionEvent.Connected) {
                record(Role.PRIMARY, s -> s.connected(clock.instant()));
                context.getLog().info("primary hub {} is back; moving over from the failover", settings.primary());
                active.tell(Connection.Disconnect.INSTANCE);
                record(Role.FAILOVER, s -> s.ended(org.bacnetsc.connection.ScConnectionState.NOT_CONNECTED,
                        clock.instant(), null));
                delay = settings.minimumReconnect();
                return enterConnected(Role.PRIMARY, probe);
            }
            if (e instanceof ConnectionEvent.Disconnected d) {
                record(Role.PRIMARY, s -> s.ended(d.state(), clock.instant(), d.error()));
                doubleDelay();
                timers.startSingleTimer(RETRY_KEY, Retry.INSTANCE, delay);
                return connected(role, active, null);
            }
            if (e instanceof ConnectionEvent.DuplicateVmac) {
                owner.tell(DuplicateVmac.INSTANCE);
            }
        }
        return Behaviors.same();
    }

    private Behavior<Command> onProbeDue(Role role, ActorRef<Connection.Command> active,
                                         ActorRef<Connection.Command> probe) {
        if (role != Role.FAILOVER || probe != null) {
            return Behaviors.same();
        }
        return connected(role, active, spawn(Role.PRIMARY));
    }

    private Behavior<Command> onSend(ActorRef<Connection.Command> active, Send m) {
        active.tell(new Connection.Send(m.message(), m.newMessageId(), m.replyTo()));
        return Behaviors.same();
    }

    private Behavior<Command> refuse(Send m) {
        m.replyTo().tell(new SendResult.Refused(SendResult.Reason.NOT_CONNECTED, "no hub connection"));
        return Behaviors.same();
    }

    private Behavior<Command> onGetStatus(GetStatus m) {
        m.replyTo().tell(new Status(state, primaryStatus, failoverStatus, delay, heartbeats));
        return Behaviors.same();
    }

    private Behavior<Command> onRestart(Restart m, ActorRef<Connection.Command> a, ActorRef<Connection.Command> b) {
        stopChild(a);
        stopChild(b);
        timers.cancel(RETRY_KEY);
        identity = m.identity();
        changeState(0);
        delay = settings.minimumReconnect();
        context.getLog().info("restarting hub connections as {}", identity.vmac());
        return connect(Role.PRIMARY);
    }

    private void stopChild(ActorRef<Connection.Command> c) {
        if (c != null) {
            context.stop(c);
        }
    }

    private Behavior<Command> onStop(Stop m, ActorRef<Connection.Command> active, ActorRef<Connection.Command> probe) {
        timers.cancel(RETRY_KEY);
        stopChild(probe);
        changeState(0);
        if (active == null) {
            m.replyTo().tell(org.apache.pekko.Done.getInstance());
            return Behaviors.stopped();
        }
        active.tell(Connection.Disconnect.INSTANCE);
        context.watchWith(active, Retry.INSTANCE);
        return stopping(m.replyTo());
    }

    /** Waiting for the last connection's graceful end (Retry doubles as its termination signal here). */
    private Behavior<Command> stopping(ActorRef<org.apache.pekko.Done> replyTo) {
        return Behaviors.receive(Command.class)
                .onMessageEquals(Retry.INSTANCE, () -> onStopped(replyTo))
                .onMessage(Send.class, this::refuse)
                .onMessage(GetStatus.class, this::onGetStatus)
                .onAnyMessage(x -> Behaviors.same())
                .build();
    }

    private Behavior<Command> onStopped(ActorRef<org.apache.pekko.Done> replyTo) {
        replyTo.tell(org.apache.pekko.Done.getInstance());
        return Behaviors.stopped();
    }

    private void changeState(int next) {
        if (next != state) {
            state = next;
            owner.tell(new StateChanged(next));
        }
    }

    private void record(Role role, java.util.function.UnaryOperator<HubConnectionStatus> f) {
        if (role == Role.PRIMARY) {
            primaryStatus = f.apply(primaryStatus);
        } else {
            failoverStatus = f.apply(failoverStatus);
        }
    }

    private URI uri(Role role) {
        return role == Role.PRIMARY ? settings.primary() : settings.failover();
    }
}
