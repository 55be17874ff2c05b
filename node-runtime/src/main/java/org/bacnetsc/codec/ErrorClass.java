package org.bacnetsc.codec;

import java.util.Optional;

/** BACnet error classes (digest §7). */
public enum ErrorClass {
    DEVICE(0), OBJECT(1), PROPERTY(2), RESOURCES(3), SECURITY(4), SERVICES(5), VT(6), COMMUNICATION(7);

    private static final ErrorClass[] BY_CODE = values();
    private final int code;

    ErrorClass(int code) {
        this.code = code;
    }

    /** The wire number. */
    public int code() {
        return code;
    }

    /** Strict lookup of a wire number. */
    public static Optional<ErrorClass> find(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** Strict lookup that fails on an unknown number. */
    public static ErrorClass of(int code) {
        return find(code).orElseThrow(() -> new IllegalArgumentException("unknown error class " + code));
    }
}
