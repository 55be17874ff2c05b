package org.bacnetsc.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BenchTrackerTest {

    @Test
    void duplicatesAndReorderingAreCountedPerSenderAndReceiver() {
        BenchTracker t = new BenchTracker(3);
        t.received(0, BenchTracker.npdu(1, 0, 100));
        t.received(0, BenchTracker.npdu(1, 2, 100));
        t.received(0, BenchTracker.npdu(1, 1, 100)); // after 2: reordered
        t.received(0, BenchTracker.npdu(1, 2, 100)); // again: duplicated
        t.received(2, BenchTracker.npdu(1, 2, 100)); // another receiver: its own record
        t.received(0, BenchTracker.npdu(2, 0, 100)); // another sender: its own record
        assertEquals(5, t.delivered());
        assertEquals(1, t.reordered());
        assertEquals(1, t.duplicated());
    }

    @Test
    void anotherGeneratorsNodesAreNotCounted() {
        BenchTracker t = new BenchTracker(2, 1, 10);
        t.received(0, BenchTracker.npdu(3, 0, 100)); // below this generator's range
        t.received(0, BenchTracker.npdu(12, 0, 100)); // above it
        t.received(1, BenchTracker.npdu(11, 0, 100));
        assertEquals(1, t.delivered());
    }

    @Test
    void aTrackerForOneHundredThousandNodesHoldsOnlyWhatItHeard() {
        // a table of every sender for every receiver would take 120 GB here: the tracker must not build one
        BenchTracker t = new BenchTracker(100_000);
        t.received(99_999, BenchTracker.npdu(0, 0, 100));
        t.received(0, BenchTracker.npdu(99_999, 0, 100));
        t.received(0, BenchTracker.npdu(99_999, 0, 100));
        assertEquals(2, t.delivered());
        assertEquals(1, t.duplicated());
    }

    @Test
    void aWarmUpsMessagesArrivingAfterTheMeasurementBeganAreNeitherDeliveredNorExpected() {
        BenchTracker t = new BenchTracker(2);
        org.apache.pekko.util.ByteString warmUp = BenchTracker.npdu(0, 0, 100);
        t.sent(1);
        t.measureFrom(System.nanoTime());
        t.received(1, warmUp); // sent before the measurement: not counted
        org.apache.pekko.util.ByteString measured = BenchTracker.npdu(0, 1, 100);
        t.sent(1);
        t.received(1, measured);
        assertEquals(1, t.expected());
        assertEquals(1, t.delivered());
        assertEquals(1, t.total().getTotalCount());
    }
}
