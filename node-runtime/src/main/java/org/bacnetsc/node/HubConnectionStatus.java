package org.bacnetsc.node;

import java.time.Instant;
import org.bacnetsc.connection.ConnectionError;
import org.bacnetsc.connection.ScConnectionState;

/**
 * BACnetSCHubConnection (digest §11): the status of the connection to one hub.
 *
 * @param state               NOT_CONNECTED, CONNECTED, DISCONNECTED_WITH_ERRORS or FAILED_TO_CONNECT
 * @param connectTimestamp    when it last connected, or null
 * @param disconnectTimestamp when it last ended, or null
 * @param error               the last error (class, code, details), or null
 */
public record HubConnectionStatus(ScConnectionState state, Instant connectTimestamp, Instant disconnectTimestamp,
                                  ConnectionError error) {

    /** Never tried. */
    public static final HubConnectionStatus NOT_CONNECTED =
            new HubConnectionStatus(ScConnectionState.NOT_CONNECTED, null, null, null);

    HubConnectionStatus connected(Instant at) {
        return new HubConnectionStatus(ScConnectionState.CONNECTED, at, disconnectTimestamp, null);
    }

    HubConnectionStatus ended(ScConnectionState how, Instant at, ConnectionError why) {
        return new HubConnectionStatus(how, connectTimestamp, at, why);
    }
}
