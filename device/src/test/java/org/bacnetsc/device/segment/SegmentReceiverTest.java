package org.bacnetsc.device.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Apdu;
import org.bacnetsc.device.codec.ApduCodec;
import org.junit.jupiter.api.Test;

/** The receive side alone: acknowledgement points, gaps, duplicates, limits, foreign and invalid APDUs. */
class SegmentReceiverTest {

    static final int INVOKE = 0x2A;
    static final int SERVICE = 12;
    static final ByteString TEN = ByteString.fromString("0123456789");

    static Apdu.ComplexAck ca(int sequence, boolean more) {
        return new Apdu.ComplexAck(true, more, INVOKE, sequence & 0xFF, 5, SERVICE, TEN);
    }

    static Apdu.ConfirmedRequest cr(int sequence, boolean more) {
        return new Apdu.ConfirmedRequest(true, more, true, 16, 480, INVOKE, sequence & 0xFF, 5, SERVICE, TEN);
    }

    static Optional<Apdu> ack(boolean nak, boolean server, int sequence, int window) {
        return Optional.of(new Apdu.SegmentAck(nak, server, INVOKE, sequence, window));
    }

    static Optional<Apdu> abort(boolean server, int reason) {
        return Optional.of(new Apdu.Abort(server, INVOKE, reason));
    }

    @Test
    void segmentZeroIsAcknowledgedAtOnceWithMinOfProposedAndOurWindow() {
        SegmentReceiver r = new SegmentReceiver(ca(0, true), 0, 1000, 3);
        assertEquals(3, r.actualWindowSize());
        assertFalse(r.server());
        assertEquals(ca(0, true), r.firstSegment());
        assertEquals(new SegmentReceiver.Step(ack(false, false, 0, 3), SegmentReceiver.Outcome.CONTINUE,
                Optional.empty()), r.firstStep());
        assertEquals(5, new SegmentReceiver(ca(0, true), 0, 1000, 127).actualWindowSize(), "the proposal is 5");
        SegmentReceiver server = new SegmentReceiver(cr(0, true), 0, 1000, 127);
        assertTrue(server.server(), "a Confirmed-Request is reassembled by the server");
        assertEquals(ack(false, true, 0, 5), server.firstStep().send());
    }

    @Test
    void aSingleSegmentMessageCompletesAtOnce() {
        SegmentReceiver r = new SegmentReceiver(ca(0, false), 0, 1000, 3);
        assertEquals(new SegmentReceiver.Step(ack(false, false, 0, 3), SegmentReceiver.Outcome.COMPLETE,
                Optional.of(TEN)), r.firstStep());
        assertTrue(r.finished());
    }

    @Test
    void inOrderSegmentsAreAcknowledgedAtTheEndOfEachWindowAndTheLast() {
        SegmentReceiver r = new SegmentReceiver(ca(0, true), 0, 1000, 3);
        assertEquals(Optional.empty(), r.onSegment(ca(1, true)).send());
        assertEquals(Optional.empty(), r.onSegment(ca(2, true)).send());
        assertEquals(ack(false, false, 3, 3), r.onSegment(ca(3, true)).send());
        assertEquals(Optional.empty(), r.onSegment(ca(4, true)).send());
        SegmentReceiver.Step last = r.onSegment(ca(5, false));
        assertEquals(SegmentReceiver.Outcome.COMPLETE, last.outcome());
        assertEquals(ack(false, false, 5, 3), last.send());
        assertEquals(60, last.data().orElseThrow().size());
    }

    @Test
    void outOfOrderSegmentIsDiscardedAndNakedWithTheLastInOrder() {
        SegmentReceiver r = new SegmentReceiver(cr(0, true), 0, 1000, 3);
        r.onSegment(cr(1, true));
        SegmentReceiver.Step gap = r.onSegment(cr(3, true));
        assertEquals(new SegmentReceiver.Step(ack(true, true, 1, 3), SegmentReceiver.Outcome.CONTINUE,
                Optional.empty()), gap);
        assertEquals(ack(true, true, 1, 3), r.onSegment(cr(4, true)).send(), "each segment after the gap");
        // the sender resends from 2; the window counts from the NAK's segment 1
        assertEquals(Optional.empty(), r.onSegment(cr(2, true)).send());
        assertEquals(Optional.empty(), r.onSegment(cr(3, true)).send());
        assertEquals(ack(false, true, 4, 3), r.onSegment(cr(4, true)).send());
        SegmentReceiver.Step last = r.onSegment(cr(5, false));
        assertEquals(60, last.data().orElseThrow().size(), "the discarded segments are not in the data");
    }

