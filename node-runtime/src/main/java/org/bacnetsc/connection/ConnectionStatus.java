package org.bacnetsc.connection;

import java.time.Instant;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;

/**
 * A snapshot of one connection for hub and node status (digest §15).
 *
 * @param phase               the state-machine state
 * @param connectTimestamp    when the handshake completed, or null
 * @param disconnectTimestamp when the connection ended, or null
 * @param peerAddress         the peer's address as host:port, or null before the WebSocket is up
 * @param peerCertificate     the peer's certificate, or null
 * @param peerVmac            the peer's VMAC, or null before the handshake
 * @param peerUuid            the peer's Device UUID, or null before the handshake
 * @param peerMaxBvlcLength   the peer's Max-BVLC, or 0 before the handshake
 * @param peerMaxNpduLength   the peer's Max-NPDU, or 0 before the handshake
 * @param lastError           the most recent error, or null
 * @param counters            frame counters
 */
public record ConnectionStatus(ConnectionPhase phase, Instant connectTimestamp, Instant disconnectTimestamp,
                               String peerAddress, PeerCertificate peerCertificate, Vmac peerVmac,
                               DeviceUuid peerUuid, int peerMaxBvlcLength, int peerMaxNpduLength,
                               ConnectionError lastError, Counters counters) {

    /**
     * Frame counters of one connection.
     *
     * @param framesReceived  frames received (valid or not)
     * @param framesSent      frames handed to the WebSocket
     * @param malformed       received frames that failed decoding or the §5 rules
     * @param naksSent        NAKs sent in answer to bad frames or refused requests
     * @param oversizeDropped received frames longer than our Max-BVLC, discarded
     * @param sendsRefused    sends refused (not connected, too long for the peer)
     * @param unexpected      valid frames discarded because they do not fit the state
     * @param heartbeats      this connection's Heartbeat-Requests (initiator heartbeats, acceptor silence probes) and
     *                        how many were answered
     * @param peerHeartbeats  the peer's Heartbeat-Requests, each answered with a Heartbeat-ACK
     */
    public record Counters(long framesReceived, long framesSent, long malformed, long naksSent, long oversizeDropped,
                           long sendsRefused, long unexpected, HeartbeatCounters heartbeats, long peerHeartbeats) {
    }
}
