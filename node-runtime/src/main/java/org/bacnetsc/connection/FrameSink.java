package org.bacnetsc.connection;

import org.apache.pekko.util.ByteString;

/**
 * The outbound end of one WebSocket that any thread may hand frames to, without a message to the connection actor:
 * a hub delivers routed frames to the recipient's socket this way (one actor hand-over fewer per frame). The socket
 * still bounds what it holds ({@code bacnet-sc.transport.outbound-queue-size}) and counts what it refuses.
 */
@FunctionalInterface
public interface FrameSink {

    /** What became of an offered frame. */
    enum Offer {
        /** Queued for the network. */
        QUEUED,
        /** Refused: the socket's outbound queue is full (counted by the socket as a queue drop). */
        QUEUE_FULL,
        /** Refused: the connection is no longer Connected, or its socket is gone. */
        CLOSED
    }

    /**
     * Queues one frame (a complete BVLC-SC message) for the peer; safe from any thread.
     *
     * @param frame the frame
     * @return whether it was queued, and if not why
     */
    Offer offer(ByteString frame);

    /**
     * Whether the socket's outbound queue is more than half full: a shortcut leaves such a recipient's frames to the
     * actors, whose inbound credit paces the sender (a socket without the means answers false).
     */
    default boolean congested() {
        return false;
    }

    /**
     * Routes this socket's routine inbound frames through {@code shortcut} from now on (null: none); a socket without
     * the means ignores it, and every frame reaches the connection actor as before.
     */
    default void shortcut(InboundShortcut shortcut) {
    }
}
