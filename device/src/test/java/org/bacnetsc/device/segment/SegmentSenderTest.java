package org.bacnetsc.device.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.codec.ApduCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The send side alone: first segment, window moves, duplicates, timeouts, aborts, arguments. */
class SegmentSenderTest {

    static final int INVOKE = 0x2A;

    static SegmentSender tenSegments(int window, int maxRetries) {
        return SegmentSender.complexAck(INVOKE, 12, SegmentTransferTest.data(450, 1), 50, window, maxRetries);
    }

    static Apdu.SegmentAck ack(int sequence, int window) {
        return new Apdu.SegmentAck(false, false, INVOKE, sequence, window);
    }

    @Test
    void segmentsNeededCountsMaxApduMinusTheSegmentedHeaderPerSegment() {
        assertEquals(1, SegmentSender.segmentsNeeded(0, 1476, true));
        assertEquals(1, SegmentSender.segmentsNeeded(1471, 1476, true), "ComplexACK header 5 octets");
        assertEquals(2, SegmentSender.segmentsNeeded(1472, 1476, true));
        assertEquals(1, SegmentSender.segmentsNeeded(1470, 1476, false), "Confirmed-Request header 6 octets");
        assertEquals(2, SegmentSender.segmentsNeeded(1471, 1476, false));
        assertEquals(1, SegmentSender.segmentsNeeded(45, 50, true));
        assertEquals(2, SegmentSender.segmentsNeeded(46, 50, true));
        assertEquals(400, SegmentSender.segmentsNeeded(400 * 44, 50, false));
        assertEquals(1_459_881, SegmentSender.segmentsNeeded(Integer.MAX_VALUE, 1476, true), "no overflow");
        assertThrows(IllegalArgumentException.class, () -> SegmentSender.segmentsNeeded(-1, 1476, true));
        assertThrows(IllegalArgumentException.class, () -> SegmentSender.segmentsNeeded(10, 49, true));
        assertThrows(IllegalArgumentException.class, () -> SegmentSender.segmentsNeeded(10, 1477, true));
    }

    @Test
    void firstSegmentIsSentAloneUntilThePeerGivesItsWindow() {
        SegmentSender s = tenSegments(127, 3);
        List<Apdu> first = s.start();
        assertEquals(1, first.size());
        assertEquals(new Apdu.ComplexAck(true, true, INVOKE, 0, 127, 12, SegmentTransferTest.data(450, 1).take(45)),
                first.get(0));
        assertThrows(IllegalStateException.class, s::start);
    }

    @Test
    void nextWindowStartsAfterTheAcknowledgedSegmentWithThePeersWindowSize() {
        SegmentSender s = tenSegments(127, 3);
        s.start();
        SegmentSender.Step step = s.onSegmentAck(ack(0, 4));
        assertEquals(SegmentSender.Outcome.CONTINUE, step.outcome());
        assertEquals(List.of(1, 2, 3, 4), SegmentTransferTest.sequences(step.send()));
        // an ACK in the middle of the window in flight: resend from ack+1, window size as the ACK says
        step = s.onSegmentAck(ack(2, 3));
        assertEquals(List.of(3, 4, 5), SegmentTransferTest.sequences(step.send()));
        // a NAK means the same
        step = s.onSegmentAck(new Apdu.SegmentAck(true, false, INVOKE, 3, 127));
        assertEquals(List.of(4, 5, 6, 7, 8, 9), SegmentTransferTest.sequences(step.send()), "the rest, fewer than W");
        assertFalse(((Apdu.ComplexAck) step.send().get(5)).moreFollows(), "MOR clear on the last segment only");
        assertTrue(((Apdu.ComplexAck) step.send().get(4)).moreFollows());
        assertEquals(SegmentSender.Outcome.DONE, s.onSegmentAck(ack(9, 127)).outcome());
        assertTrue(s.finished());
        assertEquals(SegmentSender.Outcome.IGNORED, s.onSegmentAck(ack(9, 127)).outcome());
        assertEquals(SegmentSender.Outcome.IGNORED, s.onTimeout().outcome());
    }

