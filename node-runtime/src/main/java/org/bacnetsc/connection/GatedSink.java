package org.bacnetsc.connection;

import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.util.ByteString;

/**
 * A connection's {@link FrameSink} as others see it: open only while the connection is Connected (closed by the
 * connection actor when it starts disconnecting or ends), counting what it passed on for the connection's status.
 */
final class GatedSink implements FrameSink {

    private final FrameSink socket;
    private final LongAdder sent = new LongAdder();
    private volatile boolean open = true;

    GatedSink(FrameSink socket) {
        this.socket = socket;
    }

    @Override
    public Offer offer(ByteString frame) {
        if (!open) {
            return Offer.CLOSED;
        }
        Offer o = socket.offer(frame);
        if (o == Offer.QUEUED) {
            sent.increment();
        }
        return o;
    }

    /** From now on every offer is refused with {@link Offer#CLOSED}. */
    void close() {
        open = false;
    }

    /** Frames passed on to the socket so far. */
    long sent() {
        return sent.sum();
    }

    @Override
    public String toString() {
        return "GatedSink(" + (open ? "open" : "closed") + ", " + sent.sum() + " sent)";
    }
}
