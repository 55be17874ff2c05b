package org.bacnetsc.codec;

import org.apache.pekko.util.ByteString;

/** Hex text for frames in logs, tools and tests. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /**
     * Parses hex digits, ignoring whitespace, colons, dashes and an optional {@code 0x} before each group.
     *
     * @throws IllegalArgumentException on any other character or an odd number of digits
     */
    public static ByteString parse(String text) {
        String cleaned = text.replaceAll("0[xX]", "").replaceAll("[\\s:\\-]", "");
        if (cleaned.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits in '" + text + "'");
        }
        byte[] out = new byte[cleaned.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(cleaned.charAt(2 * i), 16);
            int lo = Character.digit(cleaned.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex digit in '" + text + "' near position " + 2 * i);
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return ByteString.fromArrayUnsafe(out);
    }

    /** Lowercase hex digits without separators. */
    public static String format(ByteString bytes) {
        int n = bytes.size();
        StringBuilder sb = new StringBuilder(2 * n);
        for (int i = 0; i < n; i++) {
            int b = bytes.apply(i) & 0xFF;
            sb.append(DIGITS[b >>> 4]).append(DIGITS[b & 0xF]);
        }
        return sb.toString();
    }
}
