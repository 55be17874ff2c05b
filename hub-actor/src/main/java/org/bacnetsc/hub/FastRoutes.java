package org.bacnetsc.hub;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.HubRewrite;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.FrameSink;
import org.bacnetsc.connection.InboundShortcut;

/**
 * The hub's shortcut for the routine case (issue 16): a plain unicast Encapsulated-NPDU (control octet 0x04: a
 * Destination VMAC and nothing else) from a Connected node to a node Connected to this hub goes from the sender's
 * socket straight to the recipient's socket, rewritten as the hub function would ({@link HubRewrite}), without the
 * two actor hand-overs (the sender's connection actor, the hub actor). Anything else (broadcasts, header options, an
 * Originating VMAC, another function, a VMAC not connected here, a malformed frame) goes the usual way, where it is
 * checked, NAKed, routed to other members or dropped and counted.
 *
 * <p>A recipient whose outbound queue is more than half full ({@link FrameSink#congested()}) is left to the actors
 * too: their inbound credit makes a fast sender wait for the hub as before, where the shortcut would only fill the
 * recipient's queue faster.
 *
 * <p>The hub actor keeps the table: a recipient enters when it is Connected and leaves when it disconnects, is
 * replaced or stops. Counters are shared with the hub's status.
 */
public final class FastRoutes {

    /** Encapsulated-NPDU. */
    private static final byte ENCAPSULATED_NPDU = 0x01;
    /** Control: Destination VMAC present, no Originating VMAC, no options. */
    private static final byte DESTINATION_ONLY = 0x04;
    /** Function, control, message id, destination VMAC. */
    private static final int HEADER = 4 + Vmac.LENGTH;

    /**
     * Where a connected node's frames go.
     *
     * @param sink    its socket's outbound end
     * @param maxBvlc its Max-BVLC
     */
    public record Target(FrameSink sink, int maxBvlc) {
    }

    private final ConcurrentHashMap<Vmac, Target> targets = new ConcurrentHashMap<>();

    /** An empty table. */
    public FastRoutes() {
    }

    final LongAdder unicastRouted = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder droppedOversize = new LongAdder();
    final LongAdder droppedRecipientGone = new LongAdder();

    /** {@code vmac} is Connected here from now on, reached through {@code target}. */
    public void connected(Vmac vmac, Target target) {
        targets.put(vmac, target);
    }

    /** {@code vmac} through {@code sink} is gone (no effect when the VMAC has been taken over meanwhile). */
    public void gone(Vmac vmac, FrameSink sink) {
        targets.computeIfPresent(vmac, (v, t) -> t.sink() == sink ? null : t);
    }

    /** Recipients in the table. */
    public int size() {
        return targets.size();
    }

    /** The shortcut for the node Connected as {@code sender}. */
    public InboundShortcut from(Vmac sender) {
        return frame -> take(sender, frame);
    }

    /** Routes {@code frame} from {@code sender} if it is a plain unicast to a node connected here. */
    public boolean take(Vmac sender, ByteString frame) {
        if (frame.size() <= HEADER || frame.apply(0) != ENCAPSULATED_NPDU || frame.apply(1) != DESTINATION_ONLY) {
            return false;
        }
        long bits = 0;
        for (int i = 4; i < HEADER; i++) {
            bits = bits << 8 | frame.apply(i) & 0xFF;
        }
        Target t = targets.get(new Vmac(bits));
        if (t == null || t.sink().congested()) {
            // broadcast, another member's, unknown: the hub actor decides and counts. A recipient whose queue is
            // half full: the actors' way, whose inbound credit paces the sender (the shortcut would not)
            return false;
        }
        ByteString out = HubRewrite.toNode(frame, sender);
        unicastRouted.increment();
        if (out.size() > t.maxBvlc()) {
            droppedOversize.increment();
            return true;
        }
        switch (t.sink().offer(out)) {
            case QUEUED -> deliveries.increment();
            case QUEUE_FULL -> { } // counted by the socket (transport queueDrops)
            case CLOSED -> droppedRecipientGone.increment();
            default -> throw new IllegalStateException("unknown offer outcome");
        }
        return true;
    }
}
