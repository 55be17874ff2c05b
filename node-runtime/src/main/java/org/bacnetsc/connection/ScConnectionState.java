package org.bacnetsc.connection;

/** BACnetSCConnectionState (digest §11), as reported in hub, direct-connect and failed-request status. */
public enum ScConnectionState {
    NOT_CONNECTED(0), CONNECTED(1), DISCONNECTED_WITH_ERRORS(2), FAILED_TO_CONNECT(3);

    private final int code;

    ScConnectionState(int code) {
        this.code = code;
    }

    /** The BACnet enumeration value. */
    public int code() {
        return code;
    }
}
