package org.bacnetsc.device.object;

import java.util.List;

/**
 * The configured part of an SC Network Port (digest 5.2): read-only over BACnet in this release (writes answer
 * WRITE_ACCESS_DENIED).
 *
 * @param instance                  the Network Port's instance
 * @param name                      its Object_Name
 * @param primaryHubUri             SC_Primary_Hub_URI ("" when none)
 * @param failoverHubUri            SC_Failover_Hub_URI ("" when none)
 * @param connectWaitSeconds        SC_Connect_Wait_Timeout
 * @param disconnectWaitSeconds     SC_Disconnect_Wait_Timeout
 * @param heartbeatSeconds          SC_Heartbeat_Timeout
 * @param minReconnectSeconds       SC_Minimum_Reconnect_Time
 * @param maxReconnectSeconds       SC_Maximum_Reconnect_Time
 * @param maxBvlcLength             Max_BVLC_Length_Accepted
 * @param maxNpduLength             Max_NPDU_Length_Accepted
 * @param directConnectBinding      SC_Direct_Connect_Binding ("" when it accepts none)
 * @param hubFunctionEnable         SC_Hub_Function_Enable
 * @param hubFunctionAcceptUris     SC_Hub_Function_Accept_URIs
 * @param hubFunctionBinding        SC_Hub_Function_Binding ("" when not a hub)
 * @param networkNumber             Network_Number (0: unknown)
 * @param operationalCertificateFile the File object instance holding the operational certificate
 * @param issuerCertificateFiles    the File object instances of the two issuer slots
 * @param csrFile                   the File object instance of the certificate signing request
 */
public record ScPortConfig(int instance, String name, String primaryHubUri, String failoverHubUri,
                           int connectWaitSeconds, int disconnectWaitSeconds, int heartbeatSeconds,
                           int minReconnectSeconds, int maxReconnectSeconds, int maxBvlcLength, int maxNpduLength,
                           String directConnectBinding, boolean hubFunctionEnable, List<String> hubFunctionAcceptUris,
                           String hubFunctionBinding, int networkNumber, int operationalCertificateFile,
                           List<Integer> issuerCertificateFiles, int csrFile) {

    /** Copies the lists. */
    public ScPortConfig {
        hubFunctionAcceptUris = List.copyOf(hubFunctionAcceptUris);
        issuerCertificateFiles = List.copyOf(issuerCertificateFiles);
    }

    /** As a hub device's port: the hub function enabled, bound and reachable at these URIs. */
    public ScPortConfig withHubFunction(String binding, List<String> acceptUris) {
        return new ScPortConfig(instance, name, primaryHubUri, failoverHubUri, connectWaitSeconds,
                disconnectWaitSeconds, heartbeatSeconds, minReconnectSeconds, maxReconnectSeconds, maxBvlcLength,
                maxNpduLength, directConnectBinding, true, acceptUris, binding, networkNumber,
                operationalCertificateFile, issuerCertificateFiles, csrFile);
    }
}
