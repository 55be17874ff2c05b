package org.bacnetsc.connection;

import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/**
 * {@link ManualTime} together with the nanosecond clock a {@link Connection} reads for its liveness deadline: both
 * move by the same amount (the clock first, so that a timer firing on the way sees at least its own time).
 */
final class VirtualTime {

    /** By test kit (identity: typed systems of the same name compare equal, as actor refs of one path do). */
    private static final Map<ActorTestKit, VirtualTime> BY_KIT = new WeakHashMap<>();

    private final ManualTime manual;
    private final AtomicLong nanos = new AtomicLong();

    private VirtualTime(ManualTime manual) {
        this.manual = manual;
    }

    /** The virtual time of this test kit (one per kit). */
    static synchronized VirtualTime of(ActorTestKit kit) {
        return BY_KIT.computeIfAbsent(kit, k -> new VirtualTime(ManualTime.get(k.system())));
    }

    /** The clock connections under test read. */
    LongSupplier nanos() {
        return nanos::get;
    }

    void timePasses(Duration d) {
        nanos.addAndGet(d.toNanos());
        manual.timePasses(d);
    }

    void expectNoMessageFor(Duration d, TestProbe<?>... probes) {
        nanos.addAndGet(d.toNanos());
        manual.expectNoMessageFor(d, probes);
    }
}
