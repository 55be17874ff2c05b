package org.bacnetsc.transport;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.connection.SendResult;
import org.bacnetsc.connection.SocketCommand;

/**
 * The {@link SocketCommand} end of one WebSocket: offers frames to the connection's bounded outbound queue (a full
 * queue drops the frame and counts it, so a slow peer never blocks a sender) and completes it on close.
 */
final class SocketWriter {
    private SocketWriter() {
    }

    static Behavior<SocketCommand> create(BoundedSourceQueue<ByteString> queue, TransportCounters counters) {
        return Behaviors.receive(SocketCommand.class)
                .onMessage(SocketCommand.SendFrame.class, m -> onSend(queue, counters, m))
                .onMessage(SocketCommand.Close.class, m -> onClose(queue))
                .build();
    }

    private static Behavior<SocketCommand> onSend(BoundedSourceQueue<ByteString> queue, TransportCounters counters,
                                                  SocketCommand.SendFrame m) {
        QueueOfferResult result = queue.offer(m.frame());
        if (result == QueueOfferResult.enqueued()) {
            if (m.replyTo() != null) {
                m.replyTo().tell(SendResult.Sent.INSTANCE);
            }
        } else if (result == QueueOfferResult.dropped()) {
            counters.queueDrops.increment();
            if (m.replyTo() != null) {
                m.replyTo().tell(new SendResult.Refused(SendResult.Reason.QUEUE_FULL,
                        "the connection's outbound queue is full"));
            }
        } else if (m.replyTo() != null) {
            m.replyTo().tell(new SendResult.Refused(SendResult.Reason.NOT_CONNECTED, "the WebSocket is closed"));
        }
        return Behaviors.same();
    }

    private static Behavior<SocketCommand> onClose(BoundedSourceQueue<ByteString> queue) {
        try {
            queue.complete();
        } catch (RuntimeException alreadyDone) {
            // The stream ended first; nothing left to close.
        }
        return Behaviors.stopped();
    }
}
