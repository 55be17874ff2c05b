package org.bacnetsc.codec;

import java.util.UUID;

/**
 * The 16-octet Device UUID (RFC 4122, network order) that identifies a BACnet device on every SC connection (digest
 * §8).
 *
 * @param value the UUID
 */
public record DeviceUuid(UUID value) {

    /** Octets on the wire. */
    public static final int LENGTH = 16;

    /** Rejects null. */
    public DeviceUuid {
        if (value == null) {
            throw new IllegalArgumentException("a Device UUID is required");
        }
    }

    /** The UUID whose 16 octets, most significant first, are {@code msb} then {@code lsb}. */
    public static DeviceUuid of(long msb, long lsb) {
        return new DeviceUuid(new UUID(msb, lsb));
    }

    /** Parses the 8-4-4-4-12 form. */
    public static DeviceUuid parse(String text) {
        try {
            return new DeviceUuid(UUID.fromString(text.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a UUID (8-4-4-4-12 hex): '" + text + "'", e);
        }
    }

    /** A new random (version 4) UUID. */
    public static DeviceUuid random() {
        return new DeviceUuid(UUID.randomUUID());
    }

    /** Lowercase 8-4-4-4-12. */
    @Override
    public String toString() {
        return value.toString();
    }
}
