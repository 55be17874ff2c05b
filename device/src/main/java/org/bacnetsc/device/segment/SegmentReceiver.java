package org.bacnetsc.device.segment;

import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;

/**
 * The receive side of one segmented message (digest 1.3, Clause 5.4.4.2 SEGMENTED_CONF / 5.4.5.2
 * SEGMENTED_REQUEST): a client reassembling a segmented ComplexACK, or a server reassembling a segmented
 * Confirmed-Request. The role follows from the first segment: a Confirmed-Request is received by the server (SRV=1
 * on our Segment-ACKs and Aborts), a ComplexACK by the client (SRV=0).
 *
 * <p>Protocol, as the owner drives it:
 * <ul>
 *   <li>Construct it from segment 0 and send {@link #firstStep()}: the Segment-ACK of segment 0 with our actual
 *       window size min(proposed, ours), at once (the sender sends segment 0 alone until it has our window).</li>
 *   <li>{@link #onSegment} for every further segment of the transaction. In order: kept; a Segment-ACK goes out at
 *       the end of each window (actual-window in-order segments after the last ACK) and for the last segment
 *       (MOR=0), which completes the message ({@link Outcome#COMPLETE} with the reassembled service data). Ahead
 *       of the expected one (a gap): discarded, answered by a NAK Segment-ACK with the last in-order sequence
 *       number, from which the next window is counted. Behind it (a segment already received: the sender missed
 *       our ACK and resent): the last Segment-ACK is sent again ({@link Outcome#DUPLICATE}), also after
 *       completion, so that a sender whose final ACK was lost can finish.</li>
 *   <li>Limits: more segments than {@code maxSegments} (when not 0) or more service-data octets than
 *       {@code maxOctets} abort the transfer with Abort reason 1 buffer-overflow; the receiver then ignores
 *       everything.</li>
 *   <li>Time is the owner's: it restarts an inactivity timer on every {@link Outcome#CONTINUE} and
 *       {@link Outcome#DUPLICATE} and drops the receiver, sending nothing, after 4 x APDU_Segment_Timeout without a
 *       segment (the digest: give up after 4x segment timeout, without retries). The receiver never reads a
 *       clock.</li>
 * </ul>
 * Sequence numbers are compared modulo 256 against absolute in-order counts, so messages of any number of segments
 * reassemble. Nothing the peer sends throws: an APDU that is not a segment of this transaction is
 * {@link Outcome#IGNORED}, a first segment that is not segment 0 gives an Abort reason 2
 * invalid-apdu-in-this-state. Not thread-safe: one owner calls it.
 */
public final class SegmentReceiver {

    /** Abort reason buffer-overflow: a limit passed. */
    public static final int ABORT_BUFFER_OVERFLOW = 1;
    /** Abort reason invalid-apdu-in-this-state: the first segment is not segment 0. */
    public static final int ABORT_INVALID_APDU_IN_THIS_STATE = 2;
    /** Abort reason window-size-out-of-range: the first segment proposes a window outside 1-127. */
    public static final int ABORT_WINDOW_SIZE_OUT_OF_RANGE = 7;

    /** What a segment did. */
    public enum Outcome {
        /** The message is in progress: send {@link Step#send()} if any, restart the inactivity timer. */
        CONTINUE,
        /** A segment already received: send the repeated Segment-ACK, restart the inactivity timer if running. */
        DUPLICATE,
        /** The last segment arrived in order: send the final Segment-ACK, deliver {@link Step#data()}. */
        COMPLETE,
        /** A limit passed (or segment 0 was invalid): send the Abort, drop the transaction. */
        ABORT,
        /** Not a segment of this transaction, or the receiver ended by an Abort: nothing to do. */
        IGNORED
    }

    /**
     * The result of a segment.
     *
     * @param send    the APDU to send now (a Segment-ACK, possibly negative, or an Abort), if any
     * @param outcome what the segment did
     * @param data    the reassembled service data, with {@link Outcome#COMPLETE} only
     */
    public record Step(Optional<Apdu> send, Outcome outcome, Optional<ByteString> data) {
        public Step {
            Objects.requireNonNull(send, "send");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(data, "data");
        }

        static Step of(Outcome outcome) {
            return new Step(Optional.empty(), outcome, Optional.empty());
        }

        static Step sending(Apdu apdu, Outcome outcome) {
            return new Step(Optional.of(apdu), outcome, Optional.empty());
        }
    }

    private final Apdu first;
    private final boolean server;
    private final int invokeId;
    private final int serviceChoice;
    private final int maxSegments;
    private final int maxOctets;
    private final int actualWindow;
    private final Step firstStep;

    private boolean finished;
    private boolean complete;
    /** In-order segments received: the absolute index of the next expected segment. */
    private long next;
    /** Absolute index of the segment our last Segment-ACK acknowledged (InitialSequenceNumber). */
    private long acknowledged;
    private Apdu.SegmentAck lastAck;
    private ByteString received = ByteString.emptyByteString();

