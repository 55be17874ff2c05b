package org.bacnetsc.node;

import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;

/**
 * A node's status.
 *
 * @param vmac              the node's current VMAC
 * @param deviceUuid        the node's Device UUID
 * @param hubConnectorState 0 no hub connection, 1 connected to primary, 2 connected to failover
 * @param primary           SC_Primary_Hub_Connection_Status
 * @param failover          SC_Failover_Hub_Connection_Status
 * @param npdusReceived     NPDUs delivered to subscribers
 * @param npdusSent         NPDUs handed to the hub connection or a direct connection
 * @param acceptsDirectConnections whether the node accepts direct connections now (reported in Advertisement)
 * @param direct            the node switch's status (§15 SC_Direct_Connect_* and counters) as of this request, or
 *                          null in status pushed to {@link Node.SubscribeStatus} subscribers before any request
 * @param hubConnections    hub connections established since start (the first, then each reconnect)
 * @param hubHeartbeats     Heartbeat-Requests sent on hub connections since start and how many were answered
 */
public record NodeStatus(Vmac vmac, DeviceUuid deviceUuid, int hubConnectorState, HubConnectionStatus primary,
                         HubConnectionStatus failover, long npdusReceived, long npdusSent,
                         boolean acceptsDirectConnections, NodeSwitch.Status direct, long hubConnections,
                         org.bacnetsc.connection.HeartbeatCounters hubHeartbeats) {

    /** Hub connections established after the first: reconnects (to either hub). */
    public long reconnects() {
        return Math.max(0, hubConnections - 1);
    }

    /** Whether the node has a hub connection. */
    public boolean connected() {
        return hubConnectorState != 0;
    }
}
