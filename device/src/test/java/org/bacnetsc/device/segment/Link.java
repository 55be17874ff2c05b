package org.bacnetsc.device.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.codec.ApduCodec;
import org.bacnetsc.device.codec.ApduDecodeResult;

/**
 * A {@link SegmentSender} and a {@link SegmentReceiver} connected through a FIFO wire: every APDU is encoded with
 * {@link ApduCodec#encode}, checked against the receiving side's max-APDU, decoded back and delivered unless the
 * drop rule loses it. When nothing is in transit and the sender is not finished, its segment timer expires.
 */
final class Link {

    /** The smallest max-APDU: the bound for the receiver's Segment-ACKs and Aborts. */
    static final int SMALLEST_MAX_APDU = 50;

    private record InTransit(boolean toReceiver, Apdu apdu) {
    }

    final SegmentSender sender;
    final int peerMaxApdu;
    final int maxSegments;
    final int maxOctets;
    final int receiverWindow;
    Predicate<Apdu> dropToReceiver = a -> false;
    Predicate<Apdu> dropToSender = a -> false;

    SegmentReceiver receiver;
    final Deque<InTransit> wire = new ArrayDeque<>();
    /** Everything each side sent (before losses), in order. */
    final List<Apdu> sentBySender = new ArrayList<>();
    final List<Apdu> sentByReceiver = new ArrayList<>();
    final List<SegmentSender.Outcome> senderOutcomes = new ArrayList<>();
    final List<SegmentReceiver.Outcome> receiverOutcomes = new ArrayList<>();
    ByteString delivered;
    int deliveries;
    int timeouts;
    SegmentSender.Outcome senderEnd;

    Link(SegmentSender sender, int peerMaxApdu, int maxSegments, int maxOctets, int receiverWindow) {
        this.sender = sender;
        this.peerMaxApdu = peerMaxApdu;
        this.maxSegments = maxSegments;
        this.maxOctets = maxOctets;
        this.receiverWindow = receiverWindow;
    }

    /** Encodes, checks the length, decodes back and checks the round trip. */
    static Apdu onTheWire(Apdu apdu, int maxApdu) {
        ByteString octets = ApduCodec.encode(apdu);
        assertTrue(octets.size() <= maxApdu, () -> apdu + " is " + octets.size() + " octets, max-APDU " + maxApdu);
        ApduDecodeResult back = ApduCodec.decode(octets);
        assertEquals(apdu, back, "decoded form of " + apdu);
        return (Apdu) back;
    }

    Link run() {
        fromSender(sender.start());
        for (int events = 0; events < 1_000_000; events++) {
            InTransit t = wire.poll();
            if (t != null) {
                if (t.toReceiver) {
                    toReceiver(t.apdu);
                } else if (t.apdu instanceof Apdu.SegmentAck ack) {
                    SegmentSender.Step step = sender.onSegmentAck(ack);
                    senderOutcomes.add(step.outcome());
                    fromSender(step.send());
                    end(step.outcome());
                }
            } else if (!sender.finished()) {
                timeouts++;
                SegmentSender.Step step = sender.onTimeout();
                senderOutcomes.add(step.outcome());
                fromSender(step.send());
                end(step.outcome());
            } else {
                return this;
            }
        }
        return fail("the transfer does not end");
    }

    private void end(SegmentSender.Outcome outcome) {
        if (outcome == SegmentSender.Outcome.DONE || outcome == SegmentSender.Outcome.ABORT
                || outcome == SegmentSender.Outcome.GIVE_UP) {
            assertNull(senderEnd, "the sender ends once");
            senderEnd = outcome;
        }
    }

    private void toReceiver(Apdu apdu) {
        SegmentReceiver.Step step;
        if (receiver == null) {
            receiver = new SegmentReceiver(apdu, maxSegments, maxOctets, receiverWindow);
            step = receiver.firstStep();
        } else {
            step = receiver.onSegment(apdu);
        }
        receiverOutcomes.add(step.outcome());
        step.data().ifPresent(d -> {
            deliveries++;
            delivered = d;
        });
        step.send().ifPresent(a -> {
            sentByReceiver.add(a);
            Apdu decoded = onTheWire(a, SMALLEST_MAX_APDU);
            if (!dropToSender.test(decoded)) {
                wire.add(new InTransit(false, decoded));
            }
        });
    }

    private void fromSender(List<Apdu> send) {
        for (Apdu a : send) {
            sentBySender.add(a);
            Apdu decoded = onTheWire(a, peerMaxApdu);
            if (!dropToReceiver.test(decoded)) {
                wire.add(new InTransit(true, decoded));
            }
        }
    }

    /** The sequence number of a segment. */
    static int sequence(Apdu a) {
        if (a instanceof Apdu.ComplexAck c) {
            return c.sequenceNumber();
        }
        if (a instanceof Apdu.ConfirmedRequest r) {
            return r.sequenceNumber();
        }
        return -1;
    }

    /** Drops the first APDU matching {@code which}, once. */
    static Predicate<Apdu> once(Predicate<Apdu> which) {
        boolean[] dropped = {false};
        return a -> {
            if (!dropped[0] && which.test(a)) {
                dropped[0] = true;
                return true;
            }
            return false;
        };
    }
}
