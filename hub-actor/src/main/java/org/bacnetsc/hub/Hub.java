package org.bacnetsc.hub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.HubRewrite;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionError;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.HeartbeatCounters;
import org.bacnetsc.connection.PeerCertificate;
import org.bacnetsc.connection.ScConnectionState;

/**
 * The hub function (digest §10): a supervising actor with one accepting {@link Connection} child per hub WebSocket.
 * It admits peers (UUID first, then VMAC), routes their messages by header rewrite (unicast to the destination's
 * connection, broadcast to every other connected node, never back to the sender) and keeps the §15 status.
 */
public final class Hub {

    /** What the hub understands. */
    public sealed interface Command permits Accept, CertificateRejected, GetStatus, Shutdown, FromMember, Evict,
            WrappedEvent, ChildStopped, ShutdownTimeout {
    }

    /**
     * The TLS handshake refused a client certificate (no WebSocket came up): a failed connection request.
     *
     * @param error   TLS_CLIENT_CERTIFICATE_ERROR or TLS_CLIENT_CERTIFICATE_EXPIRED
     * @param details the certificate's subject and why
     */
    public record CertificateRejected(ErrorCode error, String details) implements Command {
    }

    /**
     * A node-ready frame from another cluster member: for one local node, or (destination null) for every local node.
     *
     * @param destination the local node's VMAC, or null for a broadcast
     * @param frame       the frame, already rewritten for the node
     * @param sentAtMillis when the other member sent it (wall clock), for the forward latency
     */
    public record FromMember(Vmac destination, ByteString frame, long sentAtMillis) implements Command {
    }

    /**
     * Close the local connection of {@code vmac}/{@code uuid}: another member's claim won (clustered hub).
     *
     * @param vmac   the VMAC
     * @param uuid   the Device UUID
     * @param reason why, for the log
     */
    public record Evict(Vmac vmac, org.bacnetsc.codec.DeviceUuid uuid, String reason) implements Command {
    }

    /**
     * A WebSocket was upgraded (TLS ok, right subprotocol): create its connection, or refuse when full.
     *
     * @param peerAddress     host:port of the peer
     * @param peerCertificate the peer's certificate, or null
     * @param replyTo         gets the connection, or empty to refuse with HTTP 503
     */
    public record Accept(String peerAddress, PeerCertificate peerCertificate,
                         ActorRef<Optional<ActorRef<Connection.Command>>> replyTo) implements Command {
    }

    /**
     * Ask for the §15 status.
     *
     * @param replyTo who gets it
     */
    public record GetStatus(ActorRef<HubStatus> replyTo) implements Command {
    }

    /**
     * Disconnect every node gracefully (Disconnect-Request), then stop.
     *
     * @param replyTo told when every connection has ended (or the disconnect wait ran out)
     */
    public record Shutdown(ActorRef<Done> replyTo) implements Command {
    }

    private record WrappedEvent(ConnectionEvent event) implements Command {
    }

    private record ChildStopped(ActorRef<Connection.Command> child) implements Command {
    }

    private enum ShutdownTimeout implements Command {
        INSTANCE
    }

    /** What the hub knows about one child beyond the directory. */
    private static final class Info {
        final String peerAddress;
        final PeerCertificate certificate;
        Instant connectedAt;

        Info(String peerAddress, PeerCertificate certificate) {
            this.peerAddress = peerAddress;
            this.certificate = certificate;
        }
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final HubSettings settings;
    private final ConnectionSettings connectionSettings;
    private final HubDirectory directory;
    /** Plain unicasts from socket to socket, or null when {@code fast-path} is off. */
    private final FastRoutes fast;
    private final ActorRef<ConnectionEvent> events;
    private final Clock clock = Clock.systemUTC();
    private final Map<ActorRef<Connection.Command>, Info> children = new HashMap<>();
    private final Deque<HubStatus.Connection> ended = new ArrayDeque<>();
    private final Deque<HubStatus.FailedRequest> failed = new ArrayDeque<>();
    private long sequence;
    private long accepted;
    private long refusedCapacity;
    private long duplicateVmac;
    private long replaced;
    private long unicastRouted;
    private long broadcastRouted;
    private long deliveries;
    private long droppedUnknownVmac;
    private long droppedOversize;
    private long droppedUnconnected;
    private long droppedRecipientGone;
    private long forwardedOut;
    private long forwardedIn;
    private long evicted;
    private HeartbeatCounters heartbeats = HeartbeatCounters.ZERO;
    private final Map<String, Long> failuresByError = new java.util.TreeMap<>();
    private static final double[] LATENCY_BOUNDS_MS = {0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000};
    private final long[] latencyCounts = new long[LATENCY_BOUNDS_MS.length + 1];
    private double latencySumMillis;
    private long latencyCount;

