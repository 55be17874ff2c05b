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
        // A queue of 2 whose stream never runs: nothing drains it.
        BoundedSourceQueue<ByteString> queue = Source.<ByteString>queue(2)
                .preMaterialize(Materializer.matFromSystem(kit.system())).first();
        TransportCounters counters = new TransportCounters();
        ActorRef<SocketCommand> writer = kit.spawn(SocketWriter.create(queue, counters));
        TestProbe<SendResult> replies = kit.createTestProbe();
        for (int i = 0; i < 3; i++) {
            writer.tell(new SocketCommand.SendFrame(ByteString.fromString("f" + i), replies.ref()));
        }
        assertEquals(SendResult.Sent.INSTANCE, replies.receiveMessage());
        assertEquals(SendResult.Sent.INSTANCE, replies.receiveMessage());
        SendResult.Refused refused = assertInstanceOf(SendResult.Refused.class, replies.receiveMessage());
        assertEquals(SendResult.Reason.QUEUE_FULL, refused.reason());
        assertEquals(1, counters.snapshot().queueDrops());
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
