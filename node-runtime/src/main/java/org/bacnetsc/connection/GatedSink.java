package org.bacnetsc.connection;

import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.util.ByteString;

/**
 * A connection's {@link FrameSink} as others see it: open only while the connection is Connected (closed by the
 * connection actor when it starts disconnecting or ends), counting what it passed on for the connection's status.
 */
final class GatedSink implements FrameSink {

    private final FrameSink socket;
    private final java.util.function.LongSupplier nanos;
    private final LongAdder sent = new LongAdder();
    private final LongAdder shortcutTaken = new LongAdder();
    private volatile boolean open = true;
    /** When the shortcut last took a frame, by {@link #nanos}; valid once {@link #shortcutTaken} is above 0. */
    private volatile long lastShortcut;

    GatedSink(FrameSink socket) {
        this(socket, System::nanoTime);
    }

    /** @param nanos the connection's clock, for {@link #lastShortcut()} */
    GatedSink(FrameSink socket, java.util.function.LongSupplier nanos) {
        this.socket = socket;
        this.nanos = nanos;
    }

    @Override
    public boolean congested() {
        return socket.congested();
    }

    /** Installs {@code shortcut} on the socket, taking frames only while this sink is open (Connected). */
    @Override
    public void shortcut(InboundShortcut shortcut) {
        if (shortcut == null) {
            socket.shortcut(null);
            return;
        }
        socket.shortcut(frame -> {
            if (!open || !shortcut.take(frame)) {
                return false;
            }
            lastShortcut = nanos.getAsLong();
            shortcutTaken.increment();
            return true;
        });
    }

    /** Frames the shortcut took so far (the connection actor did not see them). */
    long shortcutTaken() {
        return shortcutTaken.sum();
    }

    /** When the shortcut last took a frame, or empty when it never did. */
    java.util.OptionalLong lastShortcut() {
        return shortcutTaken.sum() == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(lastShortcut);
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

    /** From now on every offer is refused with {@link Offer#CLOSED}, and every inbound frame goes to the actor. */
    void close() {
        open = false;
        socket.shortcut(null);
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
