package org.bacnetsc.node;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.bacnetsc.codec.BvlcFunction;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.ConnectionError;
import org.bacnetsc.connection.ConnectionEvent;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.connection.HeartbeatCounters;
import org.bacnetsc.connection.LocalIdentity;
import org.bacnetsc.connection.PeerCertificate;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.connection.SendResult;

/**
 * The node switch (digest §12): direct connections to other nodes, accepted on the node's {@code dc.bsc.bacnet.org}
 * binding or opened after resolving the peer's URIs through the hub (Address-Resolution), with a cache of
 * resolutions, per-node admission (UUID first, then VMAC), idle close and an opt-in auto-connect policy.
 *
 * <p>Its owner (the {@link Node}) learns which VMACs have a connected direct connection ({@link Up}/{@link Down}) and
 * sends unicasts for those here ({@link SendDirect}); everything else goes to the hub.
 */
public final class NodeSwitch {

    /** What the switch understands. */
    public sealed interface Command permits Accept, CertificateRejected, Resolve, ConnectDirect, DisconnectDirect, SendDirect, FromHub,
            UnicastSent, Bound, Restart, GetStatus, Stop, Wrapped, ChildStopped, ResolutionTimedOut, HubSendOutcome,
            ResolvedForConnect, AutoConnectResult, Tick {
    }

    /**
     * A direct-connect WebSocket was upgraded: create its accepting connection, or refuse (HTTP 503).
     *
     * @param peerAddress     host:port of the peer
     * @param peerCertificate its certificate
     * @param replyTo         gets the connection, or empty to refuse
     */
    public record Accept(String peerAddress, PeerCertificate peerCertificate,
                         ActorRef<Optional<ActorRef<Connection.Command>>> replyTo) implements Command {
    }

    /**
     * The direct-connect server's TLS handshake refused a client certificate: a failed connection request.
     *
     * @param error   TLS_CLIENT_CERTIFICATE_ERROR or TLS_CLIENT_CERTIFICATE_EXPIRED
     * @param details the certificate's subject and why
     */
    public record CertificateRejected(ErrorCode error, String details) implements Command {
    }

    /**
     * Resolve a VMAC to its direct-connect URIs (from the cache while fresh, else Address-Resolution via the hub).
     *
     * @param vmac    the peer
     * @param replyTo gets the {@link Resolution}
     */
    public record Resolve(Vmac vmac, ActorRef<Resolution> replyTo) implements Command {
    }

    /**
     * The outcome of a resolution.
     *
     * @param vmac      the peer
     * @param uris      its URIs; empty when it does not accept direct connections (NAK 45 or an empty ACK)
     * @param fromCache whether the cache answered
     * @param failure   why there is no answer (no hub connection, no ACK in time), or null
     */
    public record Resolution(Vmac vmac, List<URI> uris, boolean fromCache, String failure) {
        /** Copies the list. */
        public Resolution {
            uris = List.copyOf(uris);
        }
    }

    /**
     * Open a direct connection to a VMAC (resolving it first), trying its URIs in order.
     *
     * @param vmac    the peer
     * @param replyTo gets the {@link DirectResult}
     */
    public record ConnectDirect(Vmac vmac, ActorRef<DirectResult> replyTo) implements Command {
    }

    /**
     * The outcome of {@link ConnectDirect}.
     *
     * @param vmac    the peer
     * @param uri     the URI that connected, or null
     * @param failure why no direct connection came up, or null
     */
    public record DirectResult(Vmac vmac, URI uri, String failure) {
        /** Whether a direct connection to the peer is up. */
        public boolean connected() {
            return failure == null;
        }
    }

    /**
     * Close the direct connection(s) to a VMAC gracefully.
     *
     * @param vmac the peer
     */
    public record DisconnectDirect(Vmac vmac) implements Command {
    }

    /**
     * Send a unicast over the direct connection to its destination (the hub when that connection just ended).
     *
     * @param message hub-bound form: Destination = the peer, no Originating
     * @param replyTo the outcome
     */
    public record SendDirect(BvlcMessage message, ActorRef<SendResult> replyTo) implements Command {
    }

    /**
     * An Address-Resolution-ACK or a BVLC-Result for Address-Resolution arrived through the hub.
     *
     * @param message the message, with the sender as Originating VMAC
     */
    public record FromHub(BvlcMessage message) implements Command {
    }

    /**
     * A unicast to {@code vmac} went through the hub (input of the auto-connect policy).
     *
     * @param vmac the destination
     */
    public record UnicastSent(Vmac vmac) implements Command {
    }

    /**
     * The direct-connect server is bound; these URIs are published in Address-Resolution-ACK.
     *
     * @param acceptUris SC_Direct_Connect_Accept_URIs
     */
    public record Bound(List<URI> acceptUris) implements Command {
        /** Copies the list. */
        public Bound {
            acceptUris = List.copyOf(acceptUris);
        }
    }

