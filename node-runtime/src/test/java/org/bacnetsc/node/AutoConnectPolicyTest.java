package org.bacnetsc.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.bacnetsc.codec.Vmac;
import org.junit.jupiter.api.Test;

class AutoConnectPolicyTest {

    static final Vmac B = Vmac.parse("02:00:00:00:00:0b");
    static final Vmac C = Vmac.parse("02:00:00:00:00:0c");
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    /** 2 unicasts/s over 5 s windows: the 11th unicast of a window decides. */
    private static AutoConnectPolicy policy() {
        return new AutoConnectPolicy(2, Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    @Test
    void aDestinationAboveTheRateIsConnectedToOnlyOnceItsCountPassesTheWindowsThreshold() {
        AutoConnectPolicy p = policy();
        for (int i = 0; i < 10; i++) {
            assertFalse(p.unicastSent(B, false, T0), "unicast " + (i + 1) + " of at most 10");
            assertFalse(p.unicastSent(C, false, T0));
        }
        assertTrue(p.unicastSent(B, false, T0));
    }

    @Test
    void aWindowStartsTheCountAgain() {
        AutoConnectPolicy p = policy();
        for (int i = 0; i < 10; i++) {
            p.unicastSent(B, false, T0);
        }
        p.windowEnded(T0.plusSeconds(5));
        assertFalse(p.unicastSent(B, false, T0.plusSeconds(5)));
        assertEquals(1, p.size());
    }

    @Test
    void aDestinationConnectedOrBeingConnectedToIsLeftAlone() {
        AutoConnectPolicy p = policy();
        for (int i = 0; i < 20; i++) {
            assertFalse(p.unicastSent(B, true, T0));
        }
        assertTrue(p.unicastSent(B, false, T0), "once it is not busy any more");
    }

    @Test
    void afterAFailedAttemptTheDestinationIsLeftAloneForTheQuietPeriod() {
        AutoConnectPolicy p = policy();
        p.failed(B, T0);
        for (int i = 0; i < 20; i++) {
            assertFalse(p.unicastSent(B, false, T0.plusSeconds(59)));
        }
        assertTrue(p.unicastSent(B, false, T0.plusSeconds(60)));
    }

    @Test
    void quietPeriodsThatAreOverAreForgottenAtTheEndOfAWindow() {
        AutoConnectPolicy p = policy();
        for (int i = 0; i < 1000; i++) {
            p.failed(Vmac.parse(String.format("02:00:00:00:%02x:%02x", i >> 8, i & 0xFF)), T0);
        }
        p.windowEnded(T0.plusSeconds(59));
        assertEquals(1000, p.size());
        p.windowEnded(T0.plusSeconds(60));
        assertEquals(0, p.size(), "what the policy holds is bounded by one quiet period of failures");
    }
}
