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
 * @param npdusSent         NPDUs handed to the hub connection
 */
public record NodeStatus(Vmac vmac, DeviceUuid deviceUuid, int hubConnectorState, HubConnectionStatus primary,
                         HubConnectionStatus failover, long npdusReceived, long npdusSent) {

    /** Whether the node has a hub connection. */
    public boolean connected() {
        return hubConnectorState != 0;
    }
}