    /**
     * The node continues with another identity (after the hub's NODE_DUPLICATE_VMAC): every direct connection ends.
     *
     * @param identity the new identity
     */
    public record Restart(LocalIdentity identity) implements Command {
    }

    /**
     * Ask for the status.
     *
     * @param replyTo who gets it
     */
    public record GetStatus(ActorRef<Status> replyTo) implements Command {
    }

    /**
     * Disconnect every direct connection gracefully and stop.
     *
     * @param replyTo told when done
     */
    public record Stop(ActorRef<Done> replyTo) implements Command {
    }

    private record Wrapped(ConnectionEvent event) implements Command {
    }

    private record ChildStopped(ActorRef<Connection.Command> child) implements Command {
    }

    private record ResolutionTimedOut(Vmac vmac, int messageId) implements Command {
    }

    private record HubSendOutcome(Vmac vmac, int messageId, SendResult result) implements Command {
    }

    private record ResolvedForConnect(Resolution resolution) implements Command {
    }

    private record AutoConnectResult(DirectResult result) implements Command {
    }

    private enum Tick implements Command {
        IDLE_SWEEP, RATE_WINDOW, STOP_TIMEOUT
    }

    /** What the switch tells its owner. */
    public sealed interface Event permits Up, Down, Received, Accepting {
    }

    /**
     * A direct connection to {@code vmac} is CONNECTED: unicasts to it go there.
     *
     * @param vmac the peer
     */
    public record Up(Vmac vmac) implements Event {
    }

    /**
     * No direct connection to {@code vmac} is left: unicasts to it go through the hub.
     *
     * @param vmac the peer
     */
    public record Down(Vmac vmac) implements Event {
    }

    /**
     * A message arrived on a direct connection.
     *
     * @param message the message with the peer's VMAC (from the handshake) as Originating VMAC
     * @param via     the connection, for answers
     */
    public record Received(BvlcMessage message, ActorRef<Connection.Command> via) implements Event {
    }

    /**
     * The node now accepts direct connections at these URIs.
     *
     * @param uris SC_Direct_Connect_Accept_URIs
     */
    public record Accepting(List<URI> uris) implements Event {
    }

    /**
     * The switch's status (digest §15).
     *
     * @param acceptEnable   SC_Direct_Connect_Accept_Enable
     * @param initiateEnable SC_Direct_Connect_Initiate_Enable
     * @param acceptUris     SC_Direct_Connect_Accept_URIs (empty until bound)
     * @param connections    SC_Direct_Connect_Connection_Status: live connections, then recently ended ones
     * @param failedRequests SC_Failed_Connection_Requests of the direct-connect server
     * @param counters       counters
     */
    public record Status(boolean acceptEnable, boolean initiateEnable, List<URI> acceptUris,
                         List<DirectConnectionStatus> connections, List<DirectConnectionStatus> failedRequests,
                         Counters counters) {
    }

    /**
     * The switch's counters.
     *
     * @param resolutionsSent      Address-Resolutions sent through the hub
     * @param resolutionsAnswered  Address-Resolution-ACKs received
     * @param resolutionNaks       NAKs received for Address-Resolution (cached as "no URIs")
     * @param resolutionTimeouts   resolutions without an answer in time
     * @param cacheHits            resolutions answered from the cache
     * @param connectsInitiated    direct connections we opened (one per URI tried)
     * @param connectsAccepted     direct connections accepted from peers
     * @param connectsFailed       connection attempts that did not reach CONNECTED
     * @param refusedCapacity      direct-connect upgrades refused at max-connections
     * @param duplicateVmacRefused Connect-Requests refused with NODE_DUPLICATE_VMAC
     * @param wrongVmacRefused     Connect-Accepts from another VMAC than the resolved one, refused
     * @param npdusSent            NPDUs sent on direct connections
     * @param npdusReceived        NPDUs received on direct connections
     * @param fallbacksToHub       unicasts for a direct connection that had just ended, sent through the hub
     * @param idleClosed           direct connections closed after the idle timeout
     * @param autoConnects         direct connections started by the auto-connect policy
     * @param heartbeats           Heartbeat-Requests of the direct connections (ours as initiator, silence probes as
     *                             acceptor) and how many were answered
     */
    public record Counters(long resolutionsSent, long resolutionsAnswered, long resolutionNaks,
                           long resolutionTimeouts, long cacheHits, long connectsInitiated, long connectsAccepted,
                           long connectsFailed, long refusedCapacity, long duplicateVmacRefused,
                           long wrongVmacRefused, long npdusSent, long npdusReceived, long fallbacksToHub,
                           long idleClosed, long autoConnects, HeartbeatCounters heartbeats) {
    }

    /** Idle sweeps without NPDUs after which a connection is idle (the sweep runs every idle-timeout / 4). */
    private static final int IDLE_SWEEPS = 4;
    private static final int ENDED_KEPT = 32;