    @Test
    void duplicateSegmentOfAnAcknowledgedWindowRepeatsTheLastSegmentAck() {
        SegmentReceiver r = new SegmentReceiver(ca(0, true), 0, 1000, 2);
        r.onSegment(ca(1, true));
        r.onSegment(ca(2, true)); // ACK 2
        r.onSegment(ca(3, true));
        for (int seq : new int[] {1, 2, 3, 0}) {
            assertEquals(new SegmentReceiver.Step(ack(false, false, 2, 2), SegmentReceiver.Outcome.DUPLICATE,
                    Optional.empty()), r.onSegment(ca(seq, true)), "segment " + seq + " again");
        }
        assertEquals(ack(false, false, 4, 2), r.onSegment(ca(4, true)).send(), "the duplicates changed nothing");
        SegmentReceiver.Step last = r.onSegment(ca(5, false));
        assertEquals(SegmentReceiver.Outcome.COMPLETE, last.outcome());
        // after completion a repeated segment is answered with the final ACK (the sender may have missed it)
        assertEquals(new SegmentReceiver.Step(ack(false, false, 5, 2), SegmentReceiver.Outcome.DUPLICATE,
                Optional.empty()), r.onSegment(ca(5, false)));
        assertEquals(SegmentReceiver.Outcome.IGNORED, r.onSegment(ca(6, true)).outcome(), "beyond the last one");
    }

    @Test
    void aSegmentUpTo128BehindTheExpectedIsADuplicateAndUpTo127AheadIsAGap() {
        Apdu.ComplexAck first = new Apdu.ComplexAck(true, true, INVOKE, 0, 127, SERVICE, TEN);
        SegmentReceiver r = new SegmentReceiver(first, 0, 10_000, 127);
        for (int i = 1; i <= 200; i++) {
            r.onSegment(new Apdu.ComplexAck(true, true, INVOKE, i, 127, SERVICE, TEN)); // ACK 127, then 201 next
        }
        for (int behind = 1; behind <= 128; behind++) {
            int seq = (201 - behind) & 0xFF;
            assertEquals(new SegmentReceiver.Step(ack(false, false, 127, 127), SegmentReceiver.Outcome.DUPLICATE,
                    Optional.empty()), r.onSegment(new Apdu.ComplexAck(true, true, INVOKE, seq, 127, SERVICE, TEN)),
                    "segment " + seq + ", " + behind + " behind");
        }
        for (int ahead = 1; ahead <= 127; ahead++) {
            int seq = (201 + ahead) & 0xFF;
            assertEquals(new SegmentReceiver.Step(ack(true, false, 200, 127), SegmentReceiver.Outcome.CONTINUE,
                    Optional.empty()), r.onSegment(new Apdu.ComplexAck(true, true, INVOKE, seq, 127, SERVICE, TEN)),
                    "segment " + seq + ", " + ahead + " ahead: discarded, NAK");
        }
    }

    @Test
    void sequenceNumbersWrapAroundAfter255() {
        SegmentReceiver r = new SegmentReceiver(ca(0, true), 0, 10_000, 127);
        for (int i = 1; i < 300; i++) {
            SegmentReceiver.Step step = r.onSegment(ca(i, true));
            assertEquals(SegmentReceiver.Outcome.CONTINUE, step.outcome(), "segment " + i);
            assertEquals(i % 5 == 0, step.send().isPresent(), "ACK of segment " + i + " only at a window's end");
        }
        assertEquals(SegmentReceiver.Outcome.DUPLICATE, r.onSegment(ca(298, true)).outcome());
        SegmentReceiver.Step last = r.onSegment(ca(300, false));
        assertEquals(ack(false, false, 300 & 0xFF, 5), last.send());
        assertEquals(3010, last.data().orElseThrow().size());
    }

