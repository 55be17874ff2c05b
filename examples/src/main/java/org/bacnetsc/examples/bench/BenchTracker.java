package org.bacnetsc.examples.bench;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.pekko.util.ByteString;

/**
 * Counts what a benchmark sent and received: latency (HdrHistogram, microseconds), and per receiver and sender the
 * sequence numbers seen, for lost, duplicated and reordered counts. Thread-safe per receiver (each receiver's state
 * is touched by its own actor only) plus atomic totals.
 *
 * <p>What a receiver has seen is kept only for the senders it has heard from: a table of every sender for every
 * receiver is quadratic (10,000 nodes: 1.2 GB, allocated and then copied by the collector while connecting; 100,000:
 * impossible).
 */
public final class BenchTracker {

    /** Octets of the benchmark header at the start of each NPDU: sender (4), sequence (8), send time (8). */
    public static final int HEADER = 20;

    private final int nodes;
    /** Hubs the nodes are spread over (node i on hub i mod hubs). */
    private final int hubs;
    /** This generator's first node number: NPDUs carry node numbers, so several generators can share a hub. */
    private final int offset;
    private final Recorder latency = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private final Recorder crossLatency = new Recorder(3);
    private final Histogram crossTotal = new Histogram(3);
    private final AtomicLong crossDelivered = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();
    private final AtomicLong expected = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    /** Per receiver: what it has seen of each sender it heard from. */
    private final Receiver[] receivers;
    private volatile boolean measuring = true;
    /** Messages sent before this {@link System#nanoTime()} (a warm-up's) are not counted. */
    private volatile long measureFrom = Long.MIN_VALUE;

    /** A tracker for {@code nodes} nodes on one hub. */
    public BenchTracker(int nodes) {
        this(nodes, 1, 0);
    }

    /**
     * A tracker for {@code nodes} nodes numbered from {@code offset}, node i on hub i mod {@code hubs}; messages of
     * nodes outside this range (another generator's broadcasts) are not counted.
     */
    public BenchTracker(int nodes, int hubs, int offset) {
        this.nodes = nodes;
        this.hubs = Math.max(1, hubs);
        this.offset = offset;
        this.receivers = new Receiver[nodes];
        for (int i = 0; i < nodes; i++) {
            receivers[i] = new Receiver();
        }
    }

    /** One receiver's record, by sender. */
    private static final class Receiver {
        final Map<Integer, Stream> bySender = new HashMap<>(4);
    }

    /** What a receiver has seen of one sender: every sequence number, and the highest. */
    private static final class Stream {
        final BitSet seen = new BitSet();
        long last = -1;
    }

    /** The NPDU for {@code sender}'s message {@code seq}, of {@code size} octets (at least {@link #HEADER}). */
    public static ByteString npdu(int sender, long seq, int size) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, HEADER));
        b.putInt(sender).putLong(seq).putLong(System.nanoTime());
        return ByteString.fromArrayUnsafe(b.array());
    }

    /** A message was sent that {@code recipients} receivers should get. */
    public void sent(int recipients) {
        sent.incrementAndGet();
        expected.addAndGet(recipients);
    }

    /** Receiver {@code receiver} got {@code npdu}. */
    public void received(int receiver, ByteString npdu) {
        if (npdu.size() < HEADER) {
            return;
        }
        ByteBuffer b = npdu.asByteBuffer();
        int sender = b.getInt() - offset;
        long seq = b.getLong();
        long sentAt = b.getLong();
        long micros = Math.max(0, (System.nanoTime() - sentAt) / 1000);
        if (sentAt < measureFrom) {
            return; // the warm-up's, arriving after the measurement began
        }
        if (sender < 0 || sender >= nodes || seq < 0 || seq > Integer.MAX_VALUE) {
            return;
        }
        Receiver r = receivers[receiver];
        synchronized (r) {
            Stream s = r.bySender.computeIfAbsent(sender, k -> new Stream());
            if (s.seen.get((int) seq)) {
                duplicated.incrementAndGet();
                return;
            }
            s.seen.set((int) seq);
            if (seq < s.last) {
                reordered.incrementAndGet();
            } else {
                s.last = seq;
            }
        }
        delivered.incrementAndGet();
        boolean cross = sender % hubs != receiver % hubs;
        if (cross) {
            crossDelivered.incrementAndGet();
        }
        if (measuring) {
            latency.recordValue(Math.min(micros, 60_000_000L));
            if (cross) {
                crossLatency.recordValue(Math.min(micros, 60_000_000L));
            }
        }
    }

    /** Deliveries whose sender and receiver are on different hubs. */
    public long crossDelivered() {
        return crossDelivered.get();
    }

    /** The latencies of those deliveries so far. */
    public synchronized Histogram crossTotal() {
        crossTotal.add(crossLatency.getIntervalHistogram());
        return crossTotal.copy();
    }

    /** Messages sent. */
    public long sent() {
        return sent.get();
    }

    /** Deliveries expected so far. */
    public long expected() {
        return expected.get();
    }

    /** Unique deliveries. */
    public long delivered() {
        return delivered.get();
    }

    /** Duplicate deliveries. */
    public long duplicated() {
        return duplicated.get();
    }

    /** Deliveries that arrived after a later message of the same sender. */
    public long reordered() {
        return reordered.get();
    }

    /** Moves the latencies recorded since the last call into the total and returns that interval's histogram. */
    public synchronized Histogram interval() {
        Histogram h = latency.getIntervalHistogram();
        total.add(h);
        return h;
    }

    /** All latencies so far (after {@link #interval()}). */
    public synchronized Histogram total() {
        interval();
        return total.copy();
    }

    /**
     * Forgets the counts and latencies so far and counts from now on only messages sent from {@code nanoTime} on
     * (the end of a warm-up: its messages still in flight are neither delivered nor lost).
     */
    public synchronized void measureFrom(long nanoTime) {
        measureFrom = nanoTime;
        latency.reset();
        total.reset();
        crossLatency.reset();
        crossTotal.reset();
        crossDelivered.set(0);
        delivered.set(0);
        duplicated.set(0);
        reordered.set(0);
        expected.set(0);
        sent.set(0);
    }

    /** Stops recording latencies (drain phase). */
    public void stopMeasuring() {
        measuring = false;
    }
}
