package org.bacnetsc.codec;

import java.util.random.RandomGenerator;

/**
 * A 6-octet BACnet/SC virtual MAC address (digest §8), held in the low 48 bits of a {@code long} so that routing
 * tables key on a primitive-sized value.
 *
 * @param bits the 48-bit address, octet 0 in bits 47-40
 */
public record Vmac(long bits) {

    /** Octets in a VMAC. */
    public static final int LENGTH = 6;
    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    /** The local broadcast VMAC {@code ff:ff:ff:ff:ff:ff}. */
    public static final Vmac BROADCAST = new Vmac(MASK);
    /** The unset VMAC {@code 00:00:00:00:00:00}, never a node address. */
    public static final Vmac UNSET = new Vmac(0);

    /** Validates the range. */
    public Vmac {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("a VMAC has 48 bits: " + Long.toHexString(bits));
        }
    }

    /** The VMAC made of six octets. */
    public static Vmac of(byte[] octets) {
        if (octets.length != LENGTH) {
            throw new IllegalArgumentException("a VMAC has 6 octets, got " + octets.length);
        }
        long v = 0;
        for (byte b : octets) {
            v = (v << 8) | (b & 0xFF);
        }
        return new Vmac(v);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff}, {@code aa-bb-...} or twelve hex digits. */
    public static Vmac parse(String text) {
        String hex = text.trim().replace(":", "").replace("-", "");
        if (hex.length() != 12) {
            throw new IllegalArgumentException("not a VMAC (six hex octets): '" + text + "'");
        }
        try {
            return new Vmac(Long.parseLong(hex, 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a VMAC (six hex octets): '" + text + "'", e);
        }
    }

    /**
     * A new Random-48 VMAC (digest §8): the low nibble of octet 0 is {@code 0010}, the other 44 bits are random.
     */
    public static Vmac random48(RandomGenerator random) {
        long r = random.nextLong() & MASK;
        return new Vmac((r & ~(0x0FL << 40)) | (0x02L << 40));
    }

    /** Whether this VMAC has the Random-48 form (low nibble of octet 0 is {@code 0010}). */
    public boolean isRandom48() {
        return ((bits >>> 40) & 0x0F) == 0x02;
    }

    /** Whether this is the broadcast VMAC. */
    public boolean isBroadcast() {
        return bits == MASK;
    }

    /** Whether this is the unset VMAC. */
    public boolean isUnset() {
        return bits == 0;
    }

    /** Octet {@code i} (0-5). */
    public int octet(int i) {
        return (int) (bits >>> (8 * (5 - i))) & 0xFF;
    }

    /** The six octets. */
    public byte[] toBytes() {
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = (byte) octet(i);
        }
        return out;
    }

    /** {@code aa:bb:cc:dd:ee:ff}, lowercase. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int o = octet(i);
            sb.append(Character.forDigit(o >>> 4, 16)).append(Character.forDigit(o & 0xF, 16));
        }
        return sb.toString();
    }
}
