package org.bacnetsc.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcFunction;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DecodeFailure;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;

/**
 * One BACnet/SC connection as a typed actor whose behaviors are the states of digest §9 (Figures AB-11/AB-12): Idle,
 * AwaitingWebSocket and AwaitingAccept on the initiating side, AwaitingRequest on the accepting side, then Connected
 * and Disconnecting on both.
 *
 * <p>The actor talks to its WebSocket through {@link SocketCommand} (out) and {@link SocketOpened},
 * {@link FrameReceived}, {@link SocketClosed}, {@link SocketFailed} (in), so it runs the same over the WebSocket
 * transport and over a TestProbe. It reports to its parent with {@link ConnectionEvent}s. A connection lives once:
 * when it returns to Idle it reports {@link ConnectionEvent.Disconnected} and stops; reconnecting is a new actor.
 *
 * <p>A parent takes each event through {@link ConnectionEvent#taken} (in its message adapter): that returns the
 * socket's inbound credit of a {@link ConnectionEvent.MessageReceived}, without which the socket stops reading after
 * {@code bacnet-sc.transport.inbound-queue-size} messages.
 */
public final class Connection {

    // ------------------------------------------------------------------------------------------------ protocol

    /** Everything a connection understands. */
    public sealed interface Command
            permits Start, SocketOpened, FrameReceived, SocketClosed, SocketFailed, Send, Forward, Disconnect,
            GetStatus, Admit, Reject, Timer {
    }

    /** Initiating side: open the WebSocket and run the handshake. */
    public enum Start implements Command {
        INSTANCE
    }

    /**
     * The WebSocket is up (initiating side: connected; accepting side: accepted with TLS and our subprotocol).
     *
     * @param socket          where frames and the close go
     * @param peerAddress     the peer's host:port
     * @param peerCertificate the peer's certificate, or null (plain ws in tests)
     * @param direct          the same socket's outbound end for other threads (routed frames, see
     *                        {@link ConnectionEvent.Connected#sink()})
     */
    public record SocketOpened(ActorRef<SocketCommand> socket, String peerAddress, PeerCertificate peerCertificate,
                               FrameSink direct) implements Command {

        /** A socket reached only through {@code socket}: its direct end tells it {@link SocketCommand.SendFrame}. */
        public SocketOpened(ActorRef<SocketCommand> socket, String peerAddress, PeerCertificate peerCertificate) {
            this(socket, peerAddress, peerCertificate, frame -> {
                socket.tell(new SocketCommand.SendFrame(frame));
                return FrameSink.Offer.QUEUED;
            });
        }
    }

    /**
     * One binary WebSocket message arrived.
     *
     * @param frame   the complete message
     * @param release the socket's inbound credit for it, run once the message has left our mailboxes: by the
     *                connection when it keeps the message, else passed on in {@link ConnectionEvent.MessageReceived}
     *                for the parent to run when it takes the message (so that a peer cannot fill mailboxes faster
     *                than they are emptied)
     */
    public record FrameReceived(ByteString frame, Runnable release) implements Command {
        /** Nothing to release: for a socket without inbound flow control. */
        public static final Runnable NO_CREDIT = () -> { };

        /** A frame from a socket without inbound flow control. */
        public FrameReceived(ByteString frame) {
            this(frame, NO_CREDIT);
        }
    }

    /**
     * The WebSocket was closed.
     *
     * @param code   the close status (1006 when the TCP connection was lost)
     * @param reason the close reason
     */
    public record SocketClosed(int code, String reason) implements Command {
    }

    /**
     * The WebSocket could not be opened or failed (TCP, TLS, HTTP or WebSocket error, digest §7).
     *
     * @param error   the status code for connection status
     * @param details what happened
     */
    public record SocketFailed(ErrorCode error, String details) implements Command {
    }

    /**
     * Send a message on this connection.
     *
     * @param message      the message; its VMAC fields must fit the link (digest §5)
     * @param newMessageId true to stamp the connection's next Message ID on it (a new request); false to keep its ID
     *                     (a response)
     * @param replyTo      gets {@link SendResult.Sent} or {@link SendResult.Refused}
     */
    public record Send(BvlcMessage message, boolean newMessageId, ActorRef<SendResult> replyTo) implements Command {
    }

    /**
     * Send a frame that is already encoded (a hub forwarding by header rewrite). No answer: a frame longer than the
     * peer's Max-BVLC, or one offered while not connected, is dropped and counted.
     *
     * @param frame the frame
     */
    public record Forward(ByteString frame) implements Command {
    }

    /** End the connection gracefully (Disconnect-Request, then close 1000). */
    public enum Disconnect implements Command {
        INSTANCE
    }

    /**
     * Ask for a {@link ConnectionStatus}.
     *
     * @param replyTo who gets it
     */
    public record GetStatus(ActorRef<ConnectionStatus> replyTo) implements Command {
    }

    /** Accepting side: the parent admits the peer of the pending Connect-Request. */
    public enum Admit implements Command {
        INSTANCE
    }

    /**
     * Accepting side: the parent refuses the pending Connect-Request; it is NAKed with this code and the connection
     * closes.
     *
     * @param code    the NAK's error code (NODE_DUPLICATE_VMAC for a VMAC in use)
     * @param details the NAK's error details
     */
    public record Reject(ErrorCode code, String details) implements Command {
    }

    /** Opens the WebSocket for an initiating connection; answers with {@link SocketOpened} or {@link SocketFailed}. */
    @FunctionalInterface
    public interface SocketOpener {
        /**
         * Starts opening; the outcome is told to {@code connection}.
         *
         * @param connection the connection that asks
         */
        void open(ActorRef<Command> connection);
    }

    private enum Timer implements Command {
        CONNECT_WAIT, DISCONNECT_WAIT, HEARTBEAT, HEARTBEAT_ACK, SILENCE
    }

