package org.bacnetsc.device.service;

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

    static String of(ByteString b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.size(); i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02X", b.apply(i) & 0xFF));
        }
        return s.toString();
    }
}
