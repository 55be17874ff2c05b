package org.bacnetsc.device.service;

import java.util.Optional;

/** The unconfirmed service choices (BACnetUnconfirmedServiceChoice, Clause 21). */
public enum UnconfirmedService {
    I_AM(0),
    I_HAVE(1),
    UNCONFIRMED_COV_NOTIFICATION(2),
    UNCONFIRMED_EVENT_NOTIFICATION(3),
    UNCONFIRMED_PRIVATE_TRANSFER(4),
    UNCONFIRMED_TEXT_MESSAGE(5),
    TIME_SYNCHRONIZATION(6),
    WHO_HAS(7),
    WHO_IS(8),
    UTC_TIME_SYNCHRONIZATION(9),
    WRITE_GROUP(10),
    UNCONFIRMED_COV_NOTIFICATION_MULTIPLE(11),
    UNCONFIRMED_AUDIT_NOTIFICATION(12),
    WHO_AM_I(13),
    YOU_ARE(14);

    private static final UnconfirmedService[] BY_CODE = values();

    private final int code;

    UnconfirmedService(int code) {
        this.code = code;
    }

    /** The service-choice octet. */
    public int code() {
        return code;
    }

    /** The service with choice {@code code}, or empty when none has it. */
    public static Optional<UnconfirmedService> of(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }
}