    /** One live direct connection. */
    private static final class Peer {
        final boolean initiated;
        final URI uri;
        final Vmac expected;
        String peerAddress;
        Vmac vmac;
        DeviceUuid uuid;
        boolean connected;
        java.time.Instant connectedAt;
        int idleSweeps;
        boolean active;
        boolean duplicateVmac;
        String refusal;

        Peer(boolean initiated, URI uri, Vmac expected, String peerAddress) {
            this.initiated = initiated;
            this.uri = uri;
            this.expected = expected;
            this.peerAddress = peerAddress;
        }
    }

    private static final class PendingConnect {
        final List<ActorRef<DirectResult>> waiters = new ArrayList<>();
        final Deque<URI> remaining = new ArrayDeque<>();
        ActorRef<Connection.Command> attempt;
        String lastError = "no URI tried";
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final DirectConnectSettings settings;
    private final ConnectionSettings connectionSettings;
    private final ActorRef<HubConnector.Command> connector;
    private final ActorRef<Event> owner;
    private final Function<URI, Connection.SocketOpener> openers;
    private final ActorRef<ConnectionEvent> events;
    private final ActorRef<Resolution> resolvedForConnect;
    private final ActorRef<DirectResult> autoConnectResults;
    private final Clock clock;
    private final AddressResolutions<ActorRef<Resolution>> resolutions;
    private final Map<ActorRef<Connection.Command>, Peer> peers = new LinkedHashMap<>();
    private final Map<Vmac, ActorRef<Connection.Command>> connectedByVmac = new HashMap<>();
    private final Map<DeviceUuid, ActorRef<Connection.Command>> acceptedByUuid = new HashMap<>();
    private final Map<Vmac, PendingConnect> connects = new HashMap<>();
    private final AutoConnectPolicy autoConnect;
    private final Deque<DirectConnectionStatus> ended = new ArrayDeque<>();
    private final Deque<DirectConnectionStatus> failedRequests = new ArrayDeque<>();
    private LocalIdentity identity;
    private List<URI> acceptUris = List.of();
    private long connectsInitiated;
    private long connectsAccepted;
    private long connectsFailed;
    private long refusedCapacity;
    private long duplicateVmacRefused;
    private long wrongVmacRefused;
    private long npdusSent;
    private long npdusReceived;
    private long fallbacksToHub;
    private long idleClosed;
    private long autoConnects;
    private HeartbeatCounters heartbeats = HeartbeatCounters.ZERO;

    private NodeSwitch(ActorContext<Command> context, TimerScheduler<Command> timers, DirectConnectSettings settings,
                       ConnectionSettings connectionSettings, LocalIdentity identity,
                       ActorRef<HubConnector.Command> connector, ActorRef<Event> owner,
                       Function<URI, Connection.SocketOpener> openers, Clock clock) {
        this.context = context;
        context.setLoggerName(NodeSwitch.class);
        this.timers = timers;
        this.settings = settings;
        this.connectionSettings = connectionSettings;
        this.identity = identity;
        this.connector = connector;
        this.owner = owner;
        this.openers = openers;
        this.clock = clock;
        this.autoConnect = new AutoConnectPolicy(settings.autoConnectRate(), settings.autoConnectWindow(),
                settings.cacheFreshness());
        this.resolutions = new AddressResolutions<>(settings.cacheFreshness(), new java.util.Random().nextInt());
        this.events = context.messageAdapter(ConnectionEvent.class, e -> new Wrapped(ConnectionEvent.taken(e)));
        this.resolvedForConnect = context.messageAdapter(Resolution.class, ResolvedForConnect::new);
        this.autoConnectResults = context.messageAdapter(DirectResult.class, AutoConnectResult::new);
    }

