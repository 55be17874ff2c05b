package org.bacnetsc.device;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.object.DeviceObject;
import org.bacnetsc.device.segment.SegmentReceiver;

/**
 * The client's transactions: one invoke ID per outstanding request (256 at most), the APDU timeout with retries, and
 * segmented ComplexACKs reassembled within Max_Segments_Accepted (an Abort buffer-overflow past it) and given up
 * after 4 x the segment timeout of silence.
 */
final class ClientTransactions {

    /** Our window for segmented ACKs. */
    static final int WINDOW = 16;

    private static final class Pending {
        final Address to;
        final Apdu.ConfirmedRequest request;
        final CompletableFuture<ByteString> reply;
        int attempt;
        SegmentReceiver receiver;

        Pending(Address to, Apdu.ConfirmedRequest request, CompletableFuture<ByteString> reply) {
            this.to = to;
            this.request = request;
            this.reply = reply;
        }
    }

    private final Wire wire;
    private final TimerScheduler<ApplicationLayer.Command> timers;
    private final Counting counts;
    private final Duration apduTimeout;
    private final Duration segmentTimeout;
    private final int retries;
    private final int maxSegmentsAccepted;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private int nextInvoke;

    ClientTransactions(Wire wire, TimerScheduler<ApplicationLayer.Command> timers, Counting counts,
                       Duration apduTimeout, Duration segmentTimeout, int retries, int maxSegmentsAccepted) {
        this.wire = wire;
        this.timers = timers;
        this.counts = counts;
        this.apduTimeout = apduTimeout;
        this.segmentTimeout = segmentTimeout;
        this.retries = retries;
        this.maxSegmentsAccepted = maxSegmentsAccepted;
    }

    void request(Address to, int service, ByteString data, CompletableFuture<ByteString> reply) {
        if (data.size() + 4 > DeviceObject.MAX_APDU) {
            reply.completeExceptionally(BacnetException.of(BacnetException.Kind.NOT_SENT,
                    "a request of " + data.size() + " octets would need segments; this client sends none"));
            return;
        }
        int invoke = -1;
        for (int i = 0; i < 256; i++) {
            int candidate = (nextInvoke + i) & 0xFF;
            if (!pending.containsKey(candidate)) {
                invoke = candidate;
                break;
            }
        }
        if (invoke < 0) {
            reply.completeExceptionally(BacnetException.of(BacnetException.Kind.NOT_SENT,
                    "256 requests outstanding: no invoke ID free"));
            return;
        }
        nextInvoke = (invoke + 1) & 0xFF;
        // SA set; max-segments: the count we accept (more than 64 is sent as 65, ApduCodec's "more than 64")
        int segments = maxSegmentsAccepted > 64 ? 65 : Integer.highestOneBit(maxSegmentsAccepted);
        Apdu.ConfirmedRequest req = new Apdu.ConfirmedRequest(false, false, true, segments, DeviceObject.MAX_APDU,
                invoke, 0, 0, service, data);
        Pending p = new Pending(to, req, reply);
        pending.put(invoke, p);
        counts.clientRequests++;
        wire.send(to, req, true);
        timers.startSingleTimer(new ApplicationLayer.ClientTimeout(invoke), apduTimeout);
    }

    void onTimeout(int invoke) {
        Pending p = pending.get(invoke);
        if (p == null) {
            return;
        }
        if (p.receiver == null && p.attempt < retries) {
            p.attempt++;
            counts.clientRetries++;
            wire.send(p.to, p.request, true);
            timers.startSingleTimer(new ApplicationLayer.ClientTimeout(invoke), apduTimeout);
            return;
        }
        pending.remove(invoke);
        counts.clientTimeouts++;
        p.reply.completeExceptionally(BacnetException.of(BacnetException.Kind.TIMEOUT, p.receiver == null
                ? "no answer from " + p.to + " within " + apduTimeout.toMillis() + " ms, " + retries + " retries"
                : "the segmented answer from " + p.to + " stopped"));
    }

    /** An answer PDU from {@code from}. */
    void onAnswer(Address from, Apdu apdu, int invoke) {
        Pending p = pending.get(invoke);
        if (p == null || !p.to.equals(from)) {
            return; // not ours (late, or another peer's invoke ID): dropped
        }
        if (apdu instanceof Apdu.SimpleAck) {
            finish(invoke, p).complete(ByteString.emptyByteString());
        } else if (apdu instanceof Apdu.ComplexAck ack && !ack.segmented()) {
            finish(invoke, p).complete(ack.service());
        } else if (apdu instanceof Apdu.ComplexAck ack) {
            segment(invoke, p, ack);
        } else if (apdu instanceof Apdu.Error e) {
            finish(invoke, p).completeExceptionally(BacnetException.error(e.errorClass(), e.errorCode()));
        } else if (apdu instanceof Apdu.Reject r) {
            finish(invoke, p).completeExceptionally(BacnetException.reject(r.reason()));
        } else if (apdu instanceof Apdu.Abort a && a.server()) {
            finish(invoke, p).completeExceptionally(BacnetException.abort(a.reason(), true));
        }
    }

    private void segment(int invoke, Pending p, Apdu.ComplexAck ack) {
        SegmentReceiver.Step step;
        if (p.receiver == null) {
            p.receiver = new SegmentReceiver(ack, maxSegmentsAccepted, maxSegmentsAccepted * DeviceObject.MAX_APDU,
                    WINDOW);
            step = p.receiver.firstStep();
        } else {
            step = p.receiver.onSegment(ack);
        }
        step.send().ifPresent(a -> wire.send(p.to, a, false));
        switch (step.outcome()) {
            case COMPLETE -> finish(invoke, p).complete(step.data().orElseThrow());
            case ABORT -> finish(invoke, p).completeExceptionally(BacnetException.abort(
                    step.send().filter(a -> a instanceof Apdu.Abort).map(a -> ((Apdu.Abort) a).reason()).orElse(0),
                    false));
            case CONTINUE, DUPLICATE -> timers.startSingleTimer(new ApplicationLayer.ClientTimeout(invoke),
                    segmentTimeout.multipliedBy(4));
            default -> {
            }
        }
    }

    private CompletableFuture<ByteString> finish(int invoke, Pending p) {
        pending.remove(invoke);
        timers.cancel(new ApplicationLayer.ClientTimeout(invoke));
        return p.reply;
    }

    int outstanding() {
        return pending.size();
    }

    /** Fails every outstanding request (the device stops). */
    void failAll(String why) {
        pending.values().forEach(p -> p.reply.completeExceptionally(
                BacnetException.of(BacnetException.Kind.NOT_SENT, why)));
        pending.clear();
    }
}
