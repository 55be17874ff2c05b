package org.bacnetsc.device.service;

import java.util.Optional;

/**
 * The confirmed service choices (BACnetConfirmedServiceChoice, Clause 21). The removed services 13
 * (readPropertyConditional), 24 (authenticate) and 25 (requestKey) have no constant: a request naming them is
 * rejected as unrecognized like any unknown choice.
 */
public enum ConfirmedService {
    ACKNOWLEDGE_ALARM(0),
    CONFIRMED_COV_NOTIFICATION(1),
    CONFIRMED_EVENT_NOTIFICATION(2),
    GET_ALARM_SUMMARY(3),
    GET_ENROLLMENT_SUMMARY(4),
    SUBSCRIBE_COV(5),
    ATOMIC_READ_FILE(6),
    ATOMIC_WRITE_FILE(7),
    ADD_LIST_ELEMENT(8),
    REMOVE_LIST_ELEMENT(9),
    CREATE_OBJECT(10),
    DELETE_OBJECT(11),
    READ_PROPERTY(12),
    READ_PROPERTY_MULTIPLE(14),
    WRITE_PROPERTY(15),
    WRITE_PROPERTY_MULTIPLE(16),
    DEVICE_COMMUNICATION_CONTROL(17),
    CONFIRMED_PRIVATE_TRANSFER(18),
    CONFIRMED_TEXT_MESSAGE(19),
    REINITIALIZE_DEVICE(20),
    VT_OPEN(21),
    VT_CLOSE(22),
    VT_DATA(23),
    READ_RANGE(26),
    LIFE_SAFETY_OPERATION(27),
    SUBSCRIBE_COV_PROPERTY(28),
    GET_EVENT_INFORMATION(29),
    SUBSCRIBE_COV_PROPERTY_MULTIPLE(30),
    CONFIRMED_COV_NOTIFICATION_MULTIPLE(31),
    CONFIRMED_AUDIT_NOTIFICATION(32),
    AUDIT_LOG_QUERY(33);

    private static final ConfirmedService[] BY_CODE = new ConfirmedService[34];

    static {
        for (ConfirmedService s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;

    ConfirmedService(int code) {
        this.code = code;
    }

    /** The service-choice octet. */
    public int code() {
        return code;
    }

    /** The service with choice {@code code}, or empty when none has it (reserved, removed or out of range). */
    public static Optional<ConfirmedService> of(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
    }
}
