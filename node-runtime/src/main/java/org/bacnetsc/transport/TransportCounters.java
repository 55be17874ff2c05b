package org.bacnetsc.transport;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one binding or client side, shared by its sockets; read by status and metrics. */
public final class TransportCounters {
    final LongAdder accepted = new LongAdder();
    final LongAdder refusedUpgrades = new LongAdder();
    final LongAdder refusedCapacity = new LongAdder();
    final LongAdder textFramesRejected = new LongAdder();
    final LongAdder oversizeDiscarded = new LongAdder();
    final LongAdder queueDrops = new LongAdder();
    final LongAdder handshakeFailures = new LongAdder();

    /**
     * A snapshot.
     *
     * @param accepted           WebSockets accepted
     * @param refusedUpgrades    upgrade requests refused (no WebSocket, wrong or missing subprotocol, malformed) and
     *                           connections closed for not completing TLS and the upgrade within the upgrade timeout
     * @param refusedCapacity    upgrades refused with 503 because the owner was full
     * @param textFramesRejected connections closed because the peer sent a text frame
     * @param oversizeDiscarded  streamed messages discarded for exceeding Max-BVLC
     * @param queueDrops         outbound frames dropped because a connection's queue was full
     * @param handshakeFailures  connections that failed before the WebSocket was up: on a client any failure, on a
     *                           server a refused client certificate
     */
    public record Snapshot(long accepted, long refusedUpgrades, long refusedCapacity, long textFramesRejected,
                           long oversizeDiscarded, long queueDrops, long handshakeFailures) {
    }

    /** The current values. */
    public Snapshot snapshot() {
        return new Snapshot(accepted.sum(), refusedUpgrades.sum(), refusedCapacity.sum(), textFramesRejected.sum(),
                oversizeDiscarded.sum(), queueDrops.sum(), handshakeFailures.sum());
    }
}