    @Test
    void receiverOverMaxSegmentsAbortsWithBufferOverflow() {
        SegmentReceiver client = new SegmentReceiver(ca(0, true), 4, 1000, 127);
        for (int i = 1; i < 4; i++) {
            assertEquals(SegmentReceiver.Outcome.CONTINUE, client.onSegment(ca(i, true)).outcome());
        }
        assertEquals(new SegmentReceiver.Step(abort(false, 1), SegmentReceiver.Outcome.ABORT, Optional.empty()),
                client.onSegment(ca(4, true)));
        assertTrue(client.finished());
        assertEquals(SegmentReceiver.Step.of(SegmentReceiver.Outcome.IGNORED), client.onSegment(ca(5, false)));
        assertEquals(SegmentReceiver.Outcome.IGNORED, client.onSegment(ca(2, true)).outcome(), "no re-ACK after it");

        SegmentReceiver server = new SegmentReceiver(cr(0, true), 2, 1000, 127);
        server.onSegment(cr(1, true));
        assertEquals(abort(true, 1), server.onSegment(cr(2, false)).send(), "the server's Abort has SRV set");

        SegmentReceiver exactly = new SegmentReceiver(cr(0, true), 2, 1000, 127);
        assertEquals(SegmentReceiver.Outcome.COMPLETE, exactly.onSegment(cr(1, false)).outcome(),
                "max-segments segments are accepted");
    }

    @Test
    void receiverOverMaxOctetsAbortsWithBufferOverflow() {
        SegmentReceiver r = new SegmentReceiver(ca(0, true), 0, 25, 127);
        r.onSegment(ca(1, true));
        assertEquals(new SegmentReceiver.Step(abort(false, 1), SegmentReceiver.Outcome.ABORT, Optional.empty()),
                r.onSegment(ca(2, false)));
        assertEquals(SegmentReceiver.Outcome.IGNORED, r.onSegment(ca(3, false)).outcome());

        assertEquals(abort(true, 1), new SegmentReceiver(cr(0, true), 0, 9, 127).firstStep().send(),
                "a first segment longer than the limit");
        assertEquals(SegmentReceiver.Outcome.COMPLETE, new SegmentReceiver(cr(0, true), 0, 20, 127)
                .onSegment(cr(1, false)).outcome(), "exactly max octets are accepted");
    }

    @Test
    void aFirstSegmentThatIsNotSegmentZeroIsAbortedAsInvalidInThisState() {
        SegmentReceiver r = new SegmentReceiver(ca(7, true), 0, 1000, 127);
        assertEquals(new SegmentReceiver.Step(abort(false, 2), SegmentReceiver.Outcome.ABORT, Optional.empty()),
                r.firstStep());
        assertTrue(r.finished());
        assertEquals(SegmentReceiver.Outcome.IGNORED, r.onSegment(ca(0, true)).outcome());
        assertEquals(abort(true, 7), new SegmentReceiver(new Apdu.ConfirmedRequest(true, true, true, 0, 480, INVOKE,
                0, 0, SERVICE, TEN), 0, 1000, 127).firstStep().send(), "a proposed window 0");
    }

    @Test
    void anApduThatIsNotASegmentStartsNothing() {
        for (Apdu a : List.of(Apdu.ComplexAck.of(INVOKE, SERVICE, TEN), new Apdu.SimpleAck(INVOKE, SERVICE),
                new Apdu.SegmentAck(false, false, INVOKE, 0, 1), new Apdu.Abort(true, INVOKE, 4),
                new Apdu.ComplexAck(true, true, 300, 0, 5, SERVICE, TEN))) {
            SegmentReceiver r = new SegmentReceiver(a, 0, 1000, 127);
            assertEquals(SegmentReceiver.Step.of(SegmentReceiver.Outcome.IGNORED), r.firstStep(), a.toString());
            assertTrue(r.finished());
            assertEquals(SegmentReceiver.Outcome.IGNORED, r.onSegment(ca(1, true)).outcome());
        }
    }

    @Test
    void segmentsOfAnotherTransactionAreIgnored() {
        SegmentReceiver r = new SegmentReceiver(ca(0, true), 0, 1000, 127);
        for (Apdu a : List.of(new Apdu.ComplexAck(true, true, INVOKE + 1, 1, 5, SERVICE, TEN),
                new Apdu.ComplexAck(true, true, INVOKE, 1, 5, SERVICE + 1, TEN),
                new Apdu.ComplexAck(false, false, INVOKE, 0, 0, SERVICE, TEN), cr(1, true),
                new Apdu.SegmentAck(false, true, INVOKE, 1, 5), new Apdu.Abort(true, INVOKE, 1))) {
            assertEquals(SegmentReceiver.Step.of(SegmentReceiver.Outcome.IGNORED), r.onSegment(a), a.toString());
        }
        assertEquals(SegmentReceiver.Outcome.COMPLETE, r.onSegment(ca(1, false)).outcome());
    }

