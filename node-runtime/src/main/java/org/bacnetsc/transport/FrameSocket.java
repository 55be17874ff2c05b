package org.bacnetsc.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.impl.engine.ws.FrameData;
import org.apache.pekko.http.impl.engine.ws.FrameError;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameEvent$;
import org.apache.pekko.http.impl.engine.ws.FrameEventOrError;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.http.impl.engine.ws.Protocol;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.SendResult;
import org.bacnetsc.connection.SocketCommand;
import scala.Option;

/**
 * One BACnet/SC WebSocket at frame level (RFC 6455 over Pekko HTTP's frame parser and masking): binary messages are
 * reassembled up to Max-BVLC and told to the connection actor; a text frame closes with 1003; pings are answered;
 * a close frame is echoed. Outbound frames come from a bounded queue fed by the socket's {@link SocketCommand} actor.
 *
 * <p>It replaces Pekko HTTP's message API, which materialises substreams for every message, with one stage per
 * socket and no allocation beyond the frames themselves.
 */
final class FrameSocket extends GraphStage<FlowShape<FrameEventOrError, FrameEvent>> {

    private static final byte CONTINUATION = 0;
    private static final byte TEXT = 1;
    private static final byte BINARY = 2;
    private static final byte CLOSE = 8;
    private static final byte PING = 9;
    /** Close status for "data not accepted" (AB.7.5.3). */
    static final int UNACCEPTABLE_DATA = 1003;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Inlet<FrameEventOrError> in = Inlet.create("FrameSocket.in");
    private final Outlet<FrameEvent> out = Outlet.create("FrameSocket.out");
    private final FlowShape<FrameEventOrError, FrameEvent> shape = FlowShape.of(in, out);

    private final ActorSystem<?> system;
    /** The connection actor; for a server socket it is known once the owner admitted the upgrade. */
    private final java.util.concurrent.CompletionStage<ActorRef<Connection.Command>> connection;
    private final int maxBvlc;
    private final int queueSize;
    private final TransportCounters counters;
    private final Consumer<ActorRef<SocketCommand>> onWriter;
    private final java.util.concurrent.atomic.AtomicBoolean opened;

    FrameSocket(ActorSystem<?> system, ActorRef<Connection.Command> connection, int maxBvlc, int queueSize,
                TransportCounters counters, Consumer<ActorRef<SocketCommand>> onWriter) {
        this(system, connection, maxBvlc, queueSize, counters, onWriter, new java.util.concurrent.atomic.AtomicBoolean(
                true));
    }

    /**
     * A frame socket that reports the end of the connection only once {@code opened} is true (a client reports
     * failures before the upgrade through the upgrade's outcome instead).
     */
    FrameSocket(ActorSystem<?> system, ActorRef<Connection.Command> connection, int maxBvlc, int queueSize,
                TransportCounters counters, Consumer<ActorRef<SocketCommand>> onWriter,
                java.util.concurrent.atomic.AtomicBoolean opened) {
        this(system, java.util.concurrent.CompletableFuture.completedFuture(connection), maxBvlc, queueSize, counters,
                onWriter, opened);
    }

    /**
     * A frame socket whose connection actor comes later: frames are read, and the writer is created and given to
     * {@code onWriter}, once {@code connection} completes (with null when the upgrade was refused: nothing is read).
     */
    FrameSocket(ActorSystem<?> system, java.util.concurrent.CompletionStage<ActorRef<Connection.Command>> connection,
                int maxBvlc, int queueSize, TransportCounters counters, Consumer<ActorRef<SocketCommand>> onWriter,
                java.util.concurrent.atomic.AtomicBoolean opened) {
        this.opened = opened;
        this.system = system;
        this.connection = connection;
        this.maxBvlc = maxBvlc;
        this.queueSize = queueSize;
        this.counters = counters;
        this.onWriter = onWriter;
    }

    @Override
    public FlowShape<FrameEventOrError, FrameEvent> shape() {
        return shape;
    }

    static FrameStart binaryFrame(ByteString data) {
        return FrameEvent$.MODULE$.fullFrame(Protocol.Opcode$.MODULE$.forCode(BINARY), Option.empty(), data, true,
                false, false, false);
    }

    static FrameStart closeFrame(int code, String reason) {
        return FrameEvent$.MODULE$.closeFrame(code, reason, Option.empty());
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new Logic();
    }

    private final class Logic extends GraphStageLogic {
        private final ArrayDeque<FrameEvent> pending = new ArrayDeque<>();
        private ActorRef<Connection.Command> conn;
        private final AtomicInteger queued = new AtomicInteger();
        private ActorRef<SocketCommand> writer;
        private boolean closing;
        private boolean reported;
        // The frame being received.
        private byte frameOpcode;
        private boolean frameFin;
        private ByteString control = ByteString.emptyByteString();
        // The message being assembled.
        private boolean inMessage;
        private boolean discarding;
        private ByteString message = ByteString.emptyByteString();