    @Test
    void anAckOutsideTheWindowInFlightIsADuplicateAndIgnored() {
        SegmentSender s = tenSegments(3, 3);
        s.start();
        s.onSegmentAck(ack(0, 3)); // window 1..3 in flight
        for (int seq : new int[] {0, 4, 9, 255, 128}) {
            SegmentSender.Step step = s.onSegmentAck(ack(seq, 3));
            assertEquals(new SegmentSender.Step(List.of(), SegmentSender.Outcome.IGNORED), step, "ACK " + seq);
        }
        // not this transaction's: another invoke ID, or SRV=1 (an ACK of the client side of a transaction)
        assertEquals(SegmentSender.Outcome.IGNORED,
                s.onSegmentAck(new Apdu.SegmentAck(false, false, INVOKE + 1, 1, 3)).outcome());
        assertEquals(SegmentSender.Outcome.IGNORED,
                s.onSegmentAck(new Apdu.SegmentAck(false, true, INVOKE, 1, 3)).outcome());
        assertEquals(List.of(4, 5, 6), SegmentTransferTest.sequences(s.onSegmentAck(ack(3, 3)).send()));
    }

    @Test
    void anAckBeforeStartIsIgnored() {
        SegmentSender s = tenSegments(3, 3);
        assertEquals(SegmentSender.Outcome.IGNORED, s.onSegmentAck(ack(0, 3)).outcome());
        assertEquals(SegmentSender.Outcome.IGNORED, s.onTimeout().outcome());
    }

    @Test
    void senderGivesUpSilentlyAfterMaxRetriesTimeouts() {
        SegmentSender s = tenSegments(3, 2);
        s.start();
        List<Apdu> window = s.onSegmentAck(ack(0, 3)).send();
        for (int i = 0; i < 2; i++) {
            assertEquals(new SegmentSender.Step(window, SegmentSender.Outcome.CONTINUE), s.onTimeout(),
                    "timeout " + (i + 1) + " resends the window in flight");
        }
        assertEquals(new SegmentSender.Step(List.of(), SegmentSender.Outcome.GIVE_UP), s.onTimeout());
        assertTrue(s.finished());
        assertEquals(SegmentSender.Outcome.IGNORED, s.onSegmentAck(ack(3, 3)).outcome());
        assertEquals(SegmentSender.Outcome.IGNORED, s.onTimeout().outcome());
    }

    @Test
    void aNewAckResetsTheRetryCountButADuplicateDoesNot() {
        SegmentSender s = tenSegments(3, 1);
        s.start();
        assertEquals(SegmentSender.Outcome.CONTINUE, s.onTimeout().outcome());
        s.onSegmentAck(ack(0, 3));
        assertEquals(SegmentSender.Outcome.CONTINUE, s.onTimeout().outcome(), "the count restarted");
        assertEquals(SegmentSender.Outcome.IGNORED, s.onSegmentAck(ack(0, 3)).outcome());
        assertEquals(SegmentSender.Outcome.GIVE_UP, s.onTimeout().outcome());
    }

