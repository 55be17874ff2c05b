package org.bacnetsc.bip;

import java.util.Optional;

/** The BVLC Function octet of Annex J (digest §8). */
public enum BvllFunction {
    BVLC_RESULT(0x00),
    WRITE_BROADCAST_DISTRIBUTION_TABLE(0x01),
    READ_BROADCAST_DISTRIBUTION_TABLE(0x02),
    READ_BROADCAST_DISTRIBUTION_TABLE_ACK(0x03),
    FORWARDED_NPDU(0x04),
    REGISTER_FOREIGN_DEVICE(0x05),
    READ_FOREIGN_DEVICE_TABLE(0x06),
    READ_FOREIGN_DEVICE_TABLE_ACK(0x07),
    DELETE_FOREIGN_DEVICE_TABLE_ENTRY(0x08),
    DISTRIBUTE_BROADCAST_TO_NETWORK(0x09),
    ORIGINAL_UNICAST_NPDU(0x0A),
    ORIGINAL_BROADCAST_NPDU(0x0B),
    SECURE_BVLL(0x0C);

    private final int code;

    BvllFunction(int code) {
        this.code = code;
    }

    /** The wire code. */
    public int code() {
        return code;
    }

    /** The function of a code, or empty. */
    public static Optional<BvllFunction> find(int code) {
        for (BvllFunction f : values()) {
            if (f.code == code) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
