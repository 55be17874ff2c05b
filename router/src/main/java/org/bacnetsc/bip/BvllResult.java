package org.bacnetsc.bip;

import java.util.Optional;

/** The result codes of BVLC-Result (Annex J.2.1; digest §8). */
public enum BvllResult {
    SUCCESSFUL_COMPLETION(0x0000),
    WRITE_BROADCAST_DISTRIBUTION_TABLE_NAK(0x0010),
    READ_BROADCAST_DISTRIBUTION_TABLE_NAK(0x0020),
    REGISTER_FOREIGN_DEVICE_NAK(0x0030),
    READ_FOREIGN_DEVICE_TABLE_NAK(0x0040),
    DELETE_FOREIGN_DEVICE_TABLE_ENTRY_NAK(0x0050),
    DISTRIBUTE_BROADCAST_TO_NETWORK_NAK(0x0060);

    private final int code;

    BvllResult(int code) {
        this.code = code;
    }

    /** The wire code. */
    public int code() {
        return code;
    }

    /** The result of a code, or empty. */
    public static Optional<BvllResult> find(int code) {
        for (BvllResult r : values()) {
            if (r.code == code) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The NAK a node that is not a BBMD answers to a BBMD function (digest §9), or empty. */
    public static Optional<BvllResult> nakFor(BvllFunction f) {
        return switch (f) {
            case WRITE_BROADCAST_DISTRIBUTION_TABLE -> Optional.of(WRITE_BROADCAST_DISTRIBUTION_TABLE_NAK);
            case READ_BROADCAST_DISTRIBUTION_TABLE -> Optional.of(READ_BROADCAST_DISTRIBUTION_TABLE_NAK);
            case REGISTER_FOREIGN_DEVICE -> Optional.of(REGISTER_FOREIGN_DEVICE_NAK);
            case READ_FOREIGN_DEVICE_TABLE -> Optional.of(READ_FOREIGN_DEVICE_TABLE_NAK);
            case DELETE_FOREIGN_DEVICE_TABLE_ENTRY -> Optional.of(DELETE_FOREIGN_DEVICE_TABLE_ENTRY_NAK);
            case DISTRIBUTE_BROADCAST_TO_NETWORK -> Optional.of(DISTRIBUTE_BROADCAST_TO_NETWORK_NAK);
            default -> Optional.empty();
        };
    }
}