    @Test
    void theCallersInvalidLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentReceiver(ca(0, true), -1, 1000, 5));
        assertThrows(IllegalArgumentException.class, () -> new SegmentReceiver(ca(0, true), 0, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new SegmentReceiver(ca(0, true), 0, 1000, 0));
        assertThrows(IllegalArgumentException.class, () -> new SegmentReceiver(ca(0, true), 0, 1000, 128));
        assertThrows(NullPointerException.class, () -> new SegmentReceiver(null, 0, 1000, 5));
    }

    // ------------------------------------------------------------------------------------------- garbage

    @Provide
    Arbitrary<Apdu> segments() {
        Arbitrary<Integer> invoke = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(INVOKE)),
                Tuple.of(1, Arbitraries.integers().between(-2, 300)));
        Arbitrary<Integer> service = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(SERVICE)),
                Tuple.of(1, Arbitraries.integers().between(-2, 300)));
        Arbitrary<Integer> sequence = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.integers().between(0, 12)),
                Tuple.of(2, Arbitraries.integers().between(0, 255)), Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Integer> window = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.integers().between(1, 127)),
                Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Boolean> bool = Arbitraries.of(true, false);
        Arbitrary<Boolean> segmented = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(true)),
                Tuple.of(1, Arbitraries.just(false)));
        Arbitrary<ByteString> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(ByteString::fromArray);
        Arbitrary<Apdu> complexAck = Combinators.combine(segmented, bool, invoke, sequence, window, service, data)
                .as(Apdu.ComplexAck::new);
        Arbitrary<Apdu> request = Combinators.combine(segmented, bool, invoke, sequence, window, service, data)
                .as((s, m, i, q, w, c, d) -> new Apdu.ConfirmedRequest(s, m, true, 64, 1476, i, q, w, c, d));
        Arbitrary<Apdu> other = Combinators.combine(bool, bool, invoke, sequence, window).as(Apdu.SegmentAck::new);
        return Arbitraries.frequencyOf(Tuple.of(6, complexAck), Tuple.of(3, request), Tuple.of(1, other));
    }

    @Property(tries = 500)
    void arbitraryApdusNeverThrowAndEveryAnswerEncodes(@ForAll("segments") Apdu first,
                                                       @ForAll @Size(max = 60) List<@From("segments") Apdu> rest,
                                                       @ForAll @IntRange(min = 0, max = 20) int maxSegments,
                                                       @ForAll @IntRange(min = 1, max = 400) int maxOctets,
                                                       @ForAll @IntRange(min = 1, max = 127) int window) {
        SegmentReceiver r = new SegmentReceiver(first, maxSegments, maxOctets, window);
        check(r.firstStep());
        boolean aborted = r.firstStep().outcome() != SegmentReceiver.Outcome.CONTINUE
                && r.firstStep().outcome() != SegmentReceiver.Outcome.COMPLETE;
        int completions = r.firstStep().data().isPresent() ? 1 : 0;
        for (Apdu a : rest) {
            SegmentReceiver.Step step = r.onSegment(a);
            check(step);
            if (aborted) {
                assertEquals(SegmentReceiver.Step.of(SegmentReceiver.Outcome.IGNORED), step);
            }
            aborted |= step.outcome() == SegmentReceiver.Outcome.ABORT;
            completions += step.data().isPresent() ? 1 : 0;
        }
        assertTrue(completions <= 1, "a message completes once");
    }

    private static void check(SegmentReceiver.Step step) {
        step.send().ifPresent(a -> assertTrue(ApduCodec.encode(a).size() <= 50, "every answer encodes and fits"));
        assertEquals(step.outcome() == SegmentReceiver.Outcome.COMPLETE, step.data().isPresent());
        if (step.outcome() == SegmentReceiver.Outcome.ABORT) {
            assertTrue(step.send().orElseThrow() instanceof Apdu.Abort);
        }
    }
}
