package org.bacnetsc.device.codec;

import org.apache.pekko.util.ByteString;

/** Hex for the tests' vectors ("0C 02 00 00 02", spaces allowed). */
final class Hex {
    private Hex() {
    }

    static ByteString parse(String hex) {
        String h = hex.replace(" ", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return ByteString.fromArray(out);
    }
}
