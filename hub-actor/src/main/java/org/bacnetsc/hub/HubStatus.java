package org.bacnetsc.hub;

import java.time.Instant;
import java.util.List;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ConnectionError;
import org.bacnetsc.connection.ScConnectionState;

/**
 * The hub function's status (digest §15).
 *
 * @param connections    SC_Hub_Function_Connection_Status: current connections, then the most recent ended ones
 * @param failedRequests SC_Failed_Connection_Requests, newest last
 * @param counters       message and drop counters
 * @param failuresByError failed connection requests since start, by error code name (TLS and HTTP failures before
 *                        the WebSocket are in the transport counters)
 * @param forwardLatency  cross-member delivery latency (clustered hub; all zero otherwise)
 */
public record HubStatus(List<Connection> connections, List<FailedRequest> failedRequests, Counters counters,
                        java.util.Map<String, Long> failuresByError, Latency forwardLatency) {

    /**
     * A latency histogram with fixed bounds.
     *
     * @param boundsMillis upper bounds of the buckets in milliseconds (the last bucket is unbounded)
     * @param counts       observations per bucket (one more than bounds)
     * @param sumMillis    the sum of all observations
     * @param count        the number of observations
     */
    public record Latency(double[] boundsMillis, long[] counts, double sumMillis, long count) {
    }

    /**
     * One hub connection.
     *
     * @param state               CONNECTED while up, else how it ended
     * @param connectTimestamp    when the handshake completed, or null
     * @param disconnectTimestamp when it ended, or null
     * @param peerAddress         host:port of the node
     * @param vmac                the node's VMAC, or null before its Connect-Request
     * @param uuid                the node's Device UUID, or null before its Connect-Request
     * @param error               the error it ended with, or null
     * @param peerCertificate     the certificate the node presented (subject, serial, validity), or null
     */
    public record Connection(ScConnectionState state, Instant connectTimestamp, Instant disconnectTimestamp,
                             String peerAddress, Vmac vmac, DeviceUuid uuid, ConnectionError error,
                             org.bacnetsc.connection.PeerCertificate peerCertificate) {
    }

    /**
     * One failed connection request.
     *
     * @param timestamp   when
     * @param peerAddress host:port of the peer
     * @param vmac        the VMAC it asked for, or null
     * @param uuid        its Device UUID, or null
     * @param error       why it failed
     */
    public record FailedRequest(Instant timestamp, String peerAddress, Vmac vmac, DeviceUuid uuid,
                                ConnectionError error) {
    }

    /**
     * Counters since start.
     *
     * @param accepted            WebSockets accepted
     * @param refusedCapacity     upgrades refused with 503 at max-connections
     * @param duplicateVmac       Connect-Requests NAKed with NODE_DUPLICATE_VMAC
     * @param replaced            connections replaced by a reconnect of the same Device UUID
     * @param unicastRouted       unicast messages forwarded
     * @param broadcastRouted     broadcast messages fanned out
     * @param deliveries          frames handed to recipient connections
     * @param droppedUnknownVmac  unicasts for a VMAC that is not connected
     * @param droppedOversize     deliveries dropped for exceeding the recipient's Max-BVLC
     * @param droppedUnconnected  messages from a connection that is not (or no longer) in the directory
     * @param forwardedOut        unicasts and broadcasts handed to other cluster members
     * @param forwardedIn         unicasts and broadcasts received from other cluster members
     * @param evicted             connections closed because another member's claim to their VMAC or UUID won
     * @param droppedRecipientGone deliveries dropped because the recipient had started disconnecting (its socket
     *                            takes no more routed frames); a full recipient queue is counted by the transport
     * @param silenceProbes       Heartbeat-Requests sent to nodes silent for 2 x Heartbeat Timeout instead of closing
     *                            them (docs/protocol.md, "Heartbeats")
     * @param silenceProbesAnswered of them, answered in time (the node stayed); the rest were closed with TIMEOUT
     */
    public record Counters(long accepted, long refusedCapacity, long duplicateVmac, long replaced,
                           long unicastRouted, long broadcastRouted, long deliveries, long droppedUnknownVmac,
                           long droppedOversize, long droppedUnconnected, long forwardedOut, long forwardedIn,
                           long evicted, long droppedRecipientGone, long silenceProbes, long silenceProbesAnswered) {
    }
}
