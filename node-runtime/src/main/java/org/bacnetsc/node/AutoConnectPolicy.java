package org.bacnetsc.node;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.bacnetsc.codec.Vmac;

/**
 * The node switch's opt-in auto-connect policy ({@code bacnet-sc.node.direct-connect.auto-connect-rate}): a
 * destination that receives more than {@code rate} unicasts a second through the hub, counted over windows of
 * {@code window}, gets a direct connection; after an attempt failed it is not tried again for {@code quiet} (until a
 * fresh resolution could say something new). Pure and owned by one actor: the time is passed in.
 */
final class AutoConnectPolicy {

    private final double threshold;
    private final Duration quiet;
    private final Map<Vmac, Integer> counts = new HashMap<>();
    private final Map<Vmac, Instant> quietUntil = new HashMap<>();

    /**
     * @param rate   unicasts a second above which a destination is connected to directly
     * @param window the counting window
     * @param quiet  how long a destination whose attempt failed is left alone
     */
    AutoConnectPolicy(double rate, Duration window, Duration quiet) {
        this.threshold = rate * window.toMillis() / 1000.0;
        this.quiet = quiet;
    }

    /**
     * Counts a unicast to {@code vmac} through the hub; true when the switch should connect to {@code vmac}
     * directly now. {@code busy}: a direct connection to it is up or being made (nothing to decide).
     */
    boolean unicastSent(Vmac vmac, boolean busy, Instant now) {
        int n = counts.merge(vmac, 1, Integer::sum);
        if (n <= threshold || busy) {
            return false;
        }
        Instant until = quietUntil.get(vmac);
        if (until != null && now.isBefore(until)) {
            return false;
        }
        quietUntil.remove(vmac);
        return true;
    }

    /** An automatic attempt to {@code vmac} failed at {@code now}. */
    void failed(Vmac vmac, Instant now) {
        quietUntil.put(vmac, now.plus(quiet));
    }

    /** A counting window ended: counts start again, and quiet periods that are over are forgotten. */
    void windowEnded(Instant now) {
        counts.clear();
        quietUntil.values().removeIf(until -> !now.isBefore(until));
    }

    /** Destinations counted in this window or waiting out a quiet period (what the policy holds). */
    int size() {
        return counts.size() + quietUntil.size();
    }
}