    /** What is known about the other end. */
    private record Session(ActorRef<SocketCommand> socket, String peerAddress, PeerCertificate peerCertificate,
                           Vmac peerVmac, DeviceUuid peerUuid, int peerMaxBvlc, int peerMaxNpdu,
                           Instant connectedAt) {
        static final Session NONE = new Session(null, null, null, null, null, 0, 0, null);

        Session withPeer(Vmac vmac, DeviceUuid uuid, int maxBvlc, int maxNpdu, Instant at) {
            return new Session(socket, peerAddress, peerCertificate, vmac, uuid, maxBvlc, maxNpdu, at);
        }
    }

    /** The Connect-Request waiting for the parent's admission decision. */
    private record PendingRequest(int messageId, Payload.ConnectRequest request, boolean hello) {
    }

    // ------------------------------------------------------------------------------------------------ fields

    private static final int CLOSE_NORMAL = 1000;

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final ConnectionSettings settings;
    /** The acceptor's silence limit (twice the heartbeat timeout), once computed. */
    private Duration silence;
    /** Time for the liveness deadline ({@link System#nanoTime}, or a test's virtual time). */
    private final LongSupplier nanos;
    /** When the last valid message arrived, by {@link #nanos}. */
    private long lastReceived;
    /** Initiator: when the last frame was handed to the socket, by {@link #nanos} (the heartbeat's send rule). */
    private long lastSent;
    /** When the outstanding Heartbeat-Request (heartbeat or silence probe) went out, by {@link #nanos}. */
    private long heartbeatSentAt;
    private final LocalIdentity identity;
    /** The inbound credit of the frame being handled (see {@link FrameReceived#release()}). */
    private Runnable credit;
    private final LinkRole linkRole;
    private final ActorRef<ConnectionEvent> parent;
    private final SocketOpener opener;
    private final boolean acceptOwnOriginatingVmac;
    private final Clock clock = Clock.systemUTC();
    private final Set<String> deviationsLogged = new HashSet<>();

    // Bookkeeping of this one actor (only ever touched from its own thread).
    private int nextMessageId = ThreadLocalRandom.current().nextInt(0x10000);
    private ConnectionError lastError;
    private Instant disconnectedAt;
    private boolean socketClosed;
    private ActorRef<SocketCommand> openSocket;
    /** The socket's direct end as given to the parent in {@link ConnectionEvent.Connected}; closed on leaving. */
    private GatedSink direct;
    private long framesReceived;
    private long framesSent;
    private long malformed;
    private long naksSent;
    private long oversizeDropped;
    private long sendsRefused;
    private long unexpected;
    private HeartbeatCounters heartbeats = HeartbeatCounters.ZERO;
    private long peerHeartbeats;

    private Connection(ActorContext<Command> context, TimerScheduler<Command> timers, ConnectionSettings settings,
                       LocalIdentity identity, LinkRole linkRole, ActorRef<ConnectionEvent> parent,
                       SocketOpener opener, boolean acceptOwnOriginatingVmac, LongSupplier nanos) {
        this.nanos = nanos;
        this.context = context;
        context.setLoggerName(Connection.class);
        this.timers = timers;
        this.settings = settings;
        this.identity = identity;
        this.linkRole = linkRole;
        this.parent = parent;
        this.opener = opener;
        this.acceptOwnOriginatingVmac = acceptOwnOriginatingVmac;
    }

    /**
     * An initiating connection (hub connector or direct-connect initiator). It waits in Idle for {@link Start}.
     *
     * @param linkRole HUB_CONNECTOR or DIRECT
     * @param identity our VMAC and Device UUID for the Connect-Request
     * @param settings timers and limits
     * @param parent   gets the {@link ConnectionEvent}s
     * @param opener   opens the WebSocket
     */
    public static Behavior<Command> initiating(LinkRole linkRole, LocalIdentity identity, ConnectionSettings settings,
                                               ActorRef<ConnectionEvent> parent, SocketOpener opener) {
        if (linkRole == LinkRole.HUB_FUNCTION) {
            throw new IllegalArgumentException("the hub function accepts connections; it does not initiate them");
        }
        return initiating(linkRole, identity, settings, parent, opener, System::nanoTime);
    }

