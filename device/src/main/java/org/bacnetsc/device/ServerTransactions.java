package org.bacnetsc.device;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.object.DeviceObject;
import org.bacnetsc.device.segment.SegmentReceiver;
import org.bacnetsc.device.segment.SegmentSender;
import org.bacnetsc.device.server.Answer;

/**
 * The server's transactions (digest 1.2, 1.3): a request answered once per (peer, invoke ID) within the APDU timeout
 * (a repeat gets the same answer again), segmented ComplexACKs sent with windows and Segment-ACKs, segmented requests
 * reassembled. Every table is bounded; past a bound the request gets Abort out-of-resources.
 */
final class ServerTransactions {

    /** Abort reasons. */
    static final int ABORT_OTHER = 0;
    static final int ABORT_BUFFER_OVERFLOW = 1;
    static final int ABORT_SEGMENTATION_NOT_SUPPORTED = 4;
    static final int ABORT_OUT_OF_RESOURCES = 9;
    /** Bounds. */
    static final int MAX_EXECUTING = 64;
    static final int MAX_SENDING = 32;
    static final int MAX_REASSEMBLING = 16;
    static final int MAX_ANSWERED = 1024;
    /** The most octets of a segmented request we reassemble. */
    static final int MAX_REQUEST_OCTETS = 64 * 1024;
    /** The window we propose and accept. */
    static final int WINDOW = 16;

    record Key(Address peer, int invokeId) {
    }

    private final Wire wire;
    private final TimerScheduler<ApplicationLayer.Command> timers;
    private final Counting counts;
    private final Duration apduTimeout;
    private final Duration segmentTimeout;
    private final int retries;
    private final int maxSegmentsAccepted;

    /** Requests being executed (objects refreshing): a repeat is ignored. */
    private final Map<Key, Boolean> executing = new HashMap<>();
    /** Answers sent in one APDU, kept for the APDU timeout: a repeat gets them again. */
    private final LinkedHashMap<Key, Apdu> answered = new LinkedHashMap<>();
    private final Map<Key, SegmentSender> sending = new HashMap<>();
    private final Map<Key, SegmentReceiver> reassembling = new HashMap<>();

    ServerTransactions(Wire wire, TimerScheduler<ApplicationLayer.Command> timers, Counting counts,
                       Duration apduTimeout, Duration segmentTimeout, int retries, int maxSegmentsAccepted) {
        this.wire = wire;
        this.timers = timers;
        this.counts = counts;
        this.apduTimeout = apduTimeout;
        this.segmentTimeout = segmentTimeout;
        this.retries = retries;
        this.maxSegmentsAccepted = maxSegmentsAccepted;
    }

    /**
     * A Confirmed-Request arrived: the whole request to execute, or null when it is a repeat, a segment of a
     * request still arriving, or refused here (answered already).
     */
    Apdu.ConfirmedRequest onRequest(Address from, Apdu.ConfirmedRequest req) {
        Key key = new Key(from, req.invokeId());
        if (req.segmented()) {
            return onRequestSegment(key, req);
        }
        Apdu again = answered.get(key);
        if (again != null) {
            counts.duplicates++;
            wire.send(from, again, false);
            return null;
        }
        if (executing.containsKey(key) || sending.containsKey(key)) {
            counts.duplicates++;
            return null;
        }
        if (executing.size() >= MAX_EXECUTING) {
            abort(key, ABORT_OUT_OF_RESOURCES);
            return null;
        }
        executing.put(key, true);
        return req;
    }

    private Apdu.ConfirmedRequest onRequestSegment(Key key, Apdu.ConfirmedRequest segment) {
        SegmentReceiver r = reassembling.get(key);
        if (r == null) {
            if (segment.sequenceNumber() != 0 && (answered.containsKey(key) || executing.containsKey(key))) {
                counts.duplicates++;
                return null;
            }
            if (reassembling.size() >= MAX_REASSEMBLING) {
                abort(key, ABORT_OUT_OF_RESOURCES);
                return null;
            }
            r = new SegmentReceiver(segment, maxSegmentsAccepted, MAX_REQUEST_OCTETS, WINDOW);
            SegmentReceiver.Step first = r.firstStep();
            return reassemblyStep(key, r, segment, first);
        }
        return reassemblyStep(key, r, segment, r.onSegment(segment));
    }