    private Hub(ActorContext<Command> context, TimerScheduler<Command> timers, HubSettings settings,
                ConnectionSettings connectionSettings, HubDirectory directory) {
        this.context = context;
        context.setLoggerName(Hub.class);
        this.timers = timers;
        this.settings = settings;
        this.connectionSettings = connectionSettings;
        this.directory = directory;
        this.fast = settings.fastPath() ? new FastRoutes() : null;
        // a message's inbound credit is released once it is routed (onEvent), not as it leaves the mailbox: the
        // sender's socket takes its shortcut only while none of its frames waits, so frames keep their order
        this.events = context.messageAdapter(ConnectionEvent.class, WrappedEvent::new);
    }

    /**
     * The hub actor with a process-local directory.
     *
     * @param settings           the hub's settings
     * @param connectionSettings timers for its connections; Max-BVLC/NPDU come from {@code settings}
     */
    public static Behavior<Command> create(HubSettings settings, ConnectionSettings connectionSettings) {
        return create(settings, connectionSettings, new LocalHubDirectory());
    }

    /** The hub actor with a given directory (a cluster-wide one, later). */
    public static Behavior<Command> create(HubSettings settings, ConnectionSettings connectionSettings,
                                           HubDirectory directory) {
        preloadConnectionClasses();
        ConnectionSettings limits = new ConnectionSettings(connectionSettings.connectWaitTimeout(),
                connectionSettings.disconnectWaitTimeout(), connectionSettings.heartbeatTimeout(),
                connectionSettings.heartbeatAckTimeout(), settings.maxBvlcLength(), settings.maxNpduLength(),
                connectionSettings.hello(), connectionSettings.helloRequired());
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new Hub(ctx, timers, settings, limits, directory).running()));
    }

    private Behavior<Command> running() {
        return Behaviors.receive(Command.class)
                .onMessage(WrappedEvent.class, m -> onEvent(m.event()))
                .onMessage(FromMember.class, this::onFromMember)
                .onMessage(Evict.class, this::onEvict)
                .onMessage(Accept.class, this::onAccept)
                .onMessage(CertificateRejected.class, this::onCertificateRejected)
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessage(ChildStopped.class, m -> onChildStopped(m.child()))
                .onMessage(Shutdown.class, this::onShutdown)
                .build();
    }

    private Behavior<Command> stopping(ActorRef<Done> replyTo) {
        return Behaviors.receive(Command.class)
                .onMessage(WrappedEvent.class, m -> onEvent(m.event()))
                .onMessage(Accept.class, m -> refuse(m))
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessage(ChildStopped.class, m -> onChildStoppedWhileStopping(m.child(), replyTo))
                .onMessageEquals(ShutdownTimeout.INSTANCE, () -> finishShutdown(replyTo))
                .onMessage(Shutdown.class, m -> Behaviors.same())
                .build();
    }

    // ------------------------------------------------------------------------------------------------ admission

    private Behavior<Command> onAccept(Accept m) {
        if (children.size() >= settings.maxConnections()) {
            refusedCapacity++;
            context.getLog().warn("refusing hub connection from {}: {} connections (max-connections)",
                    m.peerAddress(), children.size());
            return refuse(m);
        }
        ActorRef<Connection.Command> child = context.spawn(Connection.accepting(LinkRole.HUB_FUNCTION,
                settings.identity(), connectionSettings, events, settings.acceptOwnOriginatingVmac()),
                "connection-" + (++sequence));
        context.watchWith(child, new ChildStopped(child));
        children.put(child, new Info(m.peerAddress(), m.peerCertificate()));
        accepted++;
        m.replyTo().tell(Optional.of(child));
        return Behaviors.same();
    }

    private Behavior<Command> onCertificateRejected(CertificateRejected m) {
        remember(failed, new HubStatus.FailedRequest(clock.instant(), "unknown (refused in the TLS handshake)", null,
                null, ConnectionError.communication(m.error(), m.details())));
        failuresByError.merge(m.error().name(), 1L, Long::sum);
        return Behaviors.same();
    }

    private Behavior<Command> refuse(Accept m) {
        m.replyTo().tell(Optional.empty());
        return Behaviors.same();
    }

    private Behavior<Command> onEvent(ConnectionEvent event) {
        if (event instanceof ConnectionEvent.MessageReceived r) {
            try {
                route(r.connection(), r.message().destination(), r.frame());
            } finally {
                r.release().run();
            }
        } else if (event instanceof ConnectionEvent.AdmissionRequested a) {
            onAdmissionRequested(a);
        } else if (event instanceof ConnectionEvent.Connected c) {
            onConnected(c);
        } else if (event instanceof ConnectionEvent.Disconnected d) {
            onDisconnected(d);
        } else if (event instanceof ConnectionEvent.Heartbeat h) {
            heartbeats = heartbeats.plus(h);
        }
        return Behaviors.same();
    }

    private void onAdmissionRequested(ConnectionEvent.AdmissionRequested a) {
        HubDirectory.Admission admission = directory.admit(a.connection(), a.vmac(), a.deviceUuid());
        if (admission instanceof HubDirectory.Duplicate) {
            duplicateVmac++;
            context.getLog().info("refusing {} ({}) from {}: VMAC in use by another device", a.vmac(),
                    a.deviceUuid(), peerOf(a.connection()));
            a.connection().tell(new Connection.Reject(ErrorCode.NODE_DUPLICATE_VMAC,
                    "VMAC " + a.vmac() + " is in use by another device"));
            return;
        }
        a.connection().tell(Connection.Admit.INSTANCE);
        if (admission instanceof HubDirectory.Replace r) {
            replaced++;
            context.getLog().info("{} ({}) reconnected from {}; closing its previous connection", a.vmac(),
                    a.deviceUuid(), peerOf(a.connection()));
            r.previous().tell(Connection.Disconnect.INSTANCE);
        }
    }

    private void onConnected(ConnectionEvent.Connected c) {
        directory.connected(c.connection(), c.maxBvlcLength(), c.sink());
        if (fast != null && c.sink() != null) {
            fast.connected(c.peerVmac(), new FastRoutes.Target(c.sink(), c.maxBvlcLength()));
            c.sink().shortcut(fast.from(c.peerVmac()));
        }
        Info info = children.get(c.connection());
        if (info != null) {
            info.connectedAt = clock.instant();
        }
        context.getLog().info("connected {} ({}) from {}", c.peerVmac(), c.peerUuid(), peerOf(c.connection()));
    }

    private void onDisconnected(ConnectionEvent.Disconnected d) {
        HubDirectory.Entry entry = directory.entryOf(d.connection());
        leaveFastRoutes(entry);
        directory.remove(d.connection());
        Info info = children.remove(d.connection());
        String peer = d.peerAddress() != null ? d.peerAddress() : info == null ? "unknown" : info.peerAddress;
        Instant now = clock.instant();
        if (d.state() == ScConnectionState.FAILED_TO_CONNECT) {
            remember(failed, new HubStatus.FailedRequest(now, peer, d.peerVmac(), d.peerUuid(), d.error()));
            failuresByError.merge(d.error() == null ? "UNKNOWN" : d.error().errorCode().name(), 1L, Long::sum);
            context.getLog().info("failed connection request from {}{}: {}", peer,
                    d.peerVmac() == null ? "" : " (" + d.peerVmac() + ")", d.error());
        } else {
            context.getLog().info("disconnected {} ({}) from {}: {}{}", d.peerVmac(), d.peerUuid(), peer, d.state(),
                    d.error() == null ? "" : " " + d.error());
        }
        remember(ended, new HubStatus.Connection(d.state(), d.connectTimestamp(), now, peer,
                entry == null ? d.peerVmac() : entry.vmac(), d.peerUuid(), d.error(),
                info == null ? null : info.certificate));
    }

    private <T> void remember(Deque<T> list, T item) {
        if (settings.failedRequestsKept() == 0) {
            return;
        }
        while (list.size() >= settings.failedRequestsKept()) {
            list.removeFirst();
        }
        list.addLast(item);
    }

    private Behavior<Command> onChildStopped(ActorRef<Connection.Command> child) {
        if (children.remove(child) != null) {
            leaveFastRoutes(directory.entryOf(child));
            directory.remove(child);
        }
        return Behaviors.same();
    }

    private void leaveFastRoutes(HubDirectory.Entry entry) {
        if (fast != null && entry != null && entry.sink() != null) {
            fast.gone(entry.vmac(), entry.sink());
        }
    }

    // ------------------------------------------------------------------------------------------------ routing

    private void route(ActorRef<Connection.Command> from, Vmac destination, ByteString frame) {
        HubDirectory.Entry sender = directory.entryOf(from);
        if (sender == null || !sender.connected() || destination == null) {
            droppedUnconnected++;
            return;
        }
        ByteString out = HubRewrite.toNode(frame, sender.vmac());
        if (destination.isBroadcast()) {
            broadcastRouted++;
            for (HubDirectory.Entry e : directory.connected()) {
                if (!e.connection().equals(from)) {
                    deliver(e, out);
                }
            }
            forwardedOut += directory.forwardBroadcast(out);
            return;
        }
        HubDirectory.Entry target = directory.lookup(destination);
        if (target == null && directory.forwardUnicast(destination, out)) {
            unicastRouted++;
            forwardedOut++;
            return;
        }
        if (target == null) {
            droppedUnknownVmac++;
            context.getLog().debug("dropping message from {} for unknown VMAC {}", sender.vmac(), destination);
            return;
        }
        unicastRouted++;
        deliver(target, out);
    }

    private Behavior<Command> onFromMember(FromMember m) {
        forwardedIn++;
        double millis = Math.max(0, System.currentTimeMillis() - m.sentAtMillis());
        int bucket = 0;
        while (bucket < LATENCY_BOUNDS_MS.length && millis > LATENCY_BOUNDS_MS[bucket]) {
            bucket++;
        }
        latencyCounts[bucket]++;
        latencySumMillis += millis;
        latencyCount++;
        if (m.destination() == null) {
            for (HubDirectory.Entry e : directory.connected()) {
                deliver(e, m.frame());
            }
            return Behaviors.same();
        }
        HubDirectory.Entry target = directory.lookup(m.destination());
        if (target == null) {
            droppedUnknownVmac++;
            context.getLog().debug("dropping a forwarded message for {}: not connected here (any more)",
                    m.destination());
        } else {
            deliver(target, m.frame());
        }
        return Behaviors.same();
    }

    private Behavior<Command> onEvict(Evict m) {
        for (Map.Entry<ActorRef<Connection.Command>, Info> c : children.entrySet()) {
            HubDirectory.Entry e = directory.entryOf(c.getKey());
            if (e != null && e.vmac().equals(m.vmac()) && e.uuid().equals(m.uuid())) {
                evicted++;
                context.getLog().info("disconnecting {} ({}) from {}: {}", m.vmac(), m.uuid(), c.getValue().peerAddress,
                        m.reason());
                c.getKey().tell(Connection.Disconnect.INSTANCE);
            }
        }
        return Behaviors.same();
    }

    private void deliver(HubDirectory.Entry to, ByteString frame) {
        if (frame.size() > to.maxBvlc()) {
            droppedOversize++;
            return;
        }
        if (to.sink() == null) {
            deliveries++;
            to.connection().tell(new Connection.Forward(frame));
            return;
        }
        // Straight to the recipient's socket: no message to its connection actor (the socket bounds and counts).
        switch (to.sink().offer(frame)) {
            case QUEUED -> deliveries++;
            case QUEUE_FULL -> { } // counted by the socket (transport queueDrops)
            case CLOSED -> droppedRecipientGone++;
            default -> throw new IllegalStateException("unknown offer outcome");
        }
    }

    // ------------------------------------------------------------------------------------------------ status

    private Behavior<Command> onGetStatus(GetStatus m) {
        List<HubStatus.Connection> list = new ArrayList<>();
        for (Map.Entry<ActorRef<Connection.Command>, Info> c : children.entrySet()) {
            HubDirectory.Entry e = directory.entryOf(c.getKey());
            if (e != null && e.connected()) {
                list.add(new HubStatus.Connection(ScConnectionState.CONNECTED, c.getValue().connectedAt, null,
                        c.getValue().peerAddress, e.vmac(), e.uuid(), null, c.getValue().certificate));
            }
        }
        list.addAll(ended);
        // what the fast path routed counts like what went through this actor
        long fastRouted = fast == null ? 0 : fast.unicastRouted.sum();
        long fastDelivered = fast == null ? 0 : fast.deliveries.sum();
        long fastOversize = fast == null ? 0 : fast.droppedOversize.sum();
        long fastGone = fast == null ? 0 : fast.droppedRecipientGone.sum();
        m.replyTo().tell(new HubStatus(list, List.copyOf(failed), new HubStatus.Counters(accepted, refusedCapacity,
                duplicateVmac, replaced, unicastRouted + fastRouted, broadcastRouted, deliveries + fastDelivered,
                droppedUnknownVmac, droppedOversize + fastOversize, droppedUnconnected, forwardedOut, forwardedIn,
                evicted, droppedRecipientGone + fastGone, heartbeats.silenceProbes(),
                heartbeats.silenceProbesAnswered()), Map.copyOf(failuresByError),
                new HubStatus.Latency(LATENCY_BOUNDS_MS.clone(), latencyCounts.clone(), latencySumMillis,
                        latencyCount)));
        return Behaviors.same();
    }

    private String peerOf(ActorRef<Connection.Command> connection) {
        Info info = children.get(connection);
        return info == null ? "unknown" : info.peerAddress;
    }

    // ------------------------------------------------------------------------------------------------ shutdown

    /**
     * Loads now the classes every connection's life and end use (its commands, events and socket commands): when the
     * process is out of file descriptors, a class loaded for the first time cannot be read from its jar or directory
     * (NoClassDefFoundError, which ends the JVM), e.g. at the first disconnect under a flood of connections
     * (DescriptorExhaustionTest).
     */
    private static void preloadConnectionClasses() {
        for (Class<?> c : java.util.List.of(Connection.class, ConnectionEvent.class,
                org.bacnetsc.connection.SocketCommand.class, Hub.class)) {
            c.getDeclaredClasses();
        }
    }

    private Behavior<Command> onShutdown(Shutdown m) {
        context.getLog().info("hub stopping: disconnecting {} connections", children.size());
        if (children.isEmpty()) {
            return finishShutdown(m.replyTo());
        }
        children.keySet().forEach(c -> c.tell(Connection.Disconnect.INSTANCE));
        timers.startSingleTimer(ShutdownTimeout.INSTANCE, ShutdownTimeout.INSTANCE,
                connectionSettings.disconnectWaitTimeout().plus(Duration.ofSeconds(1)));
        return stopping(m.replyTo());
    }

    private Behavior<Command> onChildStoppedWhileStopping(ActorRef<Connection.Command> child, ActorRef<Done> replyTo) {
        onChildStopped(child);
        return children.isEmpty() ? finishShutdown(replyTo) : Behaviors.same();
    }

    private Behavior<Command> finishShutdown(ActorRef<Done> replyTo) {
        replyTo.tell(Done.getInstance());
        return Behaviors.stopped();
    }
}