        Logic() {
            super(shape);
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    onFrame(grab(in));
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
            var now = connection.toCompletableFuture().getNow(null);
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
            AsyncCallback<ByteString> send = createAsyncCallback(this::enqueue);
            AsyncCallback<Integer> close = createAsyncCallback(code -> closeWith(code, "closed by the BACnet/SC layer"));
            writer = system.systemActorOf(FrameWriter.create(send, close, queued, queueSize, counters),
                    "bsc-frames-" + SEQUENCE.incrementAndGet(), Props.empty());
            onWriter.accept(writer);
            pull(in);
        }

        @Override
        public void postStop() {
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

        private void onFrame(FrameEventOrError e) {
            if (e instanceof FrameError err) {
                closeWith(1002, "protocol error: " + err.p().getMessage());
                return;
            }
            if (e instanceof FrameStart start) {
                frameOpcode = start.header().opcode().code();
                frameFin = start.header().fin();
                if (frameOpcode == TEXT) {
                    counters.textFramesRejected.increment();
                    report(new Connection.SocketFailed(ErrorCode.WEBSOCKET_DATA_NOT_ACCEPTED,
                            "text frame received; closed with 1003"));
                    closeWith(UNACCEPTABLE_DATA, "BACnet/SC uses binary frames only");
                    return;
                }
                if (frameOpcode == BINARY || frameOpcode == CONTINUATION) {
                    if ((frameOpcode == BINARY) == inMessage) {
                        closeWith(1002, "unexpected " + (inMessage ? "binary" : "continuation") + " frame");
                        return;
                    }
                    inMessage = true;
                } else {
                    control = ByteString.emptyByteString();
                }
            }
            onData(e instanceof FrameStart s ? s.data() : ((FrameData) e).data(), ((FrameEvent) e).lastPart());
            if (!closing) {
                pull(in);
            }
        }

        private void onData(ByteString data, boolean lastPart) {
            if (frameOpcode == BINARY || frameOpcode == CONTINUATION) {
                if (!discarding) {
                    if (message.size() + data.size() > maxBvlc) {
                        discarding = true;
                        message = ByteString.emptyByteString();
                    } else {
                        message = message.concat(data);
                    }
                }
                if (lastPart && frameFin) {
                    if (discarding) {
                        counters.oversizeDiscarded.increment();
                    } else {
                        conn.tell(new Connection.FrameReceived(message.compact()));
                    }
                    message = ByteString.emptyByteString();
                    discarding = false;
                    inMessage = false;
                }
                return;
            }
            control = control.concat(data);
            if (!lastPart) {
                return;
            }
            if (frameOpcode == PING) {
                pending.add(FrameEvent$.MODULE$.fullFrame(Protocol.Opcode$.MODULE$.forCode((byte) 10),
                        Option.empty(), control, true, false, false, false));
                pushPending();
            } else if (frameOpcode == CLOSE) {
                int code = control.size() >= 2 ? ((control.apply(0) & 0xFF) << 8) | (control.apply(1) & 0xFF) : 1005;
                String reason = control.size() > 2 ? control.drop(2).decodeString(StandardCharsets.UTF_8) : "";
                report(new Connection.SocketClosed(code == 1005 ? 1000 : code, reason));
                closeWith(code == 1005 ? 1000 : code, "");
            }
        }

        private void enqueue(ByteString frame) {
            if (closing) {
                queued.decrementAndGet();
                return;
            }
            pending.add(binaryFrame(frame));
            pushPending();
        }

        private void closeWith(int code, String reason) {
            if (closing) {
                return;
            }
            closing = true;
            pending.add(closeFrame(code, reason));
            pushPending();
        }

        private void pushPending() {
            while (isAvailable(out) && !pending.isEmpty()) {
                FrameEvent f = pending.poll();
                push(out, f);
                if (f instanceof FrameStart s && s.header().opcode().code() == BINARY) {
                    queued.decrementAndGet();
                }
                if (closing && pending.isEmpty()) {
                    completeStage();
                    return;
                }
            }
        }
    }

    /** The {@link SocketCommand} end of a frame socket: bounded enqueueing with answers, and close. */
    static final class FrameWriter {
        static final SocketCommand STOP = new SocketCommand.Close(-1, "stream ended");

        private FrameWriter() {
        }

        static Behavior<SocketCommand> create(AsyncCallback<ByteString> send, AsyncCallback<Integer> close,
                                              AtomicInteger queued, int capacity, TransportCounters counters) {
            return Behaviors.receive(SocketCommand.class)
                    .onMessage(SocketCommand.SendFrame.class, m -> onSend(m, send, queued, capacity, counters))
                    .onMessage(SocketCommand.Close.class, m -> onClose(m, close))
                    .build();
        }

        private static Behavior<SocketCommand> onSend(SocketCommand.SendFrame m, AsyncCallback<ByteString> send,
                                                      AtomicInteger queued, int capacity, TransportCounters counters) {
            if (queued.get() >= capacity) {
                counters.queueDrops.increment();
                if (m.replyTo() != null) {
                    m.replyTo().tell(new SendResult.Refused(SendResult.Reason.QUEUE_FULL,
                            "the connection's outbound queue is full"));
                }
                return Behaviors.same();
            }
            queued.incrementAndGet();
            send.invoke(m.frame());
            if (m.replyTo() != null) {
                m.replyTo().tell(SendResult.Sent.INSTANCE);
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
