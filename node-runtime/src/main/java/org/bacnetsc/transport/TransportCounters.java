package org.bacnetsc.transport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one binding or client side, shared by its sockets; read by status and metrics. */
public final class TransportCounters {
    final LongAdder accepted = new LongAdder();
    final LongAdder refusedUpgrades = new LongAdder();
    final LongAdder refusedCapacity = new LongAdder();
    final LongAdder refusedNotReady = new LongAdder();
    final LongAdder textFramesRejected = new LongAdder();
    final LongAdder oversizeDiscarded = new LongAdder();
    final LongAdder queueDrops = new LongAdder();
    final LongAdder handshakeFailures = new LongAdder();
    final LongAdder pingsReceived = new LongAdder();
    final LongAdder pongsCoalesced = new LongAdder();
    final LongAdder closeTimeouts = new LongAdder();
    final LongAdder acceptFailures = new LongAdder();
    private final LongAdder[] violations = new LongAdder[WsViolation.values().length];

    /** All zero. */
    public TransportCounters() {
        for (int i = 0; i < violations.length; i++) {
            violations[i] = new LongAdder();
        }
    }

    void violation(WsViolation v) {
        violations[v.ordinal()].increment();
        if (v == WsViolation.TEXT_DATA) {
            textFramesRejected.increment();
        }
    }

    /**
     * A snapshot.
     *
     * @param accepted           WebSockets accepted
     * @param refusedUpgrades    upgrade requests refused (no WebSocket, wrong or missing subprotocol, malformed) and
     *                           connections closed for not completing TLS and the upgrade within the upgrade timeout
     * @param refusedCapacity    upgrades refused with 503 because the owner was full
     * @param refusedNotReady    upgrades refused with 503 because the owner was not ready for nodes (a clustered
     *                           hub member that is not Up)
     * @param textFramesRejected connections closed because the peer sent a text frame
     * @param oversizeDiscarded  messages discarded as they arrived for exceeding Max-BVLC
     * @param queueDrops         outbound frames dropped because a connection's queue was full
     * @param handshakeFailures  connections that failed before the WebSocket was up: on a client any failure, on a
     *                           server a refused client certificate
     * @param pingsReceived      WebSocket pings received (each answered, or its pong replaced by a newer one)
     * @param pongsCoalesced     pings whose pong was replaced by a newer ping's before it could be written
     * @param closeTimeouts      connections aborted because the peer did not take our close frame in time
     * @param webSocketClosedByReason WebSockets we closed for a peer's violation, by {@link WsViolation#label}
     *                           (every reason listed, zeros included)
     * @param acceptFailures     accepts of a listening socket that failed (out of file descriptors): the connection
     *                           waits in the backlog while accepting pauses for 100 ms
     */
    public record Snapshot(long accepted, long refusedUpgrades, long refusedCapacity, long refusedNotReady,
                           long textFramesRejected,
                           long oversizeDiscarded, long queueDrops, long handshakeFailures, long pingsReceived,
                           long pongsCoalesced,
                           long closeTimeouts, Map<String, Long> webSocketClosedByReason, long acceptFailures) {
    }

    /** The current values. */
    public Snapshot snapshot() {
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (WsViolation v : WsViolation.values()) {
            byReason.put(v.label, violations[v.ordinal()].sum());
        }
        return new Snapshot(accepted.sum(), refusedUpgrades.sum(), refusedCapacity.sum(), refusedNotReady.sum(),
                textFramesRejected.sum(),
                oversizeDiscarded.sum(), queueDrops.sum(), handshakeFailures.sum(), pingsReceived.sum(), pongsCoalesced.sum(),
                closeTimeouts.sum(), java.util.Collections.unmodifiableMap(byReason), acceptFailures.sum());
    }
}
