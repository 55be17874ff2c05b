package org.bacnetsc.transport;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.PeerClosedConnectionException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.SocketCommand;

/**
 * The Pekko Streams flow of one BACnet/SC WebSocket, the same on server and client: inbound binary messages
 * (reassembled up to Max-BVLC) go to the connection actor; outbound frames come from a bounded queue fed by a
 * {@link SocketWriter}. A text message closes the WebSocket.
 */
final class SocketFlow {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private SocketFlow() {
    }

    /** Marker (compared by identity) for "a text message arrived". */
    private static final ByteString TEXT = ByteString.fromString("text");
    /** Marker (compared by identity) for "the streamed message grew beyond Max-BVLC". */
    private static final ByteString OVERSIZE = ByteString.fromString("oversize");

    /**
     * The flow; when it is materialized, {@code onWriter} gets the socket's {@link SocketCommand} end.
     */
    static Flow<Message, Message, NotUsed> create(ActorSystem<?> system, ActorRef<Connection.Command> connection,
                                                  int maxBvlc, int queueSize, TransportCounters counters,
                                                  Consumer<ActorRef<SocketCommand>> onWriter) {
        return create(system, connection, maxBvlc, queueSize, counters, onWriter, new AtomicBoolean(true));
    }

    /**
     * The flow, reporting the end of the inbound side only once {@code opened} is true (a client reports failures
     * before the upgrade through the upgrade's outcome instead).
     */
    static Flow<Message, Message, NotUsed> create(ActorSystem<?> system, ActorRef<Connection.Command> connection,
                                                  int maxBvlc, int queueSize, TransportCounters counters,
                                                  Consumer<ActorRef<SocketCommand>> onWriter, AtomicBoolean opened) {
        Materializer mat = Materializer.matFromSystem(system);
        ActorRef<SocketCommand>[] writer = newRefHolder();
        Source<Message, NotUsed> outbound = Source.<ByteString>queue(queueSize)
                .mapMaterializedValue(queue -> {
                    writer[0] = system.systemActorOf(SocketWriter.create(queue, counters),
                            "bsc-socket-" + SEQUENCE.incrementAndGet(), Props.empty());
                    onWriter.accept(writer[0]);
                    return NotUsed.getInstance();
                })
                .map(frame -> (Message) BinaryMessage.create(frame));
        Sink<Message, NotUsed> inbound = Flow.<Message>create()
                .mapAsync(1, m -> frame(m, maxBvlc, counters, mat))
                .<ByteString>mapConcat(o -> o.map(java.util.List::of).orElse(java.util.List.of()))
                .to(Sink.foreach(frame -> deliver(frame, connection, writer[0], counters)))
                .mapMaterializedValue(x -> NotUsed.getInstance());
        Sink<Message, NotUsed> watched = Flow.<Message>create()
                .watchTermination((notUsed, done) -> {
                    done.whenCompleteAsync((ok, failure) -> {
                        if (opened.get()) {
                            onInboundEnd(failure, connection, writer[0]);
                        }
                    }, system.executionContext());
                    return NotUsed.getInstance();
                })
                .to(inbound);
        return Flow.fromSinkAndSourceCoupled(watched, outbound);
    }

    @SuppressWarnings("unchecked")
    private static ActorRef<SocketCommand>[] newRefHolder() {
        return (ActorRef<SocketCommand>[]) new ActorRef[1];
    }

    private static CompletionStage<Optional<ByteString>> frame(Message m, int maxBvlc, TransportCounters counters,
                                                               Materializer mat) {
        if (m.isText()) {
            m.asTextMessage().getStreamedText().runWith(Sink.ignore(), mat);
            return CompletableFuture.completedFuture(Optional.of(TEXT));
        }
        BinaryMessage b = m.asBinaryMessage();
        if (b.isStrict()) {
            return CompletableFuture.completedFuture(Optional.of(b.getStrictData()));
        }
        // Streamed (fragmented) message: reassemble up to Max-BVLC; beyond that keep draining and discard it.
        return b.getStreamedData().runFold(ByteString.emptyByteString(),
                (acc, part) -> acc == OVERSIZE || acc.size() + part.size() > maxBvlc ? OVERSIZE : acc.concat(part),
                mat)
                .thenApplyAsync(acc -> {
                    if (acc == OVERSIZE) {
                        counters.oversizeDiscarded.increment();
                        return Optional.<ByteString>empty();
                    }
                    return Optional.of(acc.compact());
                }, mat.executionContext());
    }

    private static void deliver(ByteString frame, ActorRef<Connection.Command> connection,
                                ActorRef<SocketCommand> writer, TransportCounters counters) {
        if (frame == TEXT) {
            counters.textFramesRejected.increment();
            connection.tell(new Connection.SocketFailed(ErrorCode.WEBSOCKET_DATA_NOT_ACCEPTED,
                    "text frame received; BACnet/SC uses binary frames only"));
            if (writer != null) {
                writer.tell(new SocketCommand.Close(1003, "binary frames only"));
            }
            return;
        }
        connection.tell(new Connection.FrameReceived(frame));
    }

    private static void onInboundEnd(Throwable failure, ActorRef<Connection.Command> connection,
                                     ActorRef<SocketCommand> writer) {
        if (failure == null) {
            connection.tell(new Connection.SocketClosed(1000, ""));
        } else if (WsClient.isTls(failure)) {
            connection.tell(new Connection.SocketFailed(WsClient.classify(failure), WsClient.describe(failure)));
        } else if (peerClosed(failure) instanceof PeerClosedConnectionException p) {
            connection.tell(new Connection.SocketClosed(p.closeCode(), p.closeReason()));
        } else {
            connection.tell(new Connection.SocketClosed(1006, String.valueOf(failure.getMessage())));
        }
        if (writer != null) {
            writer.tell(new SocketCommand.Close(1000, "inbound ended"));
        }
    }

    private static Throwable peerClosed(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PeerClosedConnectionException) {
                return c;
            }
        }
        return t;
    }
}
