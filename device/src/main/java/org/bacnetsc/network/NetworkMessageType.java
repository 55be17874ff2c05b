package org.bacnetsc.network;

import java.util.Optional;

/** The Message Type octet of a network layer message (Clause 6.2.4; digest §5). 0x80-0xFF are proprietary. */
public enum NetworkMessageType {
    WHO_IS_ROUTER_TO_NETWORK(0x00),
    I_AM_ROUTER_TO_NETWORK(0x01),
    I_COULD_BE_ROUTER_TO_NETWORK(0x02),
    REJECT_MESSAGE_TO_NETWORK(0x03),
    ROUTER_BUSY_TO_NETWORK(0x04),
    ROUTER_AVAILABLE_TO_NETWORK(0x05),
    INITIALIZE_ROUTING_TABLE(0x06),
    INITIALIZE_ROUTING_TABLE_ACK(0x07),
    ESTABLISH_CONNECTION_TO_NETWORK(0x08),
    DISCONNECT_CONNECTION_TO_NETWORK(0x09),
    WHAT_IS_NETWORK_NUMBER(0x12),
    NETWORK_NUMBER_IS(0x13);

    /** The first proprietary message type: from here on a Vendor ID follows the type. */
    public static final int FIRST_PROPRIETARY = 0x80;

    private final int code;

    NetworkMessageType(int code) {
        this.code = code;
    }

    /** The wire code. */
    public int code() {
        return code;
    }

    /** The type of a code, or empty (Clause 24 security messages 0x0A-0x11, reserved 0x14-0x7F, proprietary). */
    public static Optional<NetworkMessageType> find(int code) {
        for (NetworkMessageType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
