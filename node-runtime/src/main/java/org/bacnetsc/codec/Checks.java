package org.bacnetsc.codec;

/** Argument checks for the message records. */
final class Checks {
    private Checks() {
    }

    static int u8(String name, int v) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException(name + " must be 0-255, got " + v);
        }
        return v;
    }

    static int u16(String name, int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(name + " must be 0-65535, got " + v);
        }
        return v;
    }

    static <T> T notNull(String name, T v) {
        if (v == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }
}
