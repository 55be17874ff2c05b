package org.bacnetsc.device.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.codec.ApduCodec;

/**
 * The send side of one segmented message (digest 1.3, Clause 5.4.4.1 / 5.4.5.3): a ComplexACK sent by a server or a
 * Confirmed-Request sent by a client, cut into segments of the peer's max-APDU minus the segmented header, sent in
 * windows and acknowledged by the peer's Segment-ACKs.
 *
 * <p>Protocol, as the owner drives it:
 * <ol>
 *   <li>{@link #start()}: send segment 0 alone (the standard's ActualWindowSize starts at 1: the peer's window is
 *       not known before its first Segment-ACK) and start the segment timer (APDU_Segment_Timeout).</li>
 *   <li>{@link #onSegmentAck}: the ACK's sequence number is the highest segment the peer received in order. An ACK
 *       of a segment of the window in flight starts the next window at ack+1 with min(actual window, remaining)
 *       segments (a NAK means the same: resend from ack+1) and resets the retry count; an ACK of the last segment
 *       ends the transfer ({@link Outcome#DONE}); any other ACK is a duplicate ({@link Outcome#IGNORED}: restart the
 *       timer, send nothing); an actual window size outside 1-127 aborts (reason 7).</li>
 *   <li>{@link #onTimeout()}: the segment timer expired: resend the window in flight, at most {@code maxRetries}
 *       times in a row; then {@link Outcome#GIVE_UP}: the transaction is dropped silently.</li>
 * </ol>
 * Sequence numbers are the segment's index modulo 256; the sender tracks absolute indexes, so a message may have any
 * number of segments (whether the peer accepts that many is the caller's check, with {@link #segmentsNeeded} and the
 * peer's max-segments). The message is held once: every segment's service data is a slice of it.
 *
 * <p>Not thread-safe: one owner (an actor) calls it. Caller errors (invalid arguments of the factories, a second
 * {@code start()}) throw; nothing the peer sends does.
 */
public final class SegmentSender {

    /** Header octets of a segmented ComplexACK: type/flags, invoke ID, sequence number, window, service choice. */
    public static final int COMPLEX_ACK_HEADER = 5;
    /** Header octets of a segmented Confirmed-Request: as the ComplexACK's, plus max-segments/max-APDU. */
    public static final int CONFIRMED_REQUEST_HEADER = 6;
    /** The smallest and largest peer max-APDU accepted (Clause 20.1 max-APDU codes 0 and 5; SC's APDU limit). */
    public static final int MIN_MAX_APDU = 50;
    public static final int MAX_MAX_APDU = 1476;
    /** Abort reason window-size-out-of-range. */
    public static final int ABORT_WINDOW_SIZE_OUT_OF_RANGE = 7;

    /** What an input did. */
    public enum Outcome {
        /** The transfer goes on: send {@link Step#send()} (possibly nothing) and restart the segment timer. */
        CONTINUE,
        /** The last segment is acknowledged: stop the segment timer (a client now awaits the response). */
        DONE,
        /**
         * Nothing changed: a duplicate ACK (restart the segment timer), or an input that is not this transaction's or
         * comes after it ended (nothing to do).
         */
        IGNORED,
        /** The peer's ACK was invalid: send the Abort in {@link Step#send()}, drop the transaction. */
        ABORT,
        /** Retries exhausted: drop the transaction silently (a client reports a TSM timeout to its application). */
        GIVE_UP
    }

    /**
     * The result of an input.
     *
     * @param send    the APDUs to send now, in order (segments, or one Abort); empty when there is nothing to send
     * @param outcome what the input did
     */
    public record Step(List<Apdu> send, Outcome outcome) {
        public Step {
            send = List.copyOf(send);
            Objects.requireNonNull(outcome, "outcome");
        }

        static Step of(Outcome outcome) {
            return new Step(List.of(), outcome);
        }
    }

    private final boolean complexAck;
    private final int invokeId;
    private final int serviceChoice;
    private final ByteString data;
    private final int segmentSize;
    private final int total;
    private final int proposedWindow;
    private final int maxRetries;
    // Confirmed-Request header fields (ignored for a ComplexACK)
    private final boolean segmentedResponseAccepted;
    private final int maxSegmentsAccepted;
    private final int maxApduAccepted;