    /** {@link #initiating} reading time from {@code nanos} (tests on virtual time pass theirs). */
    static Behavior<Command> initiating(LinkRole linkRole, LocalIdentity identity, ConnectionSettings settings,
                                        ActorRef<ConnectionEvent> parent, SocketOpener opener, LongSupplier nanos) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new Connection(ctx, timers, settings, identity, linkRole, parent, opener, false, nanos).idle()));
    }

    /**
     * An accepting connection (hub function or node switch). It waits in Idle for {@link SocketOpened}.
     *
     * @param linkRole                 HUB_FUNCTION or DIRECT
     * @param identity                 our VMAC and Device UUID for the Connect-Accept
     * @param settings                 timers and limits
     * @param parent                   gets the {@link ConnectionEvent}s and decides admission
     * @param acceptOwnOriginatingVmac hub side: accept and strip an Originating VMAC equal to the peer's own VMAC on
     *                                 hub-bound frames (the bac-py deviation), logged once per connection
     */
    public static Behavior<Command> accepting(LinkRole linkRole, LocalIdentity identity, ConnectionSettings settings,
                                              ActorRef<ConnectionEvent> parent, boolean acceptOwnOriginatingVmac) {
        if (linkRole == LinkRole.HUB_CONNECTOR) {
            throw new IllegalArgumentException("a hub connector initiates connections; it does not accept them");
        }
        return accepting(linkRole, identity, settings, parent, acceptOwnOriginatingVmac, System::nanoTime);
    }

    /** {@link #accepting} reading time from {@code nanos} (tests on virtual time pass theirs). */
    static Behavior<Command> accepting(LinkRole linkRole, LocalIdentity identity, ConnectionSettings settings,
                                       ActorRef<ConnectionEvent> parent, boolean acceptOwnOriginatingVmac,
                                       LongSupplier nanos) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new Connection(ctx, timers, settings, identity, linkRole, parent, null, acceptOwnOriginatingVmac,
                        nanos).idle()));
    }

    private boolean initiator() {
        return opener != null;
    }

    // ------------------------------------------------------------------------------------------------ states

    private BehaviorBuilder<Command> common(ConnectionPhase phase, Session s) {
        return Behaviors.receive(Command.class)
                .onMessage(GetStatus.class, m -> onGetStatus(m, phase, s))
                .onMessage(Send.class, m -> refuse(m, SendResult.Reason.NOT_CONNECTED, "the connection is " + phase))
                .onMessage(Forward.class, m -> countRefused())
                .onSignal(PostStop.class, sig -> onPostStop());
    }

    private Behavior<Command> idle() {
        if (initiator()) {
            return common(ConnectionPhase.IDLE, Session.NONE)
                    .onMessageEquals(Start.INSTANCE, this::onStart)
                    .onMessageEquals(Disconnect.INSTANCE, () -> finish(Session.NONE, ScConnectionState.NOT_CONNECTED,
                            null, "disconnected before start"))
                    .build();
        }
        return common(ConnectionPhase.IDLE, Session.NONE)
                .onMessage(SocketOpened.class, this::onAccepted)
                .onMessageEquals(Disconnect.INSTANCE, () -> finish(Session.NONE, ScConnectionState.NOT_CONNECTED,
                        null, "disconnected before the WebSocket was accepted"))
                .build();
    }

    private Behavior<Command> awaitingWebSocket() {
        return common(ConnectionPhase.AWAITING_WEBSOCKET, Session.NONE)
                .onMessage(SocketOpened.class, this::onWebSocketUp)
                .onMessage(SocketFailed.class, m -> failToConnect(Session.NONE, m))
                .onMessage(SocketClosed.class, m -> failToConnect(Session.NONE, m))
                .onMessageEquals(Timer.CONNECT_WAIT, () -> failToConnect(Session.NONE, ErrorCode.TIMEOUT,
                        "no WebSocket within the connect wait of " + settings.connectWaitTimeout().toSeconds() + " s"))
                .onMessageEquals(Disconnect.INSTANCE, () -> finish(Session.NONE, ScConnectionState.NOT_CONNECTED,
                        null, "disconnected while opening the WebSocket"))
                .build();
    }

    private Behavior<Command> awaitingAccept(Session s, int requestId) {
        return common(ConnectionPhase.AWAITING_ACCEPT, s)
                .onMessage(FrameReceived.class, m -> onFrame(m, f -> onAwaitingAcceptFrame(s, requestId, f)))
                .onMessage(SocketFailed.class, m -> failToConnect(s, m))
                .onMessage(SocketClosed.class, m -> failToConnect(s, m))
                .onMessageEquals(Timer.CONNECT_WAIT, () -> failToConnect(s, ErrorCode.TIMEOUT,
                        "no Connect-Accept within the connect wait of " + settings.connectWaitTimeout().toSeconds()
                                + " s"))
                .onMessageEquals(Disconnect.INSTANCE, () -> finish(s, ScConnectionState.NOT_CONNECTED, null,
                        "disconnected while awaiting Connect-Accept"))
                .build();
    }

    private Behavior<Command> awaitingRequest(Session s, PendingRequest pending) {
        return common(ConnectionPhase.AWAITING_REQUEST, s)
                .onMessage(FrameReceived.class, m -> onFrame(m, f -> onAwaitingRequestFrame(s, pending, f)))
                .onMessageEquals(Admit.INSTANCE, () -> onAdmit(s, pending))
                .onMessage(Reject.class, m -> onReject(s, pending, m))
                .onMessage(SocketFailed.class, m -> failToConnect(s, m))
                .onMessage(SocketClosed.class, m -> failToConnect(s, m))
                .onMessageEquals(Timer.CONNECT_WAIT, () -> failToConnect(s, ErrorCode.TIMEOUT,
                        "no Connect-Request within the connect wait of " + settings.connectWaitTimeout().toSeconds()
                                + " s"))
                .onMessageEquals(Disconnect.INSTANCE, () -> finish(s, ScConnectionState.NOT_CONNECTED, null,
                        "disconnected while awaiting Connect-Request"))
                .build();
    }

    private Behavior<Command> connected(Session s, int heartbeatId) {
        return Behaviors.receive(Command.class)
                .onMessage(GetStatus.class, m -> onGetStatus(m, ConnectionPhase.CONNECTED, s))
                .onMessage(FrameReceived.class, m -> onFrame(m, f -> onConnectedFrame(s, heartbeatId, f)))
                .onMessage(Send.class, m -> onSend(s, m))
                .onMessage(Forward.class, m -> onForward(s, m))
                .onMessageEquals(Disconnect.INSTANCE, () -> onLocalDisconnect(s))
                .onMessageEquals(Timer.HEARTBEAT, () -> livenessDue(Timer.HEARTBEAT) ? onHeartbeatDue(s, heartbeatId)
                        : Behaviors.same())
                .onMessageEquals(Timer.HEARTBEAT_ACK, () -> onHeartbeatAckTimeout(s, heartbeatId))
                .onMessageEquals(Timer.SILENCE, () -> livenessDue(Timer.SILENCE) ? onSilence(s, heartbeatId)
                        : Behaviors.same())
                .onMessage(SocketClosed.class, m -> onConnectedSocketClosed(s, m))
                .onMessage(SocketFailed.class, m -> onConnectedSocketFailed(s, m))
                .onSignal(PostStop.class, sig -> onPostStop())
                .build();
    }

    private Behavior<Command> disconnecting(Session s, int requestId) {
        return common(ConnectionPhase.DISCONNECTING, s)
                .onMessage(FrameReceived.class, m -> onFrame(m, f -> onDisconnectingFrame(s, requestId, f)))
                .onMessageEquals(Timer.DISCONNECT_WAIT, () -> finish(s, ScConnectionState.NOT_CONNECTED,
                        null, "no Disconnect-ACK within " + settings.disconnectWaitTimeout().toSeconds() + " s"))
                .onMessageEquals(Disconnect.INSTANCE, Behaviors::same)
                .onMessage(SocketClosed.class, m -> onSocketGone(s, "WebSocket closed while disconnecting"))
                .onMessage(SocketFailed.class, m -> onSocketGone(s, "WebSocket failed while disconnecting"))
                .build();
    }

    // ------------------------------------------------------------------------------------------------ handlers

    private Behavior<Command> onStart() {
        timers.startSingleTimer(Timer.CONNECT_WAIT, Timer.CONNECT_WAIT, settings.connectWaitTimeout());
        opener.open(context.getSelf());
        return awaitingWebSocket();
    }

    private Behavior<Command> onWebSocketUp(SocketOpened opened) {
        Session s = session(opened);
        int id = nextId();
        // each wait starts before the frame it waits on leaves: whoever sees the frame sees the wait running
        timers.startSingleTimer(Timer.CONNECT_WAIT, Timer.CONNECT_WAIT, settings.connectWaitTimeout());
        send(s, new BvlcMessage(id, null, null, settings.sendsHello() ? List.of(HeaderOption.hello()) : List.of(),
                List.of(), new Payload.ConnectRequest(identity.vmac(), identity.deviceUuid(), settings.maxBvlcLength(),
                settings.maxNpduLength())));
        return awaitingAccept(s, id);
    }

    private Behavior<Command> onAccepted(SocketOpened opened) {
        timers.startSingleTimer(Timer.CONNECT_WAIT, Timer.CONNECT_WAIT, settings.connectWaitTimeout());
        return awaitingRequest(session(opened), null);
    }

    private Session session(SocketOpened opened) {
        openSocket = opened.socket();
        direct = new GatedSink(opened.direct() != null ? opened.direct() : frame -> {
            opened.socket().tell(new SocketCommand.SendFrame(frame));
            return FrameSink.Offer.QUEUED;
        }, nanos);
        return new Session(opened.socket(), opened.peerAddress(), opened.peerCertificate(), null, null, 0, 0, null);
    }

    private Behavior<Command> onAwaitingAcceptFrame(Session s, int requestId, ByteString frame) {
        BvlcMessage m = inspect(s, frame);
        if (m == null) {
            return Behaviors.same();
        }
        if (m.payload() instanceof Payload.ConnectAccept accept && m.messageId() == requestId) {
            timers.cancel(Timer.CONNECT_WAIT);
            restartLiveness();
            Session up = s.withPeer(accept.vmac(), accept.deviceUuid(), accept.maxBvlcLength(),
                    accept.maxNpduLength(), clock.instant());
            context.getLog().debug("connected to {} ({}) at {}", accept.vmac(), accept.deviceUuid(), s.peerAddress());
            parent.tell(new ConnectionEvent.Connected(context.getSelf(), up.peerVmac(), up.peerUuid(),
                    up.peerMaxBvlc(), up.peerMaxNpdu()));
            return connected(up, -1);
        }
        if (m.payload() instanceof Payload.BvlcResult r && r.isNak()
                && r.resultFor() == BvlcFunction.CONNECT_REQUEST.code() && m.messageId() == requestId) {
            return onConnectNak(s, r);
        }
        if (m.function() == BvlcFunction.DISCONNECT_REQUEST) {
            send(s, BvlcMessage.of(m.messageId(), Payload.DisconnectAck.INSTANCE));
            return failToConnect(s, ErrorCode.WEBSOCKET_CLOSED_BY_PEER, "peer sent Disconnect-Request instead of "
                    + "Connect-Accept");
        }
        unexpected++;
        context.getLog().debug("discarding {} (id {}) while awaiting Connect-Accept {}", m.function(),
                m.messageId(), requestId);
        return Behaviors.same();
    }

    private Behavior<Command> onConnectNak(Session s, Payload.BvlcResult r) {
        String details = "Connect-Request refused: error class " + r.errorClass() + " code " + r.errorCode()
                + (r.errorDetails().isEmpty() ? "" : " (" + r.errorDetails() + ")");
        if (isDuplicateVmacCode(r.errorCode())) {
            parent.tell(new ConnectionEvent.DuplicateVmac(context.getSelf(), identity.vmac()));
            return failToConnect(s, ErrorCode.NODE_DUPLICATE_VMAC, details);
        }
        return failToConnect(s, ErrorCode.find(r.errorCode()).orElse(ErrorCode.OTHER), details);
    }

    private boolean isDuplicateVmacCode(int code) {
        if (code == ErrorCode.NODE_DUPLICATE_VMAC.code()) {
            return true;
        }
        if (code == Integer.reverseBytes(ErrorCode.NODE_DUPLICATE_VMAC.code()) >>> 16) {
            deviation("le-error-code", "peer writes 16-bit fields little-endian (bacnet-stack); NAK code 0x9700 read"
                    + " as NODE_DUPLICATE_VMAC");
            return true;
        }
        if (code == 113) {
            deviation("bacpy-113", "peer NAKs a duplicate VMAC with code 113 (bac-py); read as NODE_DUPLICATE_VMAC");
            return true;
        }
        return false;
    }

    private Behavior<Command> onAwaitingRequestFrame(Session s, PendingRequest pending, ByteString frame) {
        BvlcMessage m = inspect(s, frame);
        if (m == null) {
            return Behaviors.same();
        }
        if (!(m.payload() instanceof Payload.ConnectRequest request) || pending != null) {
            unexpected++;
            context.getLog().debug("discarding {} (id {}) while awaiting Connect-Request", m.function(),
                    m.messageId());
            return Behaviors.same();
        }
        boolean hello = HeaderOption.hasHello(m.destinationOptions());
        PendingRequest next = new PendingRequest(m.messageId(), request, hello);
        Vmac vmac = request.vmac();
        if (!hello && settings.helloRequired()) {
            // a strict 135-2024 acceptor; the code is our reading [verify] (the standard's is not in our sources)
            return onReject(s, next, new Reject(ErrorCode.MISSING_REQUIRED_PARAMETER, "Connect-Request without the "
                    + "Hello header option (hello-required = on)"));
        }
        if (vmac.isBroadcast() || vmac.isUnset()) {
            return onReject(s, next, new Reject(ErrorCode.NODE_DUPLICATE_VMAC, "VMAC " + vmac
                    + " is not a node address"));
        }
        // Our own VMAC (with any UUID) or our own Device UUID: a peer posing as us, or a loop (Issue 14).
        if (vmac.equals(identity.vmac())) {
            return onReject(s, next, new Reject(ErrorCode.NODE_DUPLICATE_VMAC, "VMAC " + vmac
                    + " is the accepting peer's own"));
        }
        if (request.deviceUuid().equals(identity.deviceUuid())) {
            return onReject(s, next, new Reject(ErrorCode.NODE_DUPLICATE_VMAC, "Device UUID "
                    + request.deviceUuid() + " is the accepting peer's own"));
        }
        parent.tell(new ConnectionEvent.AdmissionRequested(context.getSelf(), vmac, request.deviceUuid(),
                request.maxBvlcLength(), request.maxNpduLength()));
        return awaitingRequest(s, next);
    }

    private Behavior<Command> onAdmit(Session s, PendingRequest pending) {
        if (pending == null) {
            return Behaviors.same();
        }
        timers.cancel(Timer.CONNECT_WAIT);
        // Connected from now: the liveness deadline counts from here, before anyone is told.
        restartLiveness();
        Payload.ConnectRequest r = pending.request();
        Session up = s.withPeer(r.vmac(), r.deviceUuid(), r.maxBvlcLength(), r.maxNpduLength(), clock.instant());
        // The parent learns first, so that it routes to this peer before the peer can know it is connected.
        parent.tell(new ConnectionEvent.Connected(context.getSelf(), up.peerVmac(), up.peerUuid(), up.peerMaxBvlc(),
                up.peerMaxNpdu(), direct));
        // Hello answers Hello: a peer that sent none may not know the option (bacnet-stack NAKs unknown types)
        send(s, new BvlcMessage(pending.messageId(), null, null, pending.hello() && settings.sendsHello()
                ? List.of(HeaderOption.hello()) : List.of(), List.of(), new Payload.ConnectAccept(identity.vmac(),
                identity.deviceUuid(), settings.maxBvlcLength(), settings.maxNpduLength())));
        return connected(up, -1);
    }

    private Behavior<Command> onReject(Session s, PendingRequest pending, Reject reject) {
        if (pending == null) {
            return Behaviors.same();
        }
        BvlcMessage request = BvlcMessage.of(pending.messageId(), pending.request());
        DecodeFailure.refuse(request, reject.code(), reject.details()).nak().ifPresent(nak -> {
            send(s, nak);
            naksSent++;
        });
        Payload.ConnectRequest r = pending.request();
        Session refused = s.withPeer(r.vmac(), r.deviceUuid(), r.maxBvlcLength(), r.maxNpduLength(), null);
        return finish(refused, ScConnectionState.FAILED_TO_CONNECT,
                ConnectionError.communication(reject.code(), reject.details()), "Connect-Request refused");
    }

    /**
     * A valid message arrived: the liveness deadline (heartbeat due on the initiator, silence limit on the acceptor)
     * is computed from now. Only the time is noted; the one timer, when it fires early, is started again for what is
     * left ({@link #livenessDue}). Restarting a timer for every frame queued a scheduler task per frame: under a flood
     * of valid frames hundreds of thousands waited for the scheduler's thread (9 MB per 380,000).
     */
    private void restartLiveness() {
        lastReceived = nanos.getAsLong();
        Timer key = initiator() ? Timer.HEARTBEAT : Timer.SILENCE;
        if (!timers.isTimerActive(key)) {
            timers.startSingleTimer(key, key, Duration.ofNanos(Math.max(0, livenessLeft(key, lastReceived))));
        }
    }

    /**
     * The liveness timer fired: true if its deadline has passed; otherwise the timer is started again for what is
     * left, and false.
     */
    private boolean livenessDue(Timer key) {
        long left = livenessLeft(key, nanos.getAsLong());
        if (left > 0) {
            timers.startSingleTimer(key, key, Duration.ofNanos(left));
            return false;
        }
        return true;
    }

    /**
     * Nanoseconds until the liveness deadline of {@code key} (zero or less: due). The initiator's heartbeat is due a
     * Heartbeat Timeout after the last frame received <em>or</em> the last frame sent, whichever is older: whatever
     * it receives, the accepting peer hears from it at least once per Heartbeat Timeout (a node that only listens is
     * otherwise closed by its hub after twice that). The acceptor's silence limit is twice the Heartbeat Timeout
     * after the last frame received.
     */
    private long livenessLeft(Timer key, long now) {
        long since = now - lastHeard(now);
        if (key == Timer.SILENCE) {
            return silenceTimeout().toNanos() - since;
        }
        return settings.heartbeatTimeout().toNanos() - Math.max(since, now - lastSent);
    }

    /** When the peer was last heard from: the last valid frame this actor or the parent's shortcut took. */
    private long lastHeard(long now) {
        if (direct != null) {
            // frames the parent's shortcut took past this actor count as received too
            java.util.OptionalLong shortcut = direct.lastShortcut();
            if (shortcut.isPresent() && now - shortcut.getAsLong() < now - lastReceived) {
                return shortcut.getAsLong();
            }
        }
        return lastReceived;
    }

    private Duration silenceTimeout() {
        // Computed once: Duration.multipliedBy goes through BigDecimal, and this runs for every received frame.
        if (silence == null) {
            silence = settings.heartbeatTimeout().multipliedBy(2);
        }
        return silence;
    }

    /**
     * Handles one received frame, then releases its inbound credit unless the handler passed the frame on to the
     * parent ({@link #takeCredit()}).
     */
    private Behavior<Command> onFrame(FrameReceived m,
                                      java.util.function.Function<ByteString, Behavior<Command>> handler) {
        credit = m.release();
        try {
            return handler.apply(m.frame());
        } finally {
            Runnable r = credit;
            credit = null;
            if (r != null) {
                r.run();
            }
        }
    }

    /** The current frame's inbound credit, now the parent's to release. */
    private Runnable takeCredit() {
        Runnable r = credit == null ? FrameReceived.NO_CREDIT : credit;
        credit = null;
        return r;
    }

    private Behavior<Command> onConnectedFrame(Session s, int heartbeatId, ByteString frame) {
        BvlcMessage m = inspect(s, frame);
        if (m == null) {
            return Behaviors.same();
        }
        restartLiveness();
        switch (m.function()) {
            case HEARTBEAT_REQUEST:
                peerHeartbeats++;
                send(s, BvlcMessage.of(m.messageId(), Payload.HeartbeatAck.INSTANCE));
                return Behaviors.same();
            case HEARTBEAT_ACK:
                return onHeartbeatAnswered(s, heartbeatId, m);
            case DISCONNECT_REQUEST:
                send(s, BvlcMessage.of(m.messageId(), Payload.DisconnectAck.INSTANCE));
                return finish(s, ScConnectionState.NOT_CONNECTED, null, "peer disconnected");
            case DISCONNECT_ACK:
                return finish(s, ScConnectionState.DISCONNECTED_WITH_ERRORS, ConnectionError.communication(
                        ErrorCode.OTHER, "unexpected Disconnect-ACK"), "unexpected Disconnect-ACK");
            case CONNECT_REQUEST:
            case CONNECT_ACCEPT:
                unexpected++;
                context.getLog().debug("discarding {} on an established connection", m.function());
                return Behaviors.same();
            case BVLC_RESULT:
                Payload.BvlcResult r = (Payload.BvlcResult) m.payload();
                if (r.resultFor() == BvlcFunction.HEARTBEAT_REQUEST.code()) {
                    return onHeartbeatAnswered(s, heartbeatId, m);
                }
                if (BvlcFunction.find(r.resultFor()).map(BvlcFunction::connectionScoped).orElse(false)) {
                    unexpected++;
                    return Behaviors.same();
                }
                parent.tell(new ConnectionEvent.MessageReceived(context.getSelf(), m, frame, takeCredit()));
                return Behaviors.same();
            default:
                parent.tell(new ConnectionEvent.MessageReceived(context.getSelf(), m, frame, takeCredit()));
                return Behaviors.same();
        }
    }

    /**
     * Accepting side: nothing received for twice the Heartbeat Timeout. A peer that heartbeats only when it receives
     * nothing (the literal AB.6.3 rule: bac-py, and our releases before the send rule) is silent while it only
     * listens, yet alive: it gets one Heartbeat-Request, and is closed only if nothing arrives within the
     * heartbeat-ACK timeout ({@link #onHeartbeatAckTimeout}). Our tolerant reading (docs/protocol.md, "Heartbeats").
     */
    private Behavior<Command> onSilence(Session s, int probeId) {
        if (probeId >= 0) {
            return Behaviors.same(); // a probe is out: its ACK timeout decides
        }
        deviation("silence-probe", "peer " + s.peerVmac() + " sent nothing for " + silenceTimeout().toSeconds()
                + " s (a peer that heartbeats only when it receives nothing); sent it a Heartbeat-Request instead of "
                + "closing");
        return sendHeartbeat(s, true);
    }

    /** Initiating side: the heartbeat is due (nothing received, or nothing sent, for the Heartbeat Timeout). */
    private Behavior<Command> onHeartbeatDue(Session s, int heartbeatId) {
        if (heartbeatId >= 0) {
            return Behaviors.same(); // one heartbeat outstanding at a time
        }
        return sendHeartbeat(s, false);
    }

    private Behavior<Command> sendHeartbeat(Session s, boolean probe) {
        int id = nextId();
        heartbeatSentAt = nanos.getAsLong();
        timers.startSingleTimer(Timer.HEARTBEAT_ACK, Timer.HEARTBEAT_ACK, settings.heartbeatAckTimeout());
        send(s, BvlcMessage.of(id, Payload.HeartbeatRequest.INSTANCE));
        countHeartbeat(probe, false);
        return connected(s, id);
    }

    private Behavior<Command> onHeartbeatAnswered(Session s, int heartbeatId, BvlcMessage answer) {
        if (heartbeatId < 0 || answer.messageId() != heartbeatId) {
            unexpected++;
            return Behaviors.same();
        }
        timers.cancel(Timer.HEARTBEAT_ACK);
        countHeartbeat(!initiator(), true);
        return connected(s, -1);
    }

    /**
     * No Heartbeat-ACK within the heartbeat-ACK timeout. The initiator disconnects (its heartbeat is what proves the
     * hub alive: other traffic does not stand in for the ACK). The acceptor keeps a peer from which anything arrived
     * since the probe, and closes one that stayed silent.
     */
    private Behavior<Command> onHeartbeatAckTimeout(Session s, int heartbeatId) {
        if (initiator()) {
            return finish(s, ScConnectionState.DISCONNECTED_WITH_ERRORS, ConnectionError.communication(
                    ErrorCode.TIMEOUT, "no Heartbeat-ACK within " + settings.heartbeatAckTimeout().toSeconds()
                            + " s"), "heartbeat unanswered");
        }
        long now = nanos.getAsLong();
        if (heartbeatId >= 0 && now - lastHeard(now) < now - heartbeatSentAt) {
            if (!timers.isTimerActive(Timer.SILENCE)) {
                timers.startSingleTimer(Timer.SILENCE, Timer.SILENCE,
                        Duration.ofNanos(Math.max(0, livenessLeft(Timer.SILENCE, now))));
            }
            countHeartbeat(true, true);
            return connected(s, -1);
        }
        return finish(s, ScConnectionState.DISCONNECTED_WITH_ERRORS, ConnectionError.communication(ErrorCode.TIMEOUT,
                "nothing received for " + silenceTimeout().toSeconds() + " s, nor within "
                        + settings.heartbeatAckTimeout().toSeconds() + " s of a Heartbeat-Request"), "peer silent");
    }

    private void countHeartbeat(boolean probe, boolean answered) {
        ConnectionEvent.Heartbeat e = new ConnectionEvent.Heartbeat(context.getSelf(), probe, answered);
        heartbeats = heartbeats.plus(e);
        parent.tell(e);
    }

    private Behavior<Command> onSend(Session s, Send cmd) {
        BvlcMessage m = cmd.newMessageId() ? cmd.message().withMessageId(nextId()) : cmd.message();
        if (m.function().connectionScoped()) {
            return refuse(cmd, SendResult.Reason.NOT_ALLOWED, m.function() + " is sent by the connection itself");
        }
        Optional<DecodeFailure> wrongVmacs = outboundRole().checkVmacs(m);
        if (wrongVmacs.isPresent()) {
            return refuse(cmd, SendResult.Reason.NOT_ALLOWED, wrongVmacs.get().details());
        }
        if (m.payload() instanceof Payload.EncapsulatedNpdu npdu && npdu.npdu().size() > s.peerMaxNpdu()) {
            return refuse(cmd, SendResult.Reason.TOO_LONG_FOR_PEER, "NPDU of " + npdu.npdu().size()
                    + " octets exceeds the peer's Max-NPDU of " + s.peerMaxNpdu());
        }
        ByteString frame = BvlcCodec.encode(m);
        if (frame.size() > s.peerMaxBvlc()) {
            return refuse(cmd, SendResult.Reason.TOO_LONG_FOR_PEER, "frame of " + frame.size()
                    + " octets exceeds the peer's Max-BVLC of " + s.peerMaxBvlc());
        }
        // The socket answers: Sent once the frame is queued, or QUEUE_FULL.
        noteSent();
        s.socket().tell(new SocketCommand.SendFrame(frame, cmd.replyTo()));
        return Behaviors.same();
    }

    /** The role of the receiving end, whose §5 rule an outbound message must satisfy. */
    private LinkRole outboundRole() {
        return switch (linkRole) {
            case HUB_CONNECTOR -> LinkRole.HUB_FUNCTION;
            case HUB_FUNCTION -> LinkRole.HUB_CONNECTOR;
            case DIRECT -> LinkRole.DIRECT;
        };
    }

    private Behavior<Command> onForward(Session s, Forward cmd) {
        if (cmd.frame().size() > s.peerMaxBvlc()) {
            sendsRefused++;
            context.getLog().debug("dropping forwarded frame of {} octets: peer {} accepts {}", cmd.frame().size(),
                    s.peerVmac(), s.peerMaxBvlc());
            return Behaviors.same();
        }
        sendFrame(s, cmd.frame());
        return Behaviors.same();
    }

    private Behavior<Command> onLocalDisconnect(Session s) {
        closeDirect();
        timers.cancel(Timer.HEARTBEAT);
        timers.cancel(Timer.HEARTBEAT_ACK);
        timers.cancel(Timer.SILENCE);
        int id = nextId();
        timers.startSingleTimer(Timer.DISCONNECT_WAIT, Timer.DISCONNECT_WAIT, settings.disconnectWaitTimeout());
        send(s, BvlcMessage.of(id, Payload.DisconnectRequest.INSTANCE));
        return disconnecting(s, id);
    }

    private Behavior<Command> onDisconnectingFrame(Session s, int requestId, ByteString frame) {
        BvlcMessage m = inspect(s, frame);
        if (m == null) {
            return Behaviors.same();
        }
        if (m.function() == BvlcFunction.DISCONNECT_ACK) {
            return finish(s, ScConnectionState.NOT_CONNECTED, null, "disconnected");
        }
        if (m.function() == BvlcFunction.DISCONNECT_REQUEST) {
            send(s, BvlcMessage.of(m.messageId(), Payload.DisconnectAck.INSTANCE));
            return finish(s, ScConnectionState.NOT_CONNECTED, null, "both ends disconnected");
        }
        if (m.payload() instanceof Payload.BvlcResult r) {
            if (r.resultFor() == BvlcFunction.DISCONNECT_REQUEST.code() && r.isNak()) {
                return finish(s, ScConnectionState.NOT_CONNECTED, null, "Disconnect-Request NAKed");
            }
            if (!BvlcFunction.find(r.resultFor()).map(BvlcFunction::connectionScoped).orElse(false)) {
                parent.tell(new ConnectionEvent.MessageReceived(context.getSelf(), m, frame, takeCredit()));
                return Behaviors.same();
            }
        }
        unexpected++;
        return Behaviors.same();
    }

    private Behavior<Command> onSocketGone(Session s, String why) {
        socketClosed = true;
        return finish(s, ScConnectionState.NOT_CONNECTED, null, why);
    }

    private Behavior<Command> onConnectedSocketFailed(Session s, SocketFailed failed) {
        socketClosed = true;
        return finish(s, ScConnectionState.DISCONNECTED_WITH_ERRORS,
                ConnectionError.communication(failed.error(), failed.details()), "WebSocket failed");
    }

    private Behavior<Command> onConnectedSocketClosed(Session s, SocketClosed closed) {
        socketClosed = true;
        ConnectionError error = ConnectionError.ofCloseStatus(closed.code(), closed.reason());
        ScConnectionState state = closed.code() == CLOSE_NORMAL ? ScConnectionState.NOT_CONNECTED
                : ScConnectionState.DISCONNECTED_WITH_ERRORS;
        return finish(s, state, error, "WebSocket closed by peer");
    }

    private Behavior<Command> onGetStatus(GetStatus m, ConnectionPhase phase, Session s) {
        m.replyTo().tell(new ConnectionStatus(phase, s.connectedAt(), disconnectedAt, s.peerAddress(),
                s.peerCertificate(), s.peerVmac(), s.peerUuid(), s.peerMaxBvlc(), s.peerMaxNpdu(), lastError,
                new ConnectionStatus.Counters(framesReceived + (direct == null ? 0 : direct.shortcutTaken()),
                        framesSent + (direct == null ? 0 : direct.sent()), malformed, naksSent, oversizeDropped,
                        sendsRefused, unexpected, heartbeats, peerHeartbeats)));
        return Behaviors.same();
    }

    private Behavior<Command> refuse(Send cmd, SendResult.Reason reason, String details) {
        sendsRefused++;
        cmd.replyTo().tell(new SendResult.Refused(reason, details));
        return Behaviors.same();
    }

    private Behavior<Command> countRefused() {
        sendsRefused++;
        return Behaviors.same();
    }

    private Behavior<Command> onPostStop() {
        closeDirect();
        if (openSocket != null && !socketClosed) {
            socketClosed = true;
            openSocket.tell(new SocketCommand.Close(1001, "connection stopped"));
        }
        return Behaviors.same();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Applies the inbound checks ({@link InboundCheck}). A frame that fails is answered with its NAK or dropped, and
     * counted; the connection lives on.
     *
     * @return the valid message, or null when the frame was handled here
     */
    private BvlcMessage inspect(Session s, ByteString frame) {
        framesReceived++;
        InboundCheck.Verdict verdict = InboundCheck.check(frame, settings.maxBvlcLength(), linkRole, s.peerVmac(),
                acceptOwnOriginatingVmac);
        if (verdict instanceof InboundCheck.Valid valid) {
            if (valid.strippedOwnOriginatingVmac()) {
                deviation("own-originating-vmac", "peer " + s.peerVmac() + " puts its own Originating VMAC on "
                        + "hub-bound frames (bac-py); accepted and stripped");
            }
            return valid.message();
        }
        if (verdict instanceof InboundCheck.Oversize oversize) {
            oversizeDropped++;
            context.getLog().debug("discarding frame of {} octets, longer than our Max-BVLC {}", oversize.size(),
                    settings.maxBvlcLength());
            return null;
        }
        InboundCheck.Invalid invalid = (InboundCheck.Invalid) verdict;
        DecodeFailure failure = invalid.failure();
        malformed++;
        lastError = new ConnectionError(failure.errorClass(), failure.errorCode(), failure.details());
        context.getLog().debug("bad frame from {}: {} ({})", s.peerAddress(), failure.errorCode(), failure.details());
        invalid.nak().ifPresent(nak -> {
            send(s, nak);
            naksSent++;
        });
        return null;
    }

    private void send(Session s, BvlcMessage m) {
        sendFrame(s, BvlcCodec.encode(m));
    }

    private void sendFrame(Session s, ByteString frame) {
        noteSent();
        s.socket().tell(new SocketCommand.SendFrame(frame));
    }

    private void noteSent() {
        framesSent++;
        if (initiator()) {
            lastSent = nanos.getAsLong();
        }
    }

    private void closeDirect() {
        if (direct != null) {
            direct.close();
        }
    }

    private int nextId() {
        int id = nextMessageId;
        nextMessageId = (nextMessageId + 1) & 0xFFFF;
        return id;
    }

    private void deviation(String key, String text) {
        if (deviationsLogged.add(key)) {
            context.getLog().info("peer deviation: {}", text);
        }
    }

    private Behavior<Command> failToConnect(Session s, SocketClosed closed) {
        socketClosed = true;
        ConnectionError error = ConnectionError.ofCloseStatus(closed.code(), closed.reason());
        return finish(s, ScConnectionState.FAILED_TO_CONNECT, error, "WebSocket closed before the handshake");
    }

    private Behavior<Command> failToConnect(Session s, SocketFailed failed) {
        socketClosed = true;
        return failToConnect(s, failed.error(), failed.details());
    }

    private Behavior<Command> failToConnect(Session s, ErrorCode code, String details) {
        return finish(s, ScConnectionState.FAILED_TO_CONNECT, ConnectionError.communication(code, details), details);
    }

    /** Closes the WebSocket, reports {@link ConnectionEvent.Disconnected} and stops (back to Idle). */
    private Behavior<Command> finish(Session s, ScConnectionState state, ConnectionError error, String why) {
        closeDirect();
        timers.cancelAll();
        if (error != null) {
            lastError = error;
        }
        disconnectedAt = clock.instant();
        if (s.socket() != null && !socketClosed) {
            socketClosed = true;
            s.socket().tell(new SocketCommand.Close(CLOSE_NORMAL, why));
        }
        context.getLog().debug("connection to {} ended: {} {}", s.peerAddress(), state, error == null ? "" : error);
        parent.tell(new ConnectionEvent.Disconnected(context.getSelf(), state, error, s.peerVmac(), s.peerUuid(),
                s.peerAddress(), s.connectedAt()));
        return Behaviors.stopped();
    }
}
