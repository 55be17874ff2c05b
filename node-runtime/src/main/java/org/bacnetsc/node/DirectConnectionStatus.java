package org.bacnetsc.node;

import java.net.URI;
import java.time.Instant;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ConnectionError;
import org.bacnetsc.connection.ScConnectionState;

/**
 * One entry of SC_Direct_Connect_Connection_Status (digest §15).
 *
 * @param uri                 the URI we connected to, or null for a connection we accepted
 * @param state               CONNECTED, NOT_CONNECTED, DISCONNECTED_WITH_ERRORS or FAILED_TO_CONNECT
 * @param connectTimestamp    when the handshake completed, or null
 * @param disconnectTimestamp when it ended, or null while connected
 * @param peerAddress         the peer's host:port, or null
 * @param peerVmac            the peer's VMAC (from the handshake), or null
 * @param peerUuid            the peer's Device UUID, or null
 * @param error               the error, or null
 * @param initiated           whether we opened it (else the peer did)
 */
public record DirectConnectionStatus(URI uri, ScConnectionState state, Instant connectTimestamp,
                                     Instant disconnectTimestamp, String peerAddress, Vmac peerVmac,
                                     DeviceUuid peerUuid, ConnectionError error, boolean initiated) {
}
