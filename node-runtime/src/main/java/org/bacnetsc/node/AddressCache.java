package org.bacnetsc.node;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bacnetsc.codec.Vmac;

/**
 * Address resolutions (digest §12): the direct-connect URIs a peer published, each used until its freshness runs
 * out. A NAK is kept as "no URIs". Owned by one actor (not thread-safe); pure, the time is passed in.
 */
final class AddressCache {

    private record Entry(List<URI> uris, Instant expires) {
    }

    private final Duration freshness;
    private final Map<Vmac, Entry> entries = new HashMap<>();

    AddressCache(Duration freshness) {
        this.freshness = freshness;
    }

    /** Keeps {@code uris} (empty for "does not accept direct connections") for {@code vmac} from {@code now}. */
    void put(Vmac vmac, List<URI> uris, Instant now) {
        entries.put(vmac, new Entry(List.copyOf(uris), now.plus(freshness)));
    }

    /** The URIs while fresh; an expired entry is removed and empty is returned. */
    Optional<List<URI>> fresh(Vmac vmac, Instant now) {
        Entry e = entries.get(vmac);
        if (e == null) {
            return Optional.empty();
        }
        if (!now.isBefore(e.expires())) {
            entries.remove(vmac);
            return Optional.empty();
        }
        return Optional.of(e.uris());
    }

    /** Forgets {@code vmac} (after its URIs failed). */
    void forget(Vmac vmac) {
        entries.remove(vmac);
    }

    /** Entries held, fresh or not yet looked at. */
    int size() {
        return entries.size();
    }
}