    private Apdu.ConfirmedRequest reassemblyStep(Key key, SegmentReceiver r, Apdu.ConfirmedRequest segment,
                                                 SegmentReceiver.Step step) {
        step.send().ifPresent(a -> wire.send(key.peer(), a, false));
        switch (step.outcome()) {
            case CONTINUE, DUPLICATE -> {
                reassembling.put(key, r);
                // the digest: give up after 4 x the segment timeout without retries
                timers.startSingleTimer(new ApplicationLayer.ServerReassemblyTimeout(key), segmentTimeout.multipliedBy(4));
                return null;
            }
            case COMPLETE -> {
                reassembling.remove(key);
                timers.cancel(new ApplicationLayer.ServerReassemblyTimeout(key));
                executing.put(key, true);
                Apdu.ConfirmedRequest first = (Apdu.ConfirmedRequest) r.firstSegment();
                return new Apdu.ConfirmedRequest(false, false, first.segmentedResponseAccepted(), first.maxSegments(),
                        first.maxApdu(), first.invokeId(), 0, 0, first.serviceChoice(), step.data().orElseThrow());
            }
            case ABORT -> {
                reassembling.remove(key);
                timers.cancel(new ApplicationLayer.ServerReassemblyTimeout(key));
                counts.aborts++;
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    void onReassemblyTimeout(Key key) {
        if (reassembling.remove(key) != null) {
            counts.segmentTimeouts++;
        }
    }

    /** The executor's answer to {@code req}: sent, segmented, or refused with an Abort. */
    void answer(Address to, Apdu.ConfirmedRequest req, Answer answer) {
        Key key = new Key(to, req.invokeId());
        executing.remove(key);
        counts.requestsServed++;
        int service = req.serviceChoice();
        Apdu out;
        if (answer instanceof Answer.Simple) {
            out = new Apdu.SimpleAck(req.invokeId(), service);
        } else if (answer instanceof Answer.Error e) {
            counts.errors++;
            out = new Apdu.Error(req.invokeId(), service, e.errorClass(), e.errorCode());
        } else if (answer instanceof Answer.Reject r) {
            counts.rejects++;
            out = new Apdu.Reject(req.invokeId(), r.reason());
        } else if (answer instanceof Answer.Abort a) {
            counts.aborts++;
            out = new Apdu.Abort(true, req.invokeId(), a.reason());
        } else {
            out = complex(key, req, ((Answer.Complex) answer).data());
        }
        if (out != null) {
            remember(key, out);
            wire.send(to, out, false);
        }
    }

    /** The ComplexACK in one APDU, or null when it goes in segments (started here) or is refused (an Abort sent). */
    private Apdu complex(Key key, Apdu.ConfirmedRequest req, ByteString data) {
        int limit = Math.min(req.maxApdu(), DeviceObject.MAX_APDU);
        if (data.size() + 3 <= limit) {
            return Apdu.ComplexAck.of(req.invokeId(), req.serviceChoice(), data);
        }
        if (!req.segmentedResponseAccepted()) {
            counts.aborts++;
            return new Apdu.Abort(true, req.invokeId(), ABORT_SEGMENTATION_NOT_SUPPORTED);
        }
        int needed = SegmentSender.segmentsNeeded(data.size(), limit, true);
        // 0: unspecified, 65: more than 64 (BACnet4J treats both as unlimited); more than the client takes: Abort
        // buffer-overflow [verify: 11 apdu-too-long] (digest section 10)
        boolean unlimited = req.maxSegments() == 0 || req.maxSegments() > 64;
        if (!unlimited && needed > req.maxSegments() || needed > 255 * 16) {
            counts.aborts++;
            return new Apdu.Abort(true, req.invokeId(), ABORT_BUFFER_OVERFLOW);
        }
        if (sending.size() >= MAX_SENDING) {
            counts.aborts++;
            return new Apdu.Abort(true, req.invokeId(), ABORT_OUT_OF_RESOURCES);
        }
        SegmentSender s = SegmentSender.complexAck(req.invokeId(), req.serviceChoice(), data,
                Math.max(limit, SegmentSender.MIN_MAX_APDU), WINDOW, retries);
        sending.put(key, s);
        counts.segmentedResponses++;
        send(key.peer(), s.start());
        timers.startSingleTimer(new ApplicationLayer.ServerSegmentTimeout(key), segmentTimeout);
        return null;
    }

    void onSegmentAck(Address from, Apdu.SegmentAck ack) {
        Key key = new Key(from, ack.invokeId());
        SegmentSender s = sending.get(key);
        if (s == null || ack.server()) {
            return;
        }
        SegmentSender.Step step = s.onSegmentAck(ack);
        send(from, step.send());
        switch (step.outcome()) {
            case CONTINUE, IGNORED -> timers.startSingleTimer(new ApplicationLayer.ServerSegmentTimeout(key),
                    segmentTimeout);
            case DONE, ABORT, GIVE_UP -> {
                sending.remove(key);
                timers.cancel(new ApplicationLayer.ServerSegmentTimeout(key));
                if (step.outcome() == SegmentSender.Outcome.ABORT) {
                    counts.aborts++;
                }
            }
        }
    }

    void onSegmentTimeout(Key key) {
        SegmentSender s = sending.get(key);
        if (s == null) {
            return;
        }
        SegmentSender.Step step = s.onTimeout();
        send(key.peer(), step.send());
        if (step.outcome() == SegmentSender.Outcome.GIVE_UP) {
            // the client stopped acknowledging: the transaction costs nothing more
            sending.remove(key);
            counts.segmentTimeouts++;
        } else {
            timers.startSingleTimer(new ApplicationLayer.ServerSegmentTimeout(key), segmentTimeout);
        }
    }

    /** The client aborted: drop whatever we hold for the transaction. */
    void onAbort(Address from, Apdu.Abort abort) {
        if (abort.server()) {
            return;
        }
        Key key = new Key(from, abort.invokeId());
        if (sending.remove(key) != null) {
            timers.cancel(new ApplicationLayer.ServerSegmentTimeout(key));
        }
        if (reassembling.remove(key) != null) {
            timers.cancel(new ApplicationLayer.ServerReassemblyTimeout(key));
        }
    }

    void forget(Key key) {
        answered.remove(key);
    }

    /** Transactions in progress, for status. */
    int inProgress() {
        return executing.size() + sending.size() + reassembling.size();
    }

    private void abort(Key key, int reason) {
        counts.aborts++;
        wire.send(key.peer(), new Apdu.Abort(true, key.invokeId(), reason), false);
    }

    private void remember(Key key, Apdu out) {
        if (answered.size() >= MAX_ANSWERED) {
            Key oldest = answered.keySet().iterator().next();
            answered.remove(oldest);
            timers.cancel(new ApplicationLayer.ForgetAnswer(oldest));
        }
        answered.put(key, out);
        timers.startSingleTimer(new ApplicationLayer.ForgetAnswer(key), apduTimeout);
    }

    private void send(Address to, List<Apdu> apdus) {
        apdus.forEach(a -> wire.send(to, a, false));
    }
}