    /**
     * A receiver started by a message's first segment.
     *
     * @param firstSegment the first segment received: a segmented ComplexACK or Confirmed-Request with sequence 0
     *                     (anything else is answered by {@link #firstStep()}, and the receiver is finished)
     * @param maxSegments  the most segments accepted (our Max_Segments_Accepted); 0 = unspecified: no count limit
     *                     (the octet limit still holds)
     * @param maxOctets    the most service-data octets reassembled (>= 1)
     * @param windowSize   our window size (1-127); the actual window is min(the sender's proposal, this)
     * @throws IllegalArgumentException for invalid limits (never for the segment)
     */
    public SegmentReceiver(Apdu firstSegment, int maxSegments, int maxOctets, int windowSize) {
        Objects.requireNonNull(firstSegment, "firstSegment");
        if (maxSegments < 0) {
            throw new IllegalArgumentException("max segments >= 0 (0 unspecified), got " + maxSegments);
        }
        if (maxOctets < 1) {
            throw new IllegalArgumentException("max octets >= 1, got " + maxOctets);
        }
        if (windowSize < 1 || windowSize > 127) {
            throw new IllegalArgumentException("window size 1-127, got " + windowSize);
        }
        this.first = firstSegment;
        this.maxSegments = maxSegments;
        this.maxOctets = maxOctets;
        this.server = firstSegment instanceof Apdu.ConfirmedRequest;
        Segment s = Segment.of(firstSegment);
        this.invokeId = s == null ? -1 : s.invokeId;
        this.serviceChoice = s == null ? -1 : s.serviceChoice;
        int proposed = s == null ? 0 : s.proposedWindow;
        this.actualWindow = Math.min(Math.max(proposed, 1), windowSize);
        this.firstStep = begin(s, proposed);
    }

    private Step begin(Segment s, int proposed) {
        if (s == null || !s.segmented || !isOctet(s.invokeId) || !isOctet(s.serviceChoice)) {
            finished = true; // not a segment: the owner handles it elsewhere
            return Step.of(Outcome.IGNORED);
        }
        if (s.sequence != 0) {
            return abort(ABORT_INVALID_APDU_IN_THIS_STATE);
        }
        if (proposed < 1 || proposed > 127) {
            return abort(ABORT_WINDOW_SIZE_OUT_OF_RANGE);
        }
        return accept(s);
    }

    /** What to answer the first segment with: normally the Segment-ACK of segment 0. */
    public Step firstStep() {
        return firstStep;
    }

    /** The first segment: its header tells a server the client's SA, max-segments and max-APDU. */
    public Apdu firstSegment() {
        return first;
    }

    /** The actual window size we acknowledge with: min(proposed, ours). */
    public int actualWindowSize() {
        return actualWindow;
    }

    /** True when we are the server (reassembling a request): SRV=1 on our Segment-ACKs and Aborts. */
    public boolean server() {
        return server;
    }

    /** True once the message is complete or the transfer was aborted (or never started). */
    public boolean finished() {
        return finished;
    }

    /** A further segment of the transaction. Never throws for any APDU. */
    public Step onSegment(Apdu apdu) {
        Objects.requireNonNull(apdu, "apdu");
        Segment s = Segment.of(apdu);
        if ((finished && !complete) || s == null || s.request != server || !s.segmented || s.invokeId != invokeId
                || s.serviceChoice != serviceChoice || s.sequence < 0 || s.sequence > 255) {
            return Step.of(Outcome.IGNORED);
        }
        int ahead = (int) ((s.sequence - next) & 0xFF);
        if (ahead >= 128) {
            // behind the expected segment: already received, the sender missed our ACK
            return Step.sending(lastAck, Outcome.DUPLICATE);
        }
        if (complete) {
            return Step.of(Outcome.IGNORED); // beyond the last segment
        }
        if (ahead > 0) {
            // a gap: discard, NAK with the last in-order segment; the next window counts from there
            acknowledged = next - 1;
            lastAck = new Apdu.SegmentAck(true, server, invokeId, (int) (acknowledged & 0xFF), actualWindow);
            return Step.sending(lastAck, Outcome.CONTINUE);
        }
        return accept(s);
    }

    /** Segment {@code next}, in order. */
    private Step accept(Segment s) {
        if ((maxSegments > 0 && next + 1 > maxSegments) || (long) received.size() + s.data.size() > maxOctets) {
            return abort(ABORT_BUFFER_OVERFLOW);
        }
        received = received.concat(s.data);
        long index = next++;
        if (!s.moreFollows) {
            finished = true;
            complete = true;
            acknowledged = index;
            lastAck = new Apdu.SegmentAck(false, server, invokeId, s.sequence, actualWindow);
            ByteString whole = received.compact();
            received = ByteString.emptyByteString();
            return new Step(Optional.of(lastAck), Outcome.COMPLETE, Optional.of(whole));
        }
        if (index == 0 || index - acknowledged == actualWindow) {
            acknowledged = index;
            lastAck = new Apdu.SegmentAck(false, server, invokeId, s.sequence, actualWindow);
            return Step.sending(lastAck, Outcome.CONTINUE);
        }
        return Step.of(Outcome.CONTINUE);
    }

    private Step abort(int reason) {
        finished = true;
        received = ByteString.emptyByteString();
        return Step.sending(new Apdu.Abort(server, invokeId, reason), Outcome.ABORT);
    }

    private static boolean isOctet(int v) {
        return v >= 0 && v <= 255;
    }

    /** The segment fields common to a ComplexACK and a Confirmed-Request. */
    private record Segment(boolean request, boolean segmented, boolean moreFollows, int invokeId, int sequence,
                           int proposedWindow, int serviceChoice, ByteString data) {
        static Segment of(Apdu apdu) {
            if (apdu instanceof Apdu.ConfirmedRequest r) {
                return new Segment(true, r.segmented(), r.moreFollows(), r.invokeId(), r.sequenceNumber(),
                        r.proposedWindowSize(), r.serviceChoice(), r.service() == null ? ByteString.emptyByteString()
                        : r.service());
            }
            if (apdu instanceof Apdu.ComplexAck a) {
                return new Segment(false, a.segmented(), a.moreFollows(), a.invokeId(), a.sequenceNumber(),
                        a.proposedWindowSize(), a.serviceChoice(), a.service() == null ? ByteString.emptyByteString()
                        : a.service());
            }
            return null;
        }
    }
}
