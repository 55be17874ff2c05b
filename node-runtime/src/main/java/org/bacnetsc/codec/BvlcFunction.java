package org.bacnetsc.codec;

import java.util.Optional;

/**
 * The thirteen BVLC-SC functions (digest §4) with their wire codes.
 *
 * <p>{@link #find(int)} is the strict lookup: a code outside 0x00-0x0C has no function.
 */
public enum BvlcFunction {
    BVLC_RESULT(0x00, false, false),
    ENCAPSULATED_NPDU(0x01, false, true),
    ADDRESS_RESOLUTION(0x02, false, true),
    ADDRESS_RESOLUTION_ACK(0x03, false, false),
    ADVERTISEMENT(0x04, false, false),
    ADVERTISEMENT_SOLICITATION(0x05, false, true),
    CONNECT_REQUEST(0x06, true, true),
    CONNECT_ACCEPT(0x07, true, false),
    DISCONNECT_REQUEST(0x08, true, true),
    DISCONNECT_ACK(0x09, true, false),
    HEARTBEAT_REQUEST(0x0A, true, true),
    HEARTBEAT_ACK(0x0B, true, false),
    PROPRIETARY_MESSAGE(0x0C, false, false);

    private static final BvlcFunction[] BY_CODE = values();

    private final int code;
    private final boolean connectionScoped;
    private final boolean nakable;

    BvlcFunction(int code, boolean connectionScoped, boolean nakable) {
        this.code = code;
        this.connectionScoped = connectionScoped;
        this.nakable = nakable;
    }

    /** The wire code (0x00-0x0C). */
    public int code() {
        return code;
    }

    /** Connection-scoped functions (0x06-0x0B) never carry VMACs and are never forwarded by a hub. */
    public boolean connectionScoped() {
        return connectionScoped;
    }

    /**
     * Whether a unicast message of this function is answered with a BVLC-Result NAK when it is in error (digest §6):
     * Connect-Request, Disconnect-Request, Encapsulated-NPDU, Address-Resolution, Advertisement-Solicitation and
     * Heartbeat-Request. Responses, BVLC-Result and Proprietary-Message are never NAKed.
     */
    public boolean nakable() {
        return nakable;
    }

    /** Strict lookup of a wire code. */
    public static Optional<BvlcFunction> find(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** Strict lookup that fails on an unknown code. */
    public static BvlcFunction of(int code) {
        return find(code).orElseThrow(() -> new IllegalArgumentException("unknown BVLC-SC function " + code));
    }

    /** Whether an erroneous unicast message with this wire code is NAKed; unknown codes are (digest §6). */
    public static boolean nakableCode(int code) {
        return code >= BY_CODE.length || (code >= 0 && BY_CODE[code].nakable);
    }
}
