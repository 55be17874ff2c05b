package org.bacnetsc.device.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;
import org.junit.jupiter.api.Test;

/** A sender and a receiver connected through an encoding wire (see {@link Link}): delivery, losses, recovery. */
class SegmentTransferTest {

    static final int INVOKE = 0x2A;
    static final int SERVICE = 14;

    static ByteString data(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return ByteString.fromArray(b);
    }

    static SegmentSender sender(boolean complexAck, ByteString data, int peerMaxApdu, int window, int maxRetries) {
        return complexAck
                ? SegmentSender.complexAck(INVOKE, SERVICE, data, peerMaxApdu, window, maxRetries)
                : SegmentSender.confirmedRequest(INVOKE, SERVICE, data, peerMaxApdu, true, 64, 1476, window,
                        maxRetries);
    }

    static List<Integer> sequences(List<Apdu> apdus) {
        return apdus.stream().map(Link::sequence).toList();
    }

    static List<Apdu.SegmentAck> acks(List<Apdu> apdus) {
        return apdus.stream().filter(Apdu.SegmentAck.class::isInstance).map(Apdu.SegmentAck.class::cast).toList();
    }

    @Property(tries = 250)
    void connectedSenderAndReceiverDeliverTheDataExactlyForAnySizeWindowAndMaxApdu(
            @ForAll @IntRange(min = 1, max = 400) int segments,
            @ForAll @IntRange(min = 1, max = 127) int proposedWindow,
            @ForAll @IntRange(min = 1, max = 127) int receiverWindow,
            @ForAll @IntRange(min = 50, max = 1476) int peerMaxApdu,
            @ForAll boolean complexAck, @ForAll long seed) {
        int payload = peerMaxApdu - (complexAck ? 5 : 6);
        int size = (segments - 1) * payload + 1 + Math.floorMod(seed, payload);
        ByteString data = data(size, seed);
        SegmentSender sender = sender(complexAck, data, peerMaxApdu, proposedWindow, 3);
        assertEquals(segments, sender.segmentCount());
        assertEquals(segments, SegmentSender.segmentsNeeded(size, peerMaxApdu, complexAck));

        Link link = new Link(sender, peerMaxApdu, 0, size, receiverWindow).run();

        assertEquals(data, link.delivered, "the reassembled service data");
        assertEquals(1, link.deliveries);
        assertEquals(SegmentSender.Outcome.DONE, link.senderEnd);
        assertEquals(0, link.timeouts);
        assertTrue(link.receiver.finished());
        int actual = Math.min(proposedWindow, receiverWindow);
        assertEquals(actual, link.receiver.actualWindowSize());
        assertEquals(segments, link.sentBySender.size(), "every segment is sent once when nothing is lost");
        // a Segment-ACK for segment 0, one per full window after it, and one for the last segment
        assertEquals(1 + (segments - 1 + actual - 1) / actual, link.sentByReceiver.size(), "Segment-ACKs");
        for (Apdu.SegmentAck ack : acks(link.sentByReceiver)) {
            assertEquals(!complexAck, ack.server(), "SRV on the ACKs of the server reassembling a request");
            assertEquals(actual, ack.actualWindowSize());
        }
    }

    @Property(tries = 150)
    void aLossyWireStillDeliversTheDataExactlyOnce(
            @ForAll @IntRange(min = 1, max = 300) int segments,
            @ForAll @IntRange(min = 1, max = 127) int proposedWindow,
            @ForAll @IntRange(min = 1, max = 127) int receiverWindow,
            @ForAll @IntRange(min = 50, max = 1476) int peerMaxApdu,
            @ForAll @IntRange(min = 0, max = 20) int lossPercent,
            @ForAll boolean complexAck, @ForAll long seed) {
        int payload = peerMaxApdu - (complexAck ? 5 : 6);
        int size = (segments - 1) * payload + 1 + Math.floorMod(seed, payload);
        ByteString data = data(size, seed);
        Random loss = new Random(seed ^ 0x5EED);
        Link link = new Link(sender(complexAck, data, peerMaxApdu, proposedWindow, 60), peerMaxApdu, 0, size,
                receiverWindow);
        link.dropToReceiver = a -> loss.nextInt(100) < lossPercent;
        link.dropToSender = a -> loss.nextInt(100) < lossPercent;
        link.run();

        assertEquals(SegmentSender.Outcome.DONE, link.senderEnd);
        assertEquals(data, link.delivered);
        assertEquals(1, link.deliveries);
    }

    @Test
    void aOneOctetMessageIsOneSegmentWithMoreFollowsClear() {
        Link link = new Link(sender(true, data(1, 1), 50, 5, 3), 50, 0, 1, 5).run();
        assertEquals(data(1, 1), link.delivered);
        assertEquals(List.of(new Apdu.ComplexAck(true, false, INVOKE, 0, 5, SERVICE, data(1, 1))),
                link.sentBySender);
        assertEquals(List.of(new Apdu.SegmentAck(false, false, INVOKE, 0, 5)), link.sentByReceiver);
    }

