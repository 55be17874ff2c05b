package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.FrameSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The frame socket's bounds when the peer does not read: one pending pong, and a close that cannot wait forever. */
class FrameSocketTest {

    static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    static FrameSocket socket(TestProbe<Connection.Command> connection, TransportSettings settings,
                              TransportCounters counters) {
        return socket(connection, settings, counters, new CompletableFuture<>());
    }

    static FrameSocket socket(TestProbe<Connection.Command> connection, TransportSettings settings,
                              TransportCounters counters, CompletableFuture<FrameSink> direct) {
        return new FrameSocket(KIT.system(), CompletableFuture.completedFuture(connection.ref()), true, "test-peer",
                1600, settings, counters, (w, sink) -> direct.complete(sink), new AtomicBoolean(true));
    }

    @Test
    void theDirectSinkHoldsAtMostTheOutboundQueueForAPeerThatDoesNotReadAndRefusesOnceTheSocketEnds()
            throws Exception {
        TestProbe<Connection.Command> connection = KIT.createTestProbe();
        TransportCounters counters = new TransportCounters();
        CompletableFuture<FrameSink> direct = new CompletableFuture<>();
        SinkQueueWithCancel<ByteString> out = Source.<ByteString>maybe()
                .via(Flow.fromGraph(socket(connection, new TransportSettings(8, false),
                        counters, direct)))
                .toMat(Sink.<ByteString>queue().withAttributes(Attributes.inputBuffer(1, 1)), Keep.right())
                .run(KIT.system());
        FrameSink sink = direct.get(5, TimeUnit.SECONDS);
        ByteString frame = ByteString.fromArray(new byte[] {1, 0, 0, 1});
        int queued = 0;
        int full = 0;
        for (int i = 0; i < 1000; i++) {
            switch (sink.offer(frame)) {
                case QUEUED -> queued++;
                case QUEUE_FULL -> full++;
                default -> throw new AssertionError("closed while running");
            }
        }
        // Nobody reads: at most the queue (8) plus what the stage already wrote into the one-element output buffer.
        assertTrue(queued >= 8 && queued <= 10, "queued " + queued);
        assertEquals(1000 - queued, full);
        assertEquals(full, counters.snapshot().queueDrops());
        ByteString first = out.pull().toCompletableFuture().get(5, TimeUnit.SECONDS).get();
        assertEquals(ByteString.fromArray(new byte[] {(byte) 0x82, 4, 1, 0, 0, 1}), first, "one binary frame");
        out.cancel();
        connection.receiveMessage(Duration.ofSeconds(5));
        TestProbe<Object> wait = KIT.createTestProbe();
        wait.awaitAssert(() -> {
            assertEquals(FrameSink.Offer.CLOSED, sink.offer(frame));
            return null;
        });
    }

    @Test
    void pingsWhileThePeerDoesNotReadLeaveOnePongPendingForTheNewestPing() throws Exception {
        TestProbe<Connection.Command> connection = KIT.createTestProbe();
        TransportCounters counters = new TransportCounters();
        ByteArrayOutputStream pings = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            pings.writeBytes(WsPeer.frame(WsPeer.FIN | WsPeer.PING, new byte[] {(byte) (i >> 8), (byte) i}, true));
        }
        SinkQueueWithCancel<ByteString> out = Source.single(ByteString.fromArray(pings.toByteArray()))
                .concat(Source.maybe())
                .via(Flow.fromGraph(socket(connection, TransportSettings.defaults().withMaxPingsPerSecond(100_000),
                        counters)))
                .toMat(Sink.<ByteString>queue().withAttributes(Attributes.inputBuffer(1, 1)), Keep.right())
                .run(KIT.system());
        ByteString first = out.pull().toCompletableFuture().get(5, TimeUnit.SECONDS).get();
        ByteString last = out.pull().toCompletableFuture().get(5, TimeUnit.SECONDS).get();
        assertEquals(ByteString.fromArray(new byte[] {(byte) 0x8A, 2, 0, 0}), first, "the first ping's pong");
        assertEquals(ByteString.fromArray(new byte[] {(byte) 0x8A, 2, 3, (byte) 0xE7}), last, "ping 999's pong");
        CompletableFuture<Optional<ByteString>> none = out.pull().toCompletableFuture();
        connection.expectNoMessage(Duration.ofMillis(200));
        assertTrue(!none.isDone(), "no third pong");
        assertEquals(998, counters.snapshot().pongsCoalesced());
        out.cancel();
    }

    @Test
    void aCloseThePeerDoesNotTakeWithinTheCloseTimeoutAbortsTheConnection() throws Exception {
        TestProbe<Connection.Command> connection = KIT.createTestProbe();
        TransportCounters counters = new TransportCounters();
        byte[] text = WsPeer.frame(WsPeer.FIN | WsPeer.TEXT, new byte[] {'h', 'i'}, true);
        CompletableFuture<Done> ended = Source.single(ByteString.fromArray(text)).concat(Source.maybe())
                .via(Flow.fromGraph(socket(connection, TransportSettings.defaults()
                        .withCloseTimeout(Duration.ofMillis(300)), counters)))
                .watchTermination(Keep.right())
                // never any demand: the peer does not read
                .to(Sink.asPublisher(org.apache.pekko.stream.javadsl.AsPublisher.WITHOUT_FANOUT))
                .run(KIT.system()).toCompletableFuture();
        Connection.SocketFailed failed = assertInstanceOf(Connection.SocketFailed.class,
                connection.receiveMessage(Duration.ofSeconds(5)));
        assertEquals(ErrorCode.WEBSOCKET_DATA_NOT_ACCEPTED, failed.error());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> ended.get(5, TimeUnit.SECONDS));
        assertInstanceOf(FrameSocket.ConnectionAborted.class, e.getCause());
        assertEquals(1, counters.snapshot().closeTimeouts());
        assertEquals(1, counters.snapshot().webSocketClosedByReason().get("text_frame"));
    }
}
