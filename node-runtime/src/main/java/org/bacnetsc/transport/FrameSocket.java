package org.bacnetsc.transport;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.FrameSink;
import org.bacnetsc.connection.InboundShortcut;
import org.bacnetsc.connection.SendResult;
import org.bacnetsc.connection.SocketCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One BACnet/SC WebSocket above the upgrade: our own RFC 6455 framing ({@link WsFrameDecoder}, {@link WsFrames}) and
 * the connection actor's end of it, as one stage fused with TLS and the upgrade.
 *
 * <p>Inbound: binary messages of at most Max-BVLC go to the connection actor; longer ones are discarded as they arrive
 * and counted; pings are answered; a close is echoed; every broken rule (and a text frame, and a ping flood) closes
 * the WebSocket with its code, counted by reason. Outbound, whatever the peer does: at most
 * {@code outbound-queue-size} data frames, one pong (a newer ping replaces an unsent pong, RFC 6455 §5.5.3) and one
 * close frame. A close that cannot be written within {@code close-timeout} (a peer that does not read) aborts the TCP
 * connection.
 */
final class FrameSocket extends GraphStage<FlowShape<ByteString, ByteString>> {

    private static final Logger LOG = LoggerFactory.getLogger(FrameSocket.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Masking keys of client frames (RFC 6455 §5.3: from a strong source of entropy). */
    private static final SecureRandom MASKS = new SecureRandom();
    private static final String CLOSE_TIMER = "close";
    private static final long SECOND = 1_000_000_000L;
    /** Frames waiting to be written go down together up to this many octets (within one TLS record of 16 KiB). */
    static final int COALESCE = 14 * 1024;

    private final Inlet<ByteString> in = Inlet.create("FrameSocket.in");
    private final Outlet<ByteString> out = Outlet.create("FrameSocket.out");
    private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

    private final ActorSystem<?> system;
    /** The connection actor; for a server socket it is known once the owner admitted the upgrade. */
    private final CompletionStage<ActorRef<Connection.Command>> connection;
    private final boolean serverSide;
    private final String peer;
    private final int maxBvlc;
    private final TransportSettings settings;
    private final TransportCounters counters;
    private final BiConsumer<ActorRef<SocketCommand>, FrameSink> onWriter;
    private final AtomicBoolean opened;

    /**
     * A frame socket whose connection actor may come later: frames are read, and the writer (and the direct
     * {@link FrameSink}) are created and given to {@code onWriter}, once {@code connection} completes (with null when the upgrade was refused: nothing is read).
     * The end of the connection is reported to the actor only once {@code opened} is true (a client reports failures
     * before the upgrade through the upgrade's outcome instead).
     *
     * @param serverSide true on the accepting side (frames must be masked, ours are not), false on the client side
     * @param peer       the peer's address, for logs
     */
    FrameSocket(ActorSystem<?> system, CompletionStage<ActorRef<Connection.Command>> connection, boolean serverSide,
                String peer, int maxBvlc, TransportSettings settings, TransportCounters counters,
                BiConsumer<ActorRef<SocketCommand>, FrameSink> onWriter, AtomicBoolean opened) {
        this.system = system;
        this.connection = connection;
        this.serverSide = serverSide;
        this.peer = peer;
        this.maxBvlc = maxBvlc;
        this.settings = settings;
        this.counters = counters;
        this.onWriter = onWriter;
        this.opened = opened;
    }

    /** A client-side frame socket for a known connection actor. */
    FrameSocket(ActorSystem<?> system, ActorRef<Connection.Command> connection, String peer, int maxBvlc,
                TransportSettings settings, TransportCounters counters,
                BiConsumer<ActorRef<SocketCommand>, FrameSink> onWriter, AtomicBoolean opened) {
        this(system, CompletableFuture.completedFuture(connection), false, peer, maxBvlc, settings, counters, onWriter,
                opened);
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new Logic();
    }

    /** The error code (digest §13) for a close code we send. */
    static ErrorCode errorFor(int closeCode) {
        return switch (closeCode) {
            case 1002 -> ErrorCode.WEBSOCKET_PROTOCOL_ERROR;
            case 1003 -> ErrorCode.WEBSOCKET_DATA_NOT_ACCEPTED;
            case 1007 -> ErrorCode.WEBSOCKET_DATA_INCONSISTENT;
            case 1008 -> ErrorCode.WEBSOCKET_DATA_AGAINST_POLICY;
            case 1009 -> ErrorCode.WEBSOCKET_FRAME_TOO_LONG;
            default -> ErrorCode.WEBSOCKET_ERROR;
        };
    }

    private final class Logic extends TimerGraphStageLogic implements WsFrameDecoder.Listener {
        private final WsFrameDecoder decoder = new WsFrameDecoder(serverSide, maxBvlc, this);
        /** Data frames (encoded) waiting for the network; at most {@code outbound-queue-size}. */
        private final ArrayDeque<ByteString> pending = new ArrayDeque<>();
        private final AtomicInteger queued = new AtomicInteger();
        /** The payload of the one pong not yet written (encoded only when written: a flood replaces it). */
        private ByteString pong;
        /** The close frame, written after {@link #pending} (or instead of it when failing). */
        private ByteString closeFrame;
        private boolean closing;
        private ActorRef<Connection.Command> conn;
        private ActorRef<SocketCommand> writer;
        private boolean reported;
        /** Set when the stage ends: the direct sink refuses from then on. */
        private volatile boolean stopped;
        private long pingWindowStart;
        private int pingsInWindow;
        // Inbound flow control: messages told to the actors and not yet taken (their credit not yet released).
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicBoolean paused = new AtomicBoolean();
        private final int inboundLimit = settings.inboundQueueSize();
        /** Input the decoder has not taken yet because it paused. */
        private ByteString rest;
        private AsyncCallback<Boolean> resume;
        /** Frames the shortcut took since the stage last yielded, and whether it is yielding now. */
        private int shortcutBurst;
        private boolean yielding;
        /** Routed frames offered from other threads, drained by the stage ({@link #offerToInbox}). */
        private final java.util.concurrent.ConcurrentLinkedQueue<ByteString> inbox =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        /** Routine inbound frames around the connection actor (set by the hub once Connected), or null. */
        private volatile InboundShortcut shortcut;
        /** One for all messages of this socket: run by the actor that takes a message. */
        private final Runnable release = this::onReleased;

        Logic() {
            super(shape);
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    feed(grab(in));
                }

                @Override
                public void onUpstreamFinish() {
                    report(new Connection.SocketClosed(1006, "connection closed without a close frame"));
                    completeStage();
                }

                @Override
                public void onUpstreamFailure(Throwable ex) {
                    report(WsClient.isTls(ex) ? new Connection.SocketFailed(WsClient.classify(ex), WsClient.describe(ex))
                            : new Connection.SocketClosed(1006, String.valueOf(ex.getMessage())));
                    failStage(ex);
                }
            });
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    pushPending();
                }

                @Override
                public void onDownstreamFinish(Throwable cause) {
                    report(new Connection.SocketClosed(1006, "connection closed"));
                    completeStage();
                }
            });
        }

        @Override
        public void preStart() {
            ActorRef<Connection.Command> now = connection.toCompletableFuture().getNow(null);
            if (now != null) {
                start(now);
            } else {
                AsyncCallback<ActorRef<Connection.Command>> started = createAsyncCallback(c -> {
                    if (c != null) {
                        start(c);
                    }
                });
                connection.whenComplete((c, failure) -> started.invoke(failure == null ? c : null));
            }
        }

        private void start(ActorRef<Connection.Command> c) {
            conn = c;
            resume = createAsyncCallback(b -> onResume());
            AsyncCallback<Boolean> drain = createAsyncCallback(b -> drainInbox());
            AsyncCallback<Integer> close = createAsyncCallback(code -> closeWith(code, "", false));
            int capacity = settings.outboundQueueSize();
            // one way in for every frame to send, from the connection actor (the writer) and from other threads
            FrameSink sink = new FrameSink() {
                @Override
                public Offer offer(ByteString frame) {
                    return stopped ? FrameSink.Offer.CLOSED : offerToInbox(frame, drain, capacity);
                }

                @Override
                public boolean congested() {
                    return queued.get() > capacity / 2;
                }

                @Override
                public void shortcut(InboundShortcut s) {
                    shortcut = s;
                }
            };
            writer = system.systemActorOf(FrameWriter.create(sink, close), "bsc-frames-"
                    + SEQUENCE.incrementAndGet(), Props.empty());
            onWriter.accept(writer, sink);
            if (!closing && !isClosed(in)) {
                pull(in);
            }
        }

        @Override
        public void postStop() {
            stopped = true;
            if (writer != null) {
                writer.tell(FrameWriter.STOP);
            }
            report(new Connection.SocketClosed(1006, "connection closed"));
        }

        private void report(Connection.Command event) {
            if (!reported && opened.get() && conn != null) {
                reported = true;
                conn.tell(event);
            }
        }

        // Inbound.

        private void feed(ByteString bytes) {
            int taken = decoder.feed(bytes);
            if (decoder.isPaused()) {
                rest = bytes.drop(taken);
                if (yielding) {
                    // a burst went through the shortcut: the other stages (the recipients) run before the rest
                    yielding = false;
                    resume.invoke(Boolean.TRUE);
                    return;
                }
                paused.set(true);
                if (inFlight.get() <= inboundLimit / 2 && paused.compareAndSet(true, false)) {
                    // the actors caught up meanwhile
                    onResume();
                }
                return;
            }
            if (!closing && !decoder.isDone() && !hasBeenPulled(in) && !isClosed(in)) {
                pull(in);
            }
        }

        /** On an actor's thread: a message was taken. */
        private void onReleased() {
            if (inFlight.decrementAndGet() <= inboundLimit / 2 && paused.compareAndSet(true, false)) {
                resume.invoke(Boolean.TRUE);
            }
        }

        private void onResume() {
            decoder.resume();
            ByteString r = rest;
            rest = null;
            if (r != null && !isClosed(in)) {
                feed(r);
            }
        }

        @Override
        public void onMessage(ByteString message) {
            InboundShortcut s = shortcut;
            if (s != null && inFlight.get() == 0 && s.take(message)) {
                // nothing of this socket waits in a mailbox: order is kept. A long burst yields now and then, as
                // the actors' inbound credit made it yield before: a recipient's socket gets to drain its queue.
                if (++shortcutBurst >= inboundLimit) {
                    shortcutBurst = 0;
                    yielding = true;
                    decoder.pause();
                }
                return;
            }
            if (inFlight.incrementAndGet() >= inboundLimit) {
                // enough waiting for the actors: read no further until half of it is taken
                decoder.pause();
            }
            conn.tell(new Connection.FrameReceived(message, release));
        }

        @Override
        public void onDiscarded(long length) {
            counters.oversizeDiscarded.increment();
        }

        @Override
        public void onPing(ByteString payload) {
            if (closing) {
                return;
            }
            counters.pingsReceived.increment();
            long now = System.nanoTime();
            if (now - pingWindowStart >= SECOND) {
                pingWindowStart = now;
                pingsInWindow = 0;
            }
            if (++pingsInWindow > settings.maxPingsPerSecond()) {
                decoder.stop();
                onViolation(WsViolation.PING_FLOOD);
                return;
            }
            if (pong != null) {
                counters.pongsCoalesced.increment();
            }
            pong = payload;
            pushPending();
        }

        @Override
        public void onPong(ByteString payload) {
            // Unsolicited or late pongs are allowed (RFC 6455 §5.5.3); we send no pings.
        }

        @Override
        public void onClose(int code, String reason) {
            int answer = code == 1005 ? 1000 : code;
            report(new Connection.SocketClosed(answer, reason));
            closeWith(answer, "", true);
        }

        @Override
        public void onViolation(WsViolation v) {
            counters.violation(v);
            LOG.info("closing the WebSocket {} {} with {}: {}", serverSide ? "from" : "to", peer, v.closeCode,
                    v.text);
            report(new Connection.SocketFailed(errorFor(v.closeCode), "WebSocket " + v.text + "; closed with "
                    + v.closeCode));
            closeWith(v.closeCode, v.text, true);
        }

        // Outbound.

        /**
         * Any thread: queues a routed frame in the inbox and wakes the stage only when the inbox was idle, so that a
         * burst costs one wake-up and the stage drains it all at once (rather than one asynchronous callback each).
         */
        private FrameSink.Offer offerToInbox(ByteString frame, AsyncCallback<Boolean> drain, int capacity) {
            if (queued.incrementAndGet() > capacity) {
                queued.decrementAndGet();
                counters.queueDrops.increment();
                return FrameSink.Offer.QUEUE_FULL;
            }
            inbox.add(frame);
            if (drainScheduled.compareAndSet(false, true)) {
                drain.invoke(Boolean.TRUE);
            }
            return FrameSink.Offer.QUEUED;
        }

        /** On the stage: everything the inbox holds goes to the pending frames. */
        private void drainInbox() {
            drainScheduled.set(false); // offers from now on wake the stage again
            ByteString f;
            while ((f = inbox.poll()) != null) {
                enqueue(f);
            }
        }

        private void enqueue(ByteString frame) {
            if (closing) {
                queued.decrementAndGet();
                return;
            }
            pending.add(WsFrames.frame(WsOpcode.BINARY, frame, serverSide ? null : MASKS));
            pushPending();
        }

        /**
         * Sends a close frame (after the queued data frames unless {@code dropQueued}) and ends the stage once it is
         * written; a peer that does not take it within the close timeout has its connection aborted.
         */
        private void closeWith(int code, String reason, boolean dropQueued) {
            if (closing) {
                return;
            }
            closing = true;
            if (dropQueued) {
                queued.addAndGet(-pending.size());
                pending.clear();
                pong = null;
            }
            closeFrame = WsFrames.frame(WsOpcode.CLOSE, WsFrames.closePayload(code >= 1000 && code < 5000 ? code
                    : 1000, reason), serverSide ? null : MASKS);
            scheduleOnce(CLOSE_TIMER, settings.closeTimeout());
            pushPending();
        }

        @Override
        public void onTimer(Object key) {
            counters.closeTimeouts.increment();
            LOG.info("aborting the connection {} {}: the WebSocket close was not taken within {} ms",
                    serverSide ? "from" : "to", peer, settings.closeTimeout().toMillis());
            failStage(new ConnectionAborted("the peer did not take the close frame within "
                    + settings.closeTimeout().toMillis() + " ms"));
        }

        private void pushPending() {
            while (isAvailable(out)) {
                if (pong != null) {
                    ByteString p = WsFrames.frame(WsOpcode.PONG, pong, serverSide ? null : MASKS);
                    pong = null;
                    push(out, p);
                } else if (!pending.isEmpty()) {
                    // the frames waiting go down as one chunk (one TLS record, one write) up to COALESCE octets
                    ByteString batch = pending.poll();
                    int n = 1;
                    while (!pending.isEmpty() && batch.size() + pending.peek().size() <= COALESCE) {
                        batch = batch.concat(pending.poll());
                        n++;
                    }
                    push(out, batch);
                    queued.addAndGet(-n);
                } else if (closeFrame != null) {
                    push(out, closeFrame);
                    closeFrame = null;
                    // Only the outbound side ends here: cancelling the inbound side at the same time could let the
                    // layer below drop the close frame still in flight. The layer below completes our inbound side
                    // in turn; TLS bounds how long its close may take.
                    complete(out);
                    cancelTimer(CLOSE_TIMER);
                    return;
                } else {
                    return;
                }
            }
        }
    }

    /**
     * Ends a connection at once (TCP reset), for a peer that does not take our close; TLS passes it on to the
     * network instead of waiting to send close_notify.
     */
    static final class ConnectionAborted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectionAborted(String message) {
            super(message, null, false, false);
        }
    }

    /** The {@link SocketCommand} end of a frame socket: frames through its bounded sink, with answers, and close. */
    static final class FrameWriter {
        static final SocketCommand STOP = new SocketCommand.Close(-1, "stream ended");

        private FrameWriter() {
        }

        static Behavior<SocketCommand> create(FrameSink sink, AsyncCallback<Integer> close) {
            return Behaviors.receive(SocketCommand.class)
                    .onMessage(SocketCommand.SendFrame.class, m -> onSend(m, sink))
                    .onMessage(SocketCommand.Close.class, m -> onClose(m, close))
                    .build();
        }

        private static Behavior<SocketCommand> onSend(SocketCommand.SendFrame m, FrameSink sink) {
            FrameSink.Offer o = sink.offer(m.frame());
            if (m.replyTo() != null) {
                m.replyTo().tell(switch (o) {
                    case QUEUED -> SendResult.Sent.INSTANCE;
                    case QUEUE_FULL -> new SendResult.Refused(SendResult.Reason.QUEUE_FULL,
                            "the connection's outbound queue is full");
                    case CLOSED -> new SendResult.Refused(SendResult.Reason.NOT_CONNECTED,
                            "the WebSocket is closed");
                });
            }
            return Behaviors.same();
        }

        private static Behavior<SocketCommand> onClose(SocketCommand.Close m, AsyncCallback<Integer> close) {
            if (m != STOP) {
                close.invoke(m.code() >= 1000 && m.code() < 5000 ? m.code() : 1000);
            }
            return Behaviors.stopped();
        }
    }
}
