package org.bacnetsc.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bacnetsc.codec.Vmac;
import org.junit.jupiter.api.Test;

class AddressCacheTest {

    static final Vmac B = Vmac.parse("02:00:00:00:00:0b");
    static final Vmac C = Vmac.parse("02:00:00:00:00:0c");
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final List<URI> URIS = List.of(URI.create("wss://127.0.0.1:4444/"), URI.create("wss://[::1]:4444/"));

    @Test
    void anEntryIsFreshUntilItsFreshnessHasPassed() {
        AddressCache cache = new AddressCache(Duration.ofSeconds(600));
        cache.put(B, URIS, T0);
        assertEquals(Optional.of(URIS), cache.fresh(B, T0));
        assertEquals(Optional.of(URIS), cache.fresh(B, T0.plusSeconds(599)));
        assertEquals(Optional.empty(), cache.fresh(B, T0.plusSeconds(600)));
        assertEquals(0, cache.size(), "an expired entry is removed when looked at");
    }

    @Test
    void aNakIsKeptAsNoUris() {
        AddressCache cache = new AddressCache(Duration.ofSeconds(10));
        cache.put(C, List.of(), T0);
        assertEquals(Optional.of(List.of()), cache.fresh(C, T0.plusSeconds(9)));
        assertEquals(Optional.empty(), cache.fresh(B, T0), "an unknown VMAC is not a NAK");
    }

    @Test
    void aNewResolutionReplacesTheOldOneAndRestartsItsFreshness() {
        AddressCache cache = new AddressCache(Duration.ofSeconds(10));
        cache.put(B, List.of(), T0);
        cache.put(B, URIS, T0.plusSeconds(8));
        assertEquals(Optional.of(URIS), cache.fresh(B, T0.plusSeconds(17)));
        cache.forget(B);
        assertEquals(Optional.empty(), cache.fresh(B, T0.plusSeconds(9)));
    }
}