    @Test
    void zeroMaxRetriesGivesUpOnTheFirstTimeout() {
        SegmentSender s = tenSegments(3, 0);
        s.start();
        assertEquals(SegmentSender.Outcome.GIVE_UP, s.onTimeout().outcome());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 128, -1, 255, Integer.MIN_VALUE})
    void segmentAckWithWindowSizeOutsideOneTo127AbortsWithReason7(int window) {
        SegmentSender server = tenSegments(3, 3);
        server.start();
        assertEquals(new SegmentSender.Step(List.of(new Apdu.Abort(true, INVOKE, 7)), SegmentSender.Outcome.ABORT),
                server.onSegmentAck(ack(0, window)));
        assertTrue(server.finished());
        assertEquals(SegmentSender.Outcome.IGNORED, server.onSegmentAck(ack(0, 3)).outcome());

        SegmentSender client = SegmentSender.confirmedRequest(INVOKE, 15, SegmentTransferTest.data(500, 2), 480,
                false, 0, 480, 5, 3);
        client.start();
        assertEquals(new SegmentSender.Step(List.of(new Apdu.Abort(false, INVOKE, 7)), SegmentSender.Outcome.ABORT),
                client.onSegmentAck(new Apdu.SegmentAck(false, true, INVOKE, 0, window)),
                "a client's Abort has SRV clear");
    }

    @Test
    void theCallersInvalidArgumentsAreRefused() {
        ByteString d = ByteString.fromString("x");
        assertThrows(IllegalArgumentException.class, () -> SegmentSender.complexAck(256, 12, d, 480, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> SegmentSender.complexAck(-1, 12, d, 480, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> SegmentSender.complexAck(1, 256, d, 480, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> SegmentSender.complexAck(1, 12, d, 49, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> SegmentSender.complexAck(1, 12, d, 480, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> SegmentSender.complexAck(1, 12, d, 480, 128, 3));
        assertThrows(IllegalArgumentException.class, () -> SegmentSender.complexAck(1, 12, d, 480, 5, -1));
        assertThrows(NullPointerException.class, () -> SegmentSender.complexAck(1, 12, null, 480, 5, 3));
        assertThrows(IllegalArgumentException.class,
                () -> SegmentSender.confirmedRequest(1, 12, d, 480, true, 3, 480, 5, 3), "max-segments 3");
        assertThrows(IllegalArgumentException.class,
                () -> SegmentSender.confirmedRequest(1, 12, d, 480, true, 64, 500, 5, 3), "max-APDU 500");
    }

    // ------------------------------------------------------------------------------------------- garbage

    record Action(boolean timeout, Apdu.SegmentAck ack) {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Integer> invoke = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(INVOKE)),
                Tuple.of(1, Arbitraries.integers().between(-3, 300)));
        Arbitrary<Integer> sequence = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 255)),
                Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Integer> window = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(1, 127)),
                Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Apdu.SegmentAck> ack = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                invoke, sequence, window).as(Apdu.SegmentAck::new);
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(new Action(true, null))),
                Tuple.of(6, ack.map(a -> new Action(false, a))));
        return action.list().ofMaxSize(200);
    }

    @Property(tries = 400)
    void arbitrarySegmentAcksAndTimeoutsNeverThrowAndEveryAnswerEncodes(
            @ForAll("actions") List<Action> actions, @ForAll @IntRange(min = 0, max = 700) int segments,
            @ForAll @IntRange(min = 1, max = 127) int window, @ForAll boolean complexAck,
            @ForAll @IntRange(min = 50, max = 1476) int peerMaxApdu) {
        int payload = peerMaxApdu - (complexAck ? 5 : 6);
        ByteString data = ByteString.fromArray(new byte[segments * payload]);
        SegmentSender s = complexAck
                ? SegmentSender.complexAck(INVOKE, 12, data, peerMaxApdu, window, 2)
                : SegmentSender.confirmedRequest(INVOKE, 12, data, peerMaxApdu, true, 16, 206, window, 2);
        for (Apdu a : s.start()) {
            assertTrue(ApduCodec.encode(a).size() <= peerMaxApdu);
        }
        boolean ended = false;
        for (Action action : actions) {
            SegmentSender.Step step = action.timeout() ? s.onTimeout() : s.onSegmentAck(action.ack());
            if (ended) {
                assertEquals(new SegmentSender.Step(List.of(), SegmentSender.Outcome.IGNORED), step);
            }
            for (Apdu a : step.send()) {
                assertTrue(ApduCodec.encode(a).size() <= peerMaxApdu, "every answer encodes and fits");
            }
            assertTrue(step.send().size() <= 127);
            ended = s.finished();
        }
    }
}