    @Test
    void lostSegmentIsNakedAndResentFromTheLastInOrder() {
        ByteString data = data(450, 2); // ten segments of 45 octets at max-APDU 50
        Link link = new Link(sender(true, data, 50, 3, 3), 50, 0, 450, 3);
        link.dropToReceiver = Link.once(a -> Link.sequence(a) == 2);
        link.run();

        assertEquals(data, link.delivered);
        assertEquals(0, link.timeouts, "the NAK, not a timeout, recovers");
        assertEquals(List.of(0, 1, 2, 3, 2, 3, 4, 5, 6, 7, 8, 9), sequences(link.sentBySender));
        assertEquals(List.of(
                new Apdu.SegmentAck(false, false, INVOKE, 0, 3),
                new Apdu.SegmentAck(true, false, INVOKE, 1, 3), // segment 3 arrived after 1: NAK of 1
                new Apdu.SegmentAck(false, false, INVOKE, 4, 3), // the window after the NAK counts from 1
                new Apdu.SegmentAck(false, false, INVOKE, 7, 3),
                new Apdu.SegmentAck(false, false, INVOKE, 9, 3)), link.sentByReceiver);
        assertEquals(SegmentSender.Outcome.DONE, link.senderEnd);
    }

    @Test
    void lostSegmentAtTheEndOfAWindowIsResentOnTheSegmentTimeout() {
        ByteString data = data(450, 3);
        Link link = new Link(sender(false, data, 51, 3, 3), 51, 0, 450, 3);
        link.dropToReceiver = Link.once(a -> Link.sequence(a) == 3);
        link.run();

        assertEquals(data, link.delivered);
        assertEquals(1, link.timeouts);
        assertEquals(List.of(0, 1, 2, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9), sequences(link.sentBySender));
    }

    @Test
    void lostSegmentAckIsRecoveredBySenderTimeoutAndTheReceiversReAck() {
        ByteString data = data(450, 4);
        Link link = new Link(sender(true, data, 50, 3, 3), 50, 0, 450, 3);
        link.dropToSender = Link.once(a -> a instanceof Apdu.SegmentAck ack && ack.sequenceNumber() == 3);
        link.run();

        assertEquals(data, link.delivered);
        assertEquals(1, link.timeouts);
        assertEquals(List.of(0, 1, 2, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9), sequences(link.sentBySender));
        assertEquals(3, link.receiverOutcomes.stream().filter(o -> o == SegmentReceiver.Outcome.DUPLICATE).count(),
                "each resent segment of the acknowledged window is answered by the last Segment-ACK again");
        assertEquals(2, link.senderOutcomes.stream().filter(o -> o == SegmentSender.Outcome.IGNORED).count(),
                "the first repeated ACK moves the sender on, the other two are duplicates");
        assertEquals(SegmentSender.Outcome.DONE, link.senderEnd);
    }

    @Test
    void lostFinalSegmentAckIsReAckedByTheCompletedReceiver() {
        ByteString data = data(450, 5);
        Link link = new Link(sender(false, data, 51, 3, 3), 51, 0, 450, 3);
        link.dropToSender = Link.once(a -> a instanceof Apdu.SegmentAck ack && ack.sequenceNumber() == 9);
        link.run();

        assertEquals(data, link.delivered);
        assertEquals(1, link.deliveries, "the data is delivered once");
        assertEquals(1, link.timeouts);
        assertEquals(SegmentSender.Outcome.DONE, link.senderEnd);
        assertEquals(new Apdu.SegmentAck(false, true, INVOKE, 9, 3),
                link.sentByReceiver.get(link.sentByReceiver.size() - 1));
    }

    @Test
    void lostFirstSegmentIsResentAloneOnTheSegmentTimeout() {
        ByteString data = data(300, 6);
        Link link = new Link(sender(true, data, 50, 127, 3), 50, 0, 300, 127);
        link.dropToReceiver = Link.once(a -> Link.sequence(a) == 0);
        link.run();

        assertEquals(data, link.delivered);
        assertEquals(List.of(0, 0, 1, 2, 3, 4, 5, 6), sequences(link.sentBySender));
    }

    @Test
    void receiverAcknowledgesSegmentZeroAtOnceThenEachWindowAndTheLastSegment() {
        ByteString data = data(11 * 45, 7);
        Link link = new Link(sender(true, data, 50, 10, 3), 50, 0, 11 * 45, 4).run();

        assertEquals(4, link.receiver.actualWindowSize(), "min(proposed 10, ours 4)");
        assertEquals(List.of(0, 4, 8, 10),
                acks(link.sentByReceiver).stream().map(Apdu.SegmentAck::sequenceNumber).toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), sequences(link.sentBySender));
    }

    @Test
    void segmentsCarrySegMorTheProposedWindowAndSequenceNumbersModulo256() {
        ByteString data = data(300 * 44, 8);
        Link link = new Link(sender(false, data, 50, 127, 3), 50, 0, 300 * 44, 127).run();

        assertEquals(data, link.delivered);
        List<Apdu> sent = link.sentBySender;
        assertEquals(300, sent.size());
        ByteString joined = ByteString.emptyByteString();
        for (int i = 0; i < sent.size(); i++) {
            Apdu.ConfirmedRequest r = (Apdu.ConfirmedRequest) sent.get(i);
            assertEquals(new Apdu.ConfirmedRequest(true, i < 299, true, 64, 1476, INVOKE, i % 256, 127, SERVICE,
                    r.service()), r, "segment " + i);
            assertEquals(44, r.service().size());
            joined = joined.concat(r.service());
        }
        assertEquals(data, joined);
    }
}
