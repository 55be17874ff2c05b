package org.bacnetsc.node;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bacnetsc.codec.BvlcFunction;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;

/**
 * The node switch's Address-Resolutions (digest §12): at most one request outstanding per peer, every caller that
 * asks meanwhile answered with it; the answer (the peer's ws/wss URIs, or its NAK kept as "no URIs") cached for its
 * freshness; a request that could not be sent or was not answered in time ends without an answer. Pure and owned by
 * one actor (not thread-safe): the {@link NodeSwitch} sends the requests, keeps their timers and logs.
 *
 * @param <W> whoever waits for a resolution
 */
final class AddressResolutions<W> {

    /**
     * A resolution that ended: each of {@code waiters} gets {@code uris} (empty: the peer does not accept direct
     * connections) or, when {@code failure} is set, no answer.
     */
    record Ended<W>(Vmac vmac, List<W> waiters, List<URI> uris, String failure) {
    }

    /**
     * The hub brought an answer to an outstanding resolution.
     *
     * @param ended       what its waiters get
     * @param nak         the peer NAKed the request (it does not accept direct connections)
     * @param sentId      the Message ID of our request
     * @param answeredId  the Message ID of the answer (the digest wants them equal; one request per peer is
     *                    outstanding, so an answer with another is still that request's)
     * @param ignoredUris URIs of the ACK that are not ws/wss URIs with a host, left out
     */
    record Answer<W>(Ended<W> ended, boolean nak, int sentId, int answeredId, List<String> ignoredUris) {
    }

    private static final class Pending<W> {
        final int messageId;
        final List<W> waiters = new ArrayList<>();

        Pending(int messageId) {
            this.messageId = messageId;
        }
    }

    private final AddressCache cache;
    private final Map<Vmac, Pending<W>> pending = new HashMap<>();
    private int nextMessageId;
    private long sent;
    private long answered;
    private long naks;
    private long timeouts;
    private long cacheHits;

    /**
     * @param freshness      how long an answer is used
     * @param firstMessageId the Message ID of the first request (then counting up, modulo 2^16)
     */
    AddressResolutions(Duration freshness, int firstMessageId) {
        this.cache = new AddressCache(freshness);
        this.nextMessageId = firstMessageId & 0xFFFF;
    }

    /** The cached URIs of {@code vmac} while fresh (counted as a cache hit). */
    Optional<List<URI>> cached(Vmac vmac, Instant now) {
        Optional<List<URI>> uris = cache.fresh(vmac, now);
        if (uris.isPresent()) {
            cacheHits++;
        }
        return uris;
    }

    /**
     * {@code waiter} waits for the resolution of {@code vmac}; returns the Message ID of the Address-Resolution to
     * send now, or empty when one is outstanding already (the waiter is answered with it).
     */
    Optional<Integer> await(Vmac vmac, W waiter) {
        Pending<W> p = pending.get(vmac);
        Optional<Integer> request = Optional.empty();
        if (p == null) {
            p = new Pending<>(nextMessageId);
            nextMessageId = (nextMessageId + 1) & 0xFFFF;
            pending.put(vmac, p);
            sent++;
            request = Optional.of(p.messageId);
        }
        p.waiters.add(waiter);
        return request;
    }

    /** The request {@code messageId} for {@code vmac} was not sent; empty when it is no longer outstanding. */
    Optional<Ended<W>> notSent(Vmac vmac, int messageId, String why) {
        return end(vmac, messageId, why);
    }

    /** The request {@code messageId} for {@code vmac} was not answered in time; empty when it was meanwhile. */
    Optional<Ended<W>> timedOut(Vmac vmac, int messageId, String why) {
        Optional<Ended<W>> ended = end(vmac, messageId, why);
        if (ended.isPresent()) {
            timeouts++;
        }
        return ended;
    }

    private Optional<Ended<W>> end(Vmac vmac, int messageId, String why) {
        Pending<W> p = pending.get(vmac);
        if (p == null || p.messageId != messageId) {
            return Optional.empty();
        }
        pending.remove(vmac);
        return Optional.of(new Ended<>(vmac, p.waiters, List.of(), why));
    }

    /**
     * A message from the hub: an Address-Resolution-ACK, or a NAK of our Address-Resolution, from a peer we wait
     * for ends its resolution and is cached; anything else is not ours (empty).
     */
    Optional<Answer<W>> answer(BvlcMessage m, Instant now) {
        Vmac from = m.originating();
        Pending<W> p = from == null ? null : pending.get(from);
        if (p == null) {
            return Optional.empty();
        }
        List<URI> uris;
        List<String> ignored = List.of();
        boolean nak = false;
        if (m.payload() instanceof Payload.AddressResolutionAck ack) {
            ParsedUris parsed = parse(ack.uris());
            uris = parsed.uris();
            ignored = parsed.ignored();
            answered++;
        } else if (m.payload() instanceof Payload.BvlcResult r
                && r.resultFor() == BvlcFunction.ADDRESS_RESOLUTION.code()
                && r.resultCode() == Payload.ResultCode.NAK) {
            uris = List.of();
            nak = true;
            naks++;
        } else {
            return Optional.empty();
        }
        pending.remove(from);
        cache.put(from, uris, now);
        return Optional.of(new Answer<>(new Ended<>(from, p.waiters, uris, null), nak, p.messageId, m.messageId(),
                ignored));
    }

    /** {@code vmac}'s URIs all failed: resolve it again next time. */
    void forget(Vmac vmac) {
        cache.forget(vmac);
    }

    /** The URIs of an Address-Resolution-ACK we can connect to, and the texts left out. */
    record ParsedUris(List<URI> uris, List<String> ignored) {
    }

    /** Keeps the ws and wss URIs with a host, in their order. */
    static ParsedUris parse(List<String> texts) {
        List<URI> uris = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String s : texts) {
            try {
                URI u = new URI(s);
                if (u.getHost() != null && ("wss".equals(u.getScheme()) || "ws".equals(u.getScheme()))) {
                    uris.add(u);
                    continue;
                }
            } catch (URISyntaxException e) {
                // left out, as below
            }
            ignored.add(s);
        }
        return new ParsedUris(List.copyOf(uris), List.copyOf(ignored));
    }

    long sent() {
        return sent;
    }

    long answered() {
        return answered;
    }

    long naks() {
        return naks;
    }

    long timeouts() {
        return timeouts;
    }

    long cacheHits() {
        return cacheHits;
    }
}
