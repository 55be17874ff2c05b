package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.connection.SendResult;
import org.bacnetsc.connection.SocketCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
class SocketWriterTest {

    @JUnit5TestKit
    ActorTestKit kit = new JUnit5TestKitBuilder().build();

    @Test
    void aFullQueueRefusesWithQueueFullAndCountsTheDrop() {
        // A queue of 2 whose downstream never asks for an element: nothing drains it.
        BoundedSourceQueue<ByteString> queue = Source.<ByteString>queue(2)
                .toMat(Sink.fromSubscriber(new NeverRequests()), Keep.left())
                .run(Materializer.matFromSystem(kit.system()));
        TransportCounters counters = new TransportCounters();
        ActorRef<SocketCommand> writer = kit.spawn(SocketWriter.create(queue, counters));
        TestProbe<SendResult> replies = kit.createTestProbe();
        for (int i = 0; i < 20; i++) {
            writer.tell(new SocketCommand.SendFrame(ByteString.fromString("f" + i), replies.ref()));
        }
        // The first frames fill the queue (its exact capacity is Pekko's business); every later one is refused.
        int sent = 0;
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            SendResult r = replies.receiveMessage();
            if (r == SendResult.Sent.INSTANCE) {
                assertEquals(0, refused, "no frame is queued after the first refusal");
                sent++;
            } else {
                assertEquals(SendResult.Reason.QUEUE_FULL, assertInstanceOf(SendResult.Refused.class, r).reason());
                refused++;
            }
        }
        assertEquals(2, sent, "the queue holds two frames");
        assertEquals(20 - sent, refused);
        assertEquals(refused, counters.snapshot().queueDrops());
    }

    /** A subscriber that never requests anything. */
    private static final class NeverRequests implements org.reactivestreams.Subscriber<ByteString> {
        @Override
        public void onSubscribe(org.reactivestreams.Subscription s) {
            // never calls s.request(...)
        }

        @Override
        public void onNext(ByteString item) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
    }

    @Test
    void afterCloseSendsAreRefusedAsNotConnected() {
        BoundedSourceQueue<ByteString> queue = Source.<ByteString>queue(2)
                .preMaterialize(Materializer.matFromSystem(kit.system())).first();
        queue.complete();
        ActorRef<SocketCommand> writer = kit.spawn(SocketWriter.create(queue, new TransportCounters()));
        TestProbe<SendResult> replies = kit.createTestProbe();
        writer.tell(new SocketCommand.SendFrame(ByteString.fromString("x"), replies.ref()));
        assertEquals(SendResult.Reason.NOT_CONNECTED,
                assertInstanceOf(SendResult.Refused.class, replies.receiveMessage()).reason());
    }
}