    private boolean started;
    private boolean finished;
    /** Absolute index of the first segment of the window in flight. */
    private int windowStart;
    /** Number of segments in the window in flight (0 before start). */
    private int inFlight;
    private int retries;

    private SegmentSender(boolean complexAck, int invokeId, int serviceChoice, ByteString data, int peerMaxApdu,
                          int proposedWindow, int maxRetries, boolean segmentedResponseAccepted,
                          int maxSegmentsAccepted, int maxApduAccepted) {
        this.complexAck = complexAck;
        this.invokeId = octet("invoke ID", invokeId);
        this.serviceChoice = octet("service choice", serviceChoice);
        this.data = Objects.requireNonNull(data, "serviceData");
        this.segmentSize = payload(peerMaxApdu, complexAck);
        this.total = segmentsNeeded(data.size(), peerMaxApdu, complexAck);
        if (proposedWindow < 1 || proposedWindow > 127) {
            throw new IllegalArgumentException("proposed window size 1-127, got " + proposedWindow);
        }
        this.proposedWindow = proposedWindow;
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries >= 0, got " + maxRetries);
        }
        this.maxRetries = maxRetries;
        this.segmentedResponseAccepted = segmentedResponseAccepted;
        this.maxSegmentsAccepted = maxSegmentsAccepted;
        this.maxApduAccepted = maxApduAccepted;
    }

    /**
     * A server's segmented ComplexACK.
     *
     * @param invokeId       the request's invoke ID (0-255)
     * @param serviceChoice  the request's service (0-255)
     * @param serviceData    the whole ACK's service data
     * @param peerMaxApdu    the client's max-APDU accepted, already capped at our link's limit (50-1476)
     * @param proposedWindow the window size we propose (1-127)
     * @param maxRetries     resends of a window on segment timeouts (Number_Of_APDU_Retries, >= 0)
     */
    public static SegmentSender complexAck(int invokeId, int serviceChoice, ByteString serviceData, int peerMaxApdu,
                                           int proposedWindow, int maxRetries) {
        return new SegmentSender(true, invokeId, serviceChoice, serviceData, peerMaxApdu, proposedWindow, maxRetries,
                false, 0, MIN_MAX_APDU);
    }

    /**
     * A client's segmented Confirmed-Request.
     *
     * @param invokeId                  the request's invoke ID (0-255)
     * @param serviceChoice             the confirmed service (0-255)
     * @param serviceData               the whole request's service data
     * @param peerMaxApdu               the server's max-APDU accepted (from its I-Am or Device object), already
     *                                  capped at our link's limit (50-1476): sets the segment size
     * @param segmentedResponseAccepted SA in every segment: we accept a segmented response
     * @param maxSegmentsAccepted       max-segments in every segment: the most response segments we accept, as a
     *                                  count (0 unspecified, 2, 4, 8, 16, 32, 64, 65 = more than 64)
     * @param maxApduAccepted           max-APDU in every segment: the longest response APDU we accept (50, 128,
     *                                  206, 480, 1024 or 1476)
     * @param proposedWindow            the window size we propose (1-127)
     * @param maxRetries                resends of a window on segment timeouts (Number_Of_APDU_Retries, >= 0)
     */
    public static SegmentSender confirmedRequest(int invokeId, int serviceChoice, ByteString serviceData,
                                                 int peerMaxApdu, boolean segmentedResponseAccepted,
                                                 int maxSegmentsAccepted, int maxApduAccepted, int proposedWindow,
                                                 int maxRetries) {
        ApduCodec.maxSegmentsCode(maxSegmentsAccepted);
        ApduCodec.maxApduCode(maxApduAccepted);
        return new SegmentSender(false, invokeId, serviceChoice, serviceData, peerMaxApdu, proposedWindow,
                maxRetries, segmentedResponseAccepted, maxSegmentsAccepted, maxApduAccepted);
    }

    /**
     * Segments needed for {@code dataLength} octets of service data: ceil(length / (peerMaxApdu - header)), at least
     * 1; the header is {@value #COMPLEX_ACK_HEADER} octets for a ComplexACK, {@value #CONFIRMED_REQUEST_HEADER} for a
     * Confirmed-Request.
     */
    public static int segmentsNeeded(int dataLength, int peerMaxApdu, boolean complexAck) {
        if (dataLength < 0) {
            throw new IllegalArgumentException("data length >= 0, got " + dataLength);
        }
        int size = payload(peerMaxApdu, complexAck);
        return Math.max(1, (int) ((dataLength + (long) size - 1) / size));
    }

    private static int payload(int peerMaxApdu, boolean complexAck) {
        if (peerMaxApdu < MIN_MAX_APDU || peerMaxApdu > MAX_MAX_APDU) {
            throw new IllegalArgumentException("peer max-APDU " + MIN_MAX_APDU + "-" + MAX_MAX_APDU + ", got "
                    + peerMaxApdu);
        }
        return peerMaxApdu - (complexAck ? COMPLEX_ACK_HEADER : CONFIRMED_REQUEST_HEADER);
    }

    private static int octet(String what, int v) {
        if (v < 0 || v > 255) {
            throw new IllegalArgumentException(what + " 0-255, got " + v);
        }
        return v;
    }

    /** The number of segments of the message. */
    public int segmentCount() {
        return total;
    }

    /** Service-data octets per segment (all but the last are this long). */
    public int segmentSize() {
        return segmentSize;
    }

    /** The transaction's invoke ID. */
    public int invokeId() {
        return invokeId;
    }

    /** True once the transfer ended: {@link Outcome#DONE}, {@link Outcome#ABORT} or {@link Outcome#GIVE_UP}. */
    public boolean finished() {
        return finished;
    }

    /**
     * The first window: segment 0 alone (ActualWindowSize 1 until the peer's first Segment-ACK gives its window).
     * Start the segment timer after sending it.
     *
     * @throws IllegalStateException when called twice
     */
    public List<Apdu> start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        windowStart = 0;
        inFlight = 1;
        return window();
    }

    /** A Segment-ACK from the peer. Never throws for any ACK. */
    public Step onSegmentAck(Apdu.SegmentAck ack) {
        Objects.requireNonNull(ack, "ack");
        if (finished || !started || ack.invokeId() != invokeId || ack.server() == complexAck
                || ack.sequenceNumber() < 0 || ack.sequenceNumber() > 255) {
            // the peer's ACKs carry SRV=0 for our ComplexACK (sent by the client), SRV=1 for our request
            return Step.of(Outcome.IGNORED);
        }
        if (ack.actualWindowSize() < 1 || ack.actualWindowSize() > 127) {
            finished = true;
            return new Step(List.of(new Apdu.Abort(complexAck, invokeId, ABORT_WINDOW_SIZE_OUT_OF_RANGE)),
                    Outcome.ABORT);
        }
        int offset = (ack.sequenceNumber() - windowStart) & 0xFF;
        if (offset >= inFlight) {
            return Step.of(Outcome.IGNORED); // a duplicate: not a segment of the window in flight
        }
        int acknowledged = windowStart + offset;
        if (acknowledged == total - 1) {
            finished = true;
            return Step.of(Outcome.DONE);
        }
        windowStart = acknowledged + 1;
        inFlight = Math.min(ack.actualWindowSize(), total - windowStart);
        retries = 0;
        return new Step(window(), Outcome.CONTINUE);
    }

    /** The segment timer expired: resend the window in flight, or give up after {@code maxRetries} resends. */
    public Step onTimeout() {
        if (finished || !started) {
            return Step.of(Outcome.IGNORED);
        }
        if (retries >= maxRetries) {
            finished = true;
            return Step.of(Outcome.GIVE_UP);
        }
        retries++;
        return new Step(window(), Outcome.CONTINUE);
    }

    private List<Apdu> window() {
        List<Apdu> out = new ArrayList<>(inFlight);
        for (int i = windowStart; i < windowStart + inFlight; i++) {
            out.add(segment(i));
        }
        return out;
    }

    private Apdu segment(int index) {
        int from = (int) Math.min((long) index * segmentSize, data.size());
        int until = (int) Math.min((long) from + segmentSize, data.size());
        ByteString slice = data.slice(from, until);
        boolean more = index < total - 1;
        int sequence = index & 0xFF;
        return complexAck
                ? new Apdu.ComplexAck(true, more, invokeId, sequence, proposedWindow, serviceChoice, slice)
                : new Apdu.ConfirmedRequest(true, more, segmentedResponseAccepted, maxSegmentsAccepted,
                        maxApduAccepted, invokeId, sequence, proposedWindow, serviceChoice, slice);
    }
}
