package org.bacnetsc.device.codec;

import java.util.Optional;

/** The eight PDU types (bits 7-4 of an APDU's first octet). */
public enum PduType {
    CONFIRMED_REQUEST(0), UNCONFIRMED_REQUEST(1), SIMPLE_ACK(2), COMPLEX_ACK(3), SEGMENT_ACK(4), ERROR(5),
    REJECT(6), ABORT(7);

    private final int code;

    PduType(int code) {
        this.code = code;
    }

    /** The type's number, 0-7. */
    public int code() {
        return code;
    }

    /** The type of number {@code code}, or empty for 8-15 (reserved). */
    public static Optional<PduType> find(int code) {
        return code >= 0 && code < 8 ? Optional.of(values()[code]) : Optional.empty();
    }
}
