package org.bacnetsc.transport;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import org.apache.pekko.util.ByteString;

/**
 * Encoding of RFC 6455 frames (§5.2), pure: every frame we send is whole (FIN set, RSV clear), a server's unmasked, a
 * client's masked with a fresh key.
 */
final class WsFrames {

    /** The longest control payload (§5.5). */
    static final int MAX_CONTROL_PAYLOAD = 125;

    private WsFrames() {
    }

    /** Payload octets up to which an unmasked frame is one copied array rather than a header and the payload. */
    static final int COPY_LIMIT = 2048;

    /**
     * One whole frame.
     *
     * @param opcode  the opcode
     * @param payload the payload (at most 125 octets for a control frame)
     * @param masks   the client's source of masking keys, or null on the server (no mask)
     */
    static ByteString frame(WsOpcode opcode, ByteString payload, RandomGenerator masks) {
        int length = payload.size();
        if (opcode.isControl() && length > MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("control payload of " + length + " octets");
        }
        int extended = length < 126 ? 0 : length < 65536 ? 2 : 8;
        int headerLength = 2 + extended + (masks == null ? 0 : 4);
        byte[] header = new byte[masks == null ? headerLength : headerLength + length];
        header[0] = (byte) (0x80 | opcode.code);
        int lengthCode = extended == 0 ? length : extended == 2 ? 126 : 127;
        header[1] = (byte) ((masks == null ? 0 : 0x80) | lengthCode);
        if (extended == 2) {
            header[2] = (byte) (length >>> 8);
            header[3] = (byte) length;
        } else if (extended == 8) {
            // lengths above 2^31 cannot occur (a ByteString's size is an int): the upper four octets stay 0
            header[6] = (byte) (length >>> 24);
            header[7] = (byte) (length >>> 16);
            header[8] = (byte) (length >>> 8);
            header[9] = (byte) length;
        }
        if (masks == null) {
            if (length > COPY_LIMIT) {
                return ByteString.fromArrayUnsafe(header).concat(payload);
            }
            // a small frame is copied whole: cheaper down the line (coalescing, TLS) than a rope of two parts
            byte[] whole = java.util.Arrays.copyOf(header, headerLength + length);
            payload.copyToBuffer(java.nio.ByteBuffer.wrap(whole, headerLength, length));
            return ByteString.fromArrayUnsafe(whole);
        }
        int key = masks.nextInt();
        int at = headerLength - 4;
        header[at] = (byte) (key >>> 24);
        header[at + 1] = (byte) (key >>> 16);
        header[at + 2] = (byte) (key >>> 8);
        header[at + 3] = (byte) key;
        payload.asByteBuffer().get(header, headerLength, length);
        for (int i = 0; i < length; i++) {
            header[headerLength + i] ^= header[at + (i & 3)];
        }
        return ByteString.fromArrayUnsafe(header);
    }

    /**
     * A close payload (§5.5.1): the status code, then the reason in UTF-8 cut (on a character boundary) so that the
     * payload stays within 125 octets.
     */
    static ByteString closePayload(int code, String reason) {
        byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(text.length, MAX_CONTROL_PAYLOAD - 2);
        while (n > 0 && n < text.length && (text[n] & 0xC0) == 0x80) {
            n--;
        }
        byte[] p = new byte[2 + n];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(text, 0, p, 2, n);
        return ByteString.fromArrayUnsafe(p);
    }

    /**
     * Whether a peer may send this status code in a close frame (§7.4): 1000-1003, 1007-1011, the IANA-registered
     * 1012-1014, and 3000-4999. 1004-1006 and 1015 are never sent; other codes below 3000 are unassigned.
     */
    static boolean isValidCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /** The text of strictly valid UTF-8, or null. */
    static String strictUtf8(byte[] bytes, int offset, int length) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