    /**
     * The node switch.
     *
     * @param settings           direct-connect settings
     * @param connectionSettings timers and limits of each direct connection
     * @param identity           our VMAC and Device UUID
     * @param connector          the hub connector, for Address-Resolution and fallbacks
     * @param owner              gets the {@link Event}s
     * @param openers            a direct-connect socket opener per URI
     * @param clock              the clock of cache freshness and status timestamps
     */
    public static Behavior<Command> create(DirectConnectSettings settings, ConnectionSettings connectionSettings,
                                           LocalIdentity identity, ActorRef<HubConnector.Command> connector,
                                           ActorRef<Event> owner, Function<URI, Connection.SocketOpener> openers,
                                           Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Duration sweep = settings.idleTimeout().dividedBy(IDLE_SWEEPS);
            timers.startTimerWithFixedDelay(Tick.IDLE_SWEEP, Tick.IDLE_SWEEP, sweep);
            if (settings.autoConnectRate() > 0 && settings.initiateEnable()) {
                timers.startTimerWithFixedDelay(Tick.RATE_WINDOW, Tick.RATE_WINDOW, settings.autoConnectWindow());
            }
            return new NodeSwitch(ctx, timers, settings, connectionSettings, identity, connector, owner, openers,
                    clock).running();
        }));
    }

    // ------------------------------------------------------------------------------------------------ states

    private Behavior<Command> running() {
        return Behaviors.receive(Command.class)
                .onMessage(SendDirect.class, this::onSendDirect)
                .onMessage(Wrapped.class, m -> onEvent(m.event()))
                .onMessage(UnicastSent.class, m -> onUnicastSent(m.vmac()))
                .onMessage(Accept.class, this::onAccept)
                .onMessage(CertificateRejected.class, this::onCertificateRejected)
                .onMessage(Resolve.class, m -> onResolve(m.vmac(), m.replyTo()))
                .onMessage(ConnectDirect.class, m -> onConnectDirect(m.vmac(), m.replyTo()))
                .onMessage(DisconnectDirect.class, m -> onDisconnectDirect(m.vmac()))
                .onMessage(FromHub.class, m -> onFromHub(m.message()))
                .onMessage(HubSendOutcome.class, this::onHubSendOutcome)
                .onMessage(ResolutionTimedOut.class, this::onResolutionTimedOut)
                .onMessage(ResolvedForConnect.class, m -> onResolvedForConnect(m.resolution()))
                .onMessage(AutoConnectResult.class, m -> onAutoConnectResult(m.result()))
                .onMessage(Bound.class, this::onBound)
                .onMessage(Restart.class, this::onRestart)
                .onMessage(ChildStopped.class, m -> onChildStopped(m.child()))
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessageEquals(Tick.IDLE_SWEEP, this::onIdleSweep)
                .onMessageEquals(Tick.RATE_WINDOW, this::onRateWindow)
                .onMessageEquals(Tick.STOP_TIMEOUT, Behaviors::same)
                .onMessage(Stop.class, this::onStop)
                .build();
    }

    private Behavior<Command> stopping(ActorRef<Done> replyTo) {
        return Behaviors.receive(Command.class)
                .onMessage(SendDirect.class, this::onSendDirect)
                .onMessage(Wrapped.class, m -> onEventWhileStopping(m.event(), replyTo))
                .onMessage(ChildStopped.class, m -> onChildStoppedWhileStopping(m.child(), replyTo))
                .onMessage(Accept.class, m -> refuseAccept(m))
                .onMessage(Resolve.class, m -> replyResolution(m.replyTo(), m.vmac(), List.of(), false,
                        "the node is stopping"))
                .onMessage(ConnectDirect.class, m -> reply(m.replyTo(), m.vmac(), "the node is stopping"))
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessageEquals(Tick.STOP_TIMEOUT, () -> finishStop(replyTo))
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    // ------------------------------------------------------------------------------------------------ sending

    private Behavior<Command> onSendDirect(SendDirect m) {
        ActorRef<Connection.Command> c = connectedByVmac.get(m.message().destination());
        if (c == null) {
            fallbacksToHub++;
            connector.tell(new HubConnector.Send(m.message(), true, m.replyTo()));
            return Behaviors.same();
        }
        Peer p = peers.get(c);
        if (p != null) {
            p.active = true;
        }
        npdusSent++;
        c.tell(new Connection.Send(m.message().withVmacs(null, null), true, m.replyTo()));
        return Behaviors.same();
    }

    // ------------------------------------------------------------------------------------------------ accepting

    private Behavior<Command> onBound(Bound m) {
        acceptUris = m.acceptUris();
        context.getLog().info("accepting direct connections at {}", acceptUris);
        owner.tell(new Accepting(acceptUris));
        return Behaviors.same();
    }

    private Behavior<Command> onAccept(Accept m) {
        if (!settings.acceptEnable()) {
            return refuseAccept(m);
        }
        long accepted = peers.values().stream().filter(p -> !p.initiated).count();
        if (accepted >= settings.maxConnections()) {
            refusedCapacity++;
            context.getLog().warn("refusing direct connection from {}: {} accepted (max-connections)",
                    m.peerAddress(), accepted);
            return refuseAccept(m);
        }
        ActorRef<Connection.Command> c = context.spawnAnonymous(Connection.accepting(LinkRole.DIRECT, identity,
                connectionSettings, events, false));
        context.watchWith(c, new ChildStopped(c));
        peers.put(c, new Peer(false, null, null, m.peerAddress()));
        connectsAccepted++;
        m.replyTo().tell(Optional.of(c));
        return Behaviors.same();
    }

    private Behavior<Command> onCertificateRejected(CertificateRejected m) {
        connectsFailed++;
        remember(failedRequests, new DirectConnectionStatus(null, ScConnectionState.FAILED_TO_CONNECT, null,
                clock.instant(), null, null, null, ConnectionError.communication(m.error(), m.details()), false));
        return Behaviors.same();
    }

    private Behavior<Command> refuseAccept(Accept m) {
        m.replyTo().tell(Optional.empty());
        return Behaviors.same();
    }

    /**
     * Per-node admission (digest §9): UUID first, then VMAC. (Our own VMAC with another UUID is refused by the
     * connection itself.)
     */
    private void onAdmissionRequested(ConnectionEvent.AdmissionRequested a) {
        Peer p = peers.get(a.connection());
        if (p == null) {
            return;
        }
        String duplicate = null;
        ActorRef<Connection.Command> sameDevice = acceptedByUuid.get(a.deviceUuid());
        if (sameDevice == null || sameDevice.equals(a.connection())) {
            for (Map.Entry<ActorRef<Connection.Command>, Peer> e : peers.entrySet()) {
                Peer other = e.getValue();
                if (!e.getKey().equals(a.connection()) && a.vmac().equals(other.vmac) && other.uuid != null
                        && !other.uuid.equals(a.deviceUuid())) {
                    duplicate = "VMAC " + a.vmac() + " is in use by another device";
                    break;
                }
            }
        }
        if (duplicate != null) {
            context.getLog().info("refusing direct connection from {} ({}, {}): {}", p.peerAddress, a.vmac(),
                    a.deviceUuid(), duplicate);
            a.connection().tell(new Connection.Reject(ErrorCode.NODE_DUPLICATE_VMAC, duplicate));
            return;
        }
        p.vmac = a.vmac();
        p.uuid = a.deviceUuid();
        acceptedByUuid.put(a.deviceUuid(), a.connection());
        a.connection().tell(Connection.Admit.INSTANCE);
        if (sameDevice != null && !sameDevice.equals(a.connection())) {
            context.getLog().info("{} ({}) reconnected directly; closing its previous direct connection", a.vmac(),
                    a.deviceUuid());
            sameDevice.tell(Connection.Disconnect.INSTANCE);
        }
    }

    // ------------------------------------------------------------------------------------------------ resolving

    private Behavior<Command> onResolve(Vmac vmac, ActorRef<Resolution> replyTo) {
        if (vmac.isBroadcast() || vmac.isUnset() || vmac.equals(identity.vmac())) {
            return replyResolution(replyTo, vmac, List.of(), false, "VMAC " + vmac + " cannot be resolved");
        }
        Optional<List<URI>> cached = resolutions.cached(vmac, clock.instant());
        if (cached.isPresent()) {
            return replyResolution(replyTo, vmac, cached.get(), true, null);
        }
        resolutions.await(vmac, replyTo).ifPresent(id -> sendResolution(vmac, id));
        return Behaviors.same();
    }

    private void sendResolution(Vmac vmac, int id) {
        BvlcMessage request = BvlcMessage.of(id, null, vmac, new Payload.AddressResolution());
        context.ask(SendResult.class, connector, connectionSettings.connectWaitTimeout(),
                ref -> new HubConnector.Send(request, false, ref),
                (result, failure) -> new HubSendOutcome(vmac, id, result != null ? result
                        : new SendResult.Refused(SendResult.Reason.NOT_CONNECTED, "no answer from the hub")));
        timers.startSingleTimer(resolutionKey(vmac), new ResolutionTimedOut(vmac, id), settings.resolutionTimeout());
    }

    private static Object resolutionKey(Vmac vmac) {
        return "resolve-" + vmac;
    }

    private Behavior<Command> onHubSendOutcome(HubSendOutcome m) {
        if (m.result() instanceof SendResult.Refused refused) {
            resolutions.notSent(m.vmac(), m.messageId(), "Address-Resolution not sent: " + refused.reason() + " ("
                    + refused.details() + ")").ifPresent(ended -> {
                        timers.cancel(resolutionKey(m.vmac()));
                        completeResolution(ended);
                    });
        }
        return Behaviors.same();
    }

    private Behavior<Command> onResolutionTimedOut(ResolutionTimedOut m) {
        resolutions.timedOut(m.vmac(), m.messageId(), "no Address-Resolution-ACK within "
                + settings.resolutionTimeout().toMillis() + " ms").ifPresent(ended -> {
                    context.getLog().info("no Address-Resolution-ACK from {} within {}", m.vmac(),
                            settings.resolutionTimeout());
                    completeResolution(ended);
                });
        return Behaviors.same();
    }

    private Behavior<Command> onFromHub(BvlcMessage m) {
        resolutions.answer(m, clock.instant()).ifPresent(this::onResolutionAnswer);
        return Behaviors.same();
    }

    private void onResolutionAnswer(AddressResolutions.Answer<ActorRef<Resolution>> a) {
        Vmac from = a.ended().vmac();
        for (String s : a.ignoredUris()) {
            context.getLog().info("ignoring URI \"{}\" in the Address-Resolution-ACK of {}: not a ws(s) URI", s,
                    from);
        }
        if (a.nak()) {
            context.getLog().debug("{} does not accept direct connections (NAK)", from);
        }
        if (a.answeredId() != a.sentId()) {
            context.getLog().debug("answer from {} carries Message ID {}, we sent {}; accepted (one resolution per "
                    + "peer is outstanding)", from, a.answeredId(), a.sentId());
        }
        timers.cancel(resolutionKey(from));
        completeResolution(a.ended());
    }

    private void completeResolution(AddressResolutions.Ended<ActorRef<Resolution>> ended) {
        for (ActorRef<Resolution> w : ended.waiters()) {
            w.tell(new Resolution(ended.vmac(), ended.uris(), false, ended.failure()));
        }
    }

    private Behavior<Command> replyResolution(ActorRef<Resolution> to, Vmac vmac, List<URI> uris, boolean cached,
                                              String failure) {
        to.tell(new Resolution(vmac, uris, cached, failure));
        return Behaviors.same();
    }

    // ------------------------------------------------------------------------------------------------ connecting

    private Behavior<Command> onConnectDirect(Vmac vmac, ActorRef<DirectResult> replyTo) {
        if (!settings.initiateEnable()) {
            return reply(replyTo, vmac, "initiating direct connections is disabled "
                    + "(bacnet-sc.node.direct-connect.initiate-enable)");
        }
        ActorRef<Connection.Command> up = connectedByVmac.get(vmac);
        if (up != null) {
            Peer p = peers.get(up);
            replyTo.tell(new DirectResult(vmac, p == null ? null : p.uri, null));
            return Behaviors.same();
        }
        PendingConnect pending = connects.get(vmac);
        if (pending == null) {
            pending = new PendingConnect();
            connects.put(vmac, pending);
            pending.waiters.add(replyTo);
            return onResolve(vmac, resolvedForConnect);
        }
        pending.waiters.add(replyTo);
        return Behaviors.same();
    }

    private Behavior<Command> reply(ActorRef<DirectResult> to, Vmac vmac, String failure) {
        to.tell(new DirectResult(vmac, null, failure));
        return Behaviors.same();
    }

    private Behavior<Command> onResolvedForConnect(Resolution r) {
        PendingConnect pending = connects.get(r.vmac());
        if (pending == null || pending.attempt != null) {
            return Behaviors.same();
        }
        if (r.failure() != null) {
            failConnect(r.vmac(), pending, r.failure());
        } else if (r.uris().isEmpty()) {
            failConnect(r.vmac(), pending, r.vmac() + " does not accept direct connections");
        } else {
            pending.remaining.addAll(r.uris());
            tryNext(r.vmac(), pending);
        }
        return Behaviors.same();
    }

    private void tryNext(Vmac vmac, PendingConnect pending) {
        URI uri = pending.remaining.poll();
        if (uri == null) {
            // None of its URIs worked: resolve again next time.
            resolutions.forget(vmac);
            failConnect(vmac, pending, pending.lastError);
            return;
        }
        ActorRef<Connection.Command> c = context.spawnAnonymous(Connection.initiating(LinkRole.DIRECT, identity,
                connectionSettings, events, openers.apply(uri)));
        context.watchWith(c, new ChildStopped(c));
        peers.put(c, new Peer(true, uri, vmac, null));
        pending.attempt = c;
        connectsInitiated++;
        context.getLog().debug("connecting directly to {} at {}", vmac, uri);
        c.tell(Connection.Start.INSTANCE);
    }

    private void failConnect(Vmac vmac, PendingConnect pending, String why) {
        connects.remove(vmac);
        context.getLog().info("no direct connection to {}: {}", vmac, why);
        pending.waiters.forEach(w -> w.tell(new DirectResult(vmac, null, why)));
    }

    private Behavior<Command> onDisconnectDirect(Vmac vmac) {
        peers.forEach((c, p) -> {
            if (vmac.equals(p.vmac) || vmac.equals(p.expected)) {
                c.tell(Connection.Disconnect.INSTANCE);
            }
        });
        return Behaviors.same();
    }

    // ------------------------------------------------------------------------------------------------ connection events

    private Behavior<Command> onEvent(ConnectionEvent e) {
        if (e instanceof ConnectionEvent.MessageReceived r) {
            onMessage(r);
        } else if (e instanceof ConnectionEvent.AdmissionRequested a) {
            onAdmissionRequested(a);
        } else if (e instanceof ConnectionEvent.Connected c) {
            onConnected(c);
        } else if (e instanceof ConnectionEvent.DuplicateVmac d) {
            Peer p = peers.get(d.connection());
            if (p != null) {
                p.duplicateVmac = true;
                context.getLog().warn("{} refused our VMAC {} as a duplicate on a direct connection; dropping that "
                        + "connection and keeping our VMAC", p.expected, d.vmac());
            }
        } else if (e instanceof ConnectionEvent.Disconnected d) {
            onDisconnected(d.connection(), d.state(), d.error(), d.peerAddress());
        } else if (e instanceof ConnectionEvent.Heartbeat h) {
            heartbeats = heartbeats.plus(h);
        }
        return Behaviors.same();
    }

    private void onMessage(ConnectionEvent.MessageReceived r) {
        Peer p = peers.get(r.connection());
        if (p == null || !p.connected) {
            return;
        }
        if (r.message().function() == BvlcFunction.ENCAPSULATED_NPDU) {
            npdusReceived++;
            p.active = true;
        }
        owner.tell(new Received(r.message().withVmacs(p.vmac, null), r.connection()));
    }

    private void onConnected(ConnectionEvent.Connected c) {
        Peer p = peers.get(c.connection());
        if (p == null) {
            return;
        }
        if (p.initiated && !c.peerVmac().equals(p.expected)) {
            wrongVmacRefused++;
            p.refusal = "Connect-Accept carries VMAC " + c.peerVmac() + ", resolved " + p.expected;
            context.getLog().warn("direct connection to {} at {} refused: {}", p.expected, p.uri, p.refusal);
            c.connection().tell(Connection.Disconnect.INSTANCE);
            return;
        }
        p.vmac = c.peerVmac();
        p.uuid = c.peerUuid();
        p.connected = true;
        p.connectedAt = clock.instant();
        ActorRef<Connection.Command> previous = connectedByVmac.put(p.vmac, c.connection());
        context.getLog().info("direct connection {} {} ({}){}", p.initiated ? "to" : "from", p.vmac, p.uuid,
                p.initiated ? " at " + p.uri : " from " + p.peerAddress);
        if (previous == null) {
            owner.tell(new Up(p.vmac));
        }
        PendingConnect pending = connects.get(p.vmac);
        if (pending != null) {
            connects.remove(p.vmac);
            if (pending.attempt != null && !pending.attempt.equals(c.connection())) {
                // The peer connected to us while we were connecting to it: one connection is enough.
                pending.attempt.tell(Connection.Disconnect.INSTANCE);
            }
            pending.waiters.forEach(w -> w.tell(new DirectResult(p.vmac, p.uri, null)));
        }
    }

    private void onDisconnected(ActorRef<Connection.Command> c, ScConnectionState state, ConnectionError error,
                                String peerAddress) {
        Peer p = peers.remove(c);
        if (p == null) {
            return;
        }
        if (peerAddress != null) {
            p.peerAddress = peerAddress;
        }
        if (p.uuid != null && c.equals(acceptedByUuid.get(p.uuid))) {
            acceptedByUuid.remove(p.uuid);
        }
        ConnectionError shown = p.refusal != null
                ? ConnectionError.communication(ErrorCode.OTHER, p.refusal) : error;
        ScConnectionState shownState = p.refusal != null ? ScConnectionState.FAILED_TO_CONNECT : state;
        DirectConnectionStatus status = new DirectConnectionStatus(p.uri, shownState, p.connectedAt,
                clock.instant(), p.peerAddress, p.vmac != null ? p.vmac : p.expected, p.uuid, shown, p.initiated);
        remember(ended, status);
        if (!p.connected) {
            connectsFailed++;
            if (!p.initiated) {
                remember(failedRequests, status);
                if (error != null && error.errorCode() == ErrorCode.NODE_DUPLICATE_VMAC) {
                    duplicateVmacRefused++;
                }
            }
        }
        if (p.connected && c.equals(connectedByVmac.get(p.vmac))) {
            connectedByVmac.remove(p.vmac);
            ActorRef<Connection.Command> other = otherConnected(p.vmac, c);
            if (other != null) {
                connectedByVmac.put(p.vmac, other);
            } else {
                owner.tell(new Down(p.vmac));
                context.getLog().info("direct connection with {} ended: {}{}", p.vmac, state,
                        error == null ? "" : " " + error);
            }
        }
        if (p.initiated) {
            PendingConnect pending = connects.get(p.expected);
            if (pending != null && c.equals(pending.attempt)) {
                pending.attempt = null;
                if (p.duplicateVmac) {
                    failConnect(p.expected, pending, p.expected + " refused our VMAC " + identity.vmac()
                            + " (NODE_DUPLICATE_VMAC)");
                } else {
                    pending.lastError = p.uri + ": " + (shown == null ? shownState : shown);
                    tryNext(p.expected, pending);
                }
            }
        }
    }

    private ActorRef<Connection.Command> otherConnected(Vmac vmac, ActorRef<Connection.Command> except) {
        for (Map.Entry<ActorRef<Connection.Command>, Peer> e : peers.entrySet()) {
            if (!e.getKey().equals(except) && e.getValue().connected && vmac.equals(e.getValue().vmac)) {
                return e.getKey();
            }
        }
        return null;
    }

    private Behavior<Command> onChildStopped(ActorRef<Connection.Command> child) {
        if (peers.containsKey(child)) {
            onDisconnected(child, ScConnectionState.DISCONNECTED_WITH_ERRORS, null, null);
        }
        return Behaviors.same();
    }

    private <T> void remember(Deque<T> list, T item) {
        while (list.size() >= ENDED_KEPT) {
            list.removeFirst();
        }
        list.addLast(item);
    }

    // ------------------------------------------------------------------------------------------------ policies

    private Behavior<Command> onIdleSweep() {
        peers.forEach((c, p) -> {
            if (!p.connected) {
                return;
            }
            if (p.active) {
                p.active = false;
                p.idleSweeps = 0;
            } else if (++p.idleSweeps == IDLE_SWEEPS) {
                idleClosed++;
                context.getLog().info("closing the direct connection with {}: no NPDU for {}", p.vmac,
                        settings.idleTimeout());
                c.tell(Connection.Disconnect.INSTANCE);
            }
        });
        return Behaviors.same();
    }

    private Behavior<Command> onUnicastSent(Vmac vmac) {
        if (settings.autoConnectRate() <= 0 || !settings.initiateEnable()) {
            return Behaviors.same();
        }
        boolean busy = connectedByVmac.containsKey(vmac) || connects.containsKey(vmac);
        if (!autoConnect.unicastSent(vmac, busy, clock.instant())) {
            return Behaviors.same();
        }
        autoConnects++;
        context.getLog().info("{} receives more than {} unicasts/s: connecting directly", vmac,
                settings.autoConnectRate());
        return onConnectDirect(vmac, autoConnectResults);
    }

    private Behavior<Command> onAutoConnectResult(DirectResult r) {
        if (!r.connected()) {
            // Do not try again before a fresh resolution could say something new.
            autoConnect.failed(r.vmac(), clock.instant());
        }
        return Behaviors.same();
    }

    private Behavior<Command> onRateWindow() {
        autoConnect.windowEnded(clock.instant());
        return Behaviors.same();
    }

    // ------------------------------------------------------------------------------------------------ status

    private Behavior<Command> onGetStatus(GetStatus m) {
        List<DirectConnectionStatus> list = new ArrayList<>();
        peers.forEach((c, p) -> {
            if (p.connected) {
                list.add(new DirectConnectionStatus(p.uri, ScConnectionState.CONNECTED, p.connectedAt, null,
                        p.peerAddress, p.vmac, p.uuid, null, p.initiated));
            }
        });
        list.addAll(ended);
        m.replyTo().tell(new Status(settings.acceptEnable(), settings.initiateEnable(), acceptUris, list,
                List.copyOf(failedRequests), new Counters(resolutions.sent(), resolutions.answered(),
                resolutions.naks(), resolutions.timeouts(), resolutions.cacheHits(), connectsInitiated,
                connectsAccepted, connectsFailed, refusedCapacity, duplicateVmacRefused, wrongVmacRefused, npdusSent,
                npdusReceived, fallbacksToHub, idleClosed, autoConnects, heartbeats)));
        return Behaviors.same();
    }

    // ------------------------------------------------------------------------------------------------ restart, stop

    private Behavior<Command> onRestart(Restart m) {
        identity = m.identity();
        context.getLog().info("closing {} direct connections: the node continues as {}", peers.size(),
                identity.vmac());
        peers.keySet().forEach(c -> c.tell(Connection.Disconnect.INSTANCE));
        return Behaviors.same();
    }

    private Behavior<Command> onStop(Stop m) {
        timers.cancel(Tick.IDLE_SWEEP);
        timers.cancel(Tick.RATE_WINDOW);
        connects.forEach((vmac, pending) ->
                pending.waiters.forEach(w -> w.tell(new DirectResult(vmac, null, "the node is stopping"))));
        connects.clear();
        if (peers.isEmpty()) {
            return finishStop(m.replyTo());
        }
        peers.keySet().forEach(c -> c.tell(Connection.Disconnect.INSTANCE));
        timers.startSingleTimer(Tick.STOP_TIMEOUT, Tick.STOP_TIMEOUT,
                connectionSettings.disconnectWaitTimeout().plusSeconds(1));
        return stopping(m.replyTo());
    }

    private Behavior<Command> onEventWhileStopping(ConnectionEvent e, ActorRef<Done> replyTo) {
        if (e instanceof ConnectionEvent.Disconnected d) {
            onDisconnected(d.connection(), d.state(), d.error(), d.peerAddress());
        } else if (e instanceof ConnectionEvent.AdmissionRequested a) {
            a.connection().tell(new Connection.Reject(ErrorCode.OTHER, "the node is stopping"));
        }
        return peers.isEmpty() ? finishStop(replyTo) : Behaviors.same();
    }

    private Behavior<Command> onChildStoppedWhileStopping(ActorRef<Connection.Command> child,
                                                          ActorRef<Done> replyTo) {
        onChildStopped(child);
        return peers.isEmpty() ? finishStop(replyTo) : Behaviors.same();
    }

    private Behavior<Command> finishStop(ActorRef<Done> replyTo) {
        replyTo.tell(Done.getInstance());
        return Behaviors.stopped();
    }
}
