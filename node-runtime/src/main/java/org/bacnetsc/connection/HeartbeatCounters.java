package org.bacnetsc.connection;

/**
 * Heartbeat-Requests a connection (or all the connections a parent ever had) sent and how many were answered
 * (docs/protocol.md, "Heartbeats"): the initiating peer's heartbeats, and the accepting peer's probes of a peer that
 * was silent for twice the Heartbeat Timeout. A parent adds up the {@link ConnectionEvent.Heartbeat} events of its
 * connections with {@link #plus}.
 *
 * @param heartbeatsSent        Heartbeat-Requests the initiating side sent (nothing received, or nothing sent, for
 *                              the Heartbeat Timeout)
 * @param heartbeatsAnswered    of them, answered with Heartbeat-ACK (or a BVLC-Result for it) in time
 * @param silenceProbes         Heartbeat-Requests the accepting side sent to a peer silent for 2 x Heartbeat Timeout
 * @param silenceProbesAnswered of them, answered by anything from the peer within the heartbeat-ACK timeout (the
 *                              peer stayed); the rest were closed with TIMEOUT
 */
public record HeartbeatCounters(long heartbeatsSent, long heartbeatsAnswered, long silenceProbes,
                                long silenceProbesAnswered) {

    /** Nothing counted yet. */
    public static final HeartbeatCounters ZERO = new HeartbeatCounters(0, 0, 0, 0);

    /** These counters with {@code event} added. */
    public HeartbeatCounters plus(ConnectionEvent.Heartbeat event) {
        if (event.probe()) {
            return event.answered()
                    ? new HeartbeatCounters(heartbeatsSent, heartbeatsAnswered, silenceProbes, silenceProbesAnswered + 1)
                    : new HeartbeatCounters(heartbeatsSent, heartbeatsAnswered, silenceProbes + 1, silenceProbesAnswered);
        }
        return event.answered()
                ? new HeartbeatCounters(heartbeatsSent, heartbeatsAnswered + 1, silenceProbes, silenceProbesAnswered)
                : new HeartbeatCounters(heartbeatsSent + 1, heartbeatsAnswered, silenceProbes, silenceProbesAnswered);
    }

    /** The sum of both. */
    public HeartbeatCounters plus(HeartbeatCounters o) {
        return new HeartbeatCounters(heartbeatsSent + o.heartbeatsSent, heartbeatsAnswered + o.heartbeatsAnswered,
                silenceProbes + o.silenceProbes, silenceProbesAnswered + o.silenceProbesAnswered);
    }
}
