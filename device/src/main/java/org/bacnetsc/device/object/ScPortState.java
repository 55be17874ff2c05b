package org.bacnetsc.device.object;

import java.util.List;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.ScTypes;

/**
 * The live part of an SC Network Port (digest 5.2), as of the last refresh: what the node (and, on a hub device, the
 * hub function) reports, already in the standard's types.
 *
 * @param vmac                   MAC_Address: the node's VMAC (6 octets)
 * @param hubConnectorState      SC_Hub_Connector_State: 0 no-hub-connection, 1 primary, 2 failover
 * @param primary                SC_Primary_Hub_Connection_Status
 * @param failover               SC_Failover_Hub_Connection_Status
 * @param directAcceptEnable     SC_Direct_Connect_Accept_Enable
 * @param directInitiateEnable   SC_Direct_Connect_Initiate_Enable
 * @param directAcceptUris       SC_Direct_Connect_Accept_URIs
 * @param directConnections      SC_Direct_Connect_Connection_Status
 * @param failedRequests         SC_Failed_Connection_Requests (the node's direct connect acceptor, and on a hub
 *                               device the hub function's)
 * @param hubFunctionConnections SC_Hub_Function_Connection_Status (empty unless a hub device)
 * @param health                 Current_Health
 */
public record ScPortState(ByteString vmac, int hubConnectorState, ScTypes.HubConnection primary,
                          ScTypes.HubConnection failover, boolean directAcceptEnable, boolean directInitiateEnable,
                          List<String> directAcceptUris, List<ScTypes.DirectConnection> directConnections,
                          List<ScTypes.FailedConnectionRequest> failedRequests,
                          List<ScTypes.HubFunctionConnection> hubFunctionConnections, ScTypes.Health health) {

    /** Copies the lists. */
    public ScPortState {
        directAcceptUris = List.copyOf(directAcceptUris);
        directConnections = List.copyOf(directConnections);
        failedRequests = List.copyOf(failedRequests);
        hubFunctionConnections = List.copyOf(hubFunctionConnections);
    }

    /** With the hub function's connections and failed requests (a hub device). */
    public ScPortState withHubFunction(List<ScTypes.HubFunctionConnection> connections,
                                       List<ScTypes.FailedConnectionRequest> failed) {
        List<ScTypes.FailedConnectionRequest> all = new java.util.ArrayList<>(failedRequests);
        all.addAll(failed);
        return new ScPortState(vmac, hubConnectorState, primary, failover, directAcceptEnable, directInitiateEnable,
                directAcceptUris, directConnections, all, connections, health);
    }
}
