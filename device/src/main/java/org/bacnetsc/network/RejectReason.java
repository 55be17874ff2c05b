package org.bacnetsc.network;

import java.util.Optional;

/** The reason octet of Reject-Message-To-Network (Clause 6.4.4; digest §5). */
public enum RejectReason {
    /** 0: other error. */
    OTHER(0),
    /** 1: not directly connected to DNET and no router to it found. */
    NOT_ROUTER_TO_DNET(1),
    /** 2: the router is busy. */
    ROUTER_BUSY(2),
    /** 3: unknown network layer message type. */
    UNKNOWN_NETWORK_MESSAGE(3),
    /** 4: the message is too long for the destination network. */
    MESSAGE_TOO_LONG(4),
    /** 5: security error. */
    SECURITY_ERROR(5),
    /** 6: addressing error (e.g. a bad address length). */
    ADDRESSING_ERROR(6);

    private final int code;

    RejectReason(int code) {
        this.code = code;
    }

    /** The wire code. */
    public int code() {
        return code;
    }

    /** The reason for a wire code, or empty when the code is not one of 0-6. */
    public static Optional<RejectReason> find(int code) {
        for (RejectReason r : values()) {
            if (r.code == code) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
