package org.bacnetsc.transport;

import java.nio.ByteBuffer;
import org.apache.pekko.util.ByteString;

/**
 * An incremental, strict RFC 6455 deframer, pure: bytes in any pieces go in, whole binary messages (unmasked and
 * reassembled up to a limit) and control frames come out through a {@link Listener}. Every rule of §5 is checked as
 * soon as the octets that break it have arrived; the first violation is reported once and nothing after it is
 * decoded. A message longer than the limit is discarded as it arrives, never buffered (AB.7.5.3).
 *
 * <p>What it holds, whatever the peer sends: a 14-octet header, one control payload (at most 125 octets) and the
 * message being reassembled (at most the limit).
 */
final class WsFrameDecoder {

    /** What was decoded. Called on the thread that feeds. */
    interface Listener {
        /** A whole binary message of at most the limit. */
        void onMessage(ByteString message);

        /** A binary message longer than the limit, discarded as it arrived; {@code length} is its whole length. */
        void onDiscarded(long length);

        /** A ping and its payload. */
        void onPing(ByteString payload);

        /** A pong (answered or unsolicited). */
        void onPong(ByteString payload);

        /** A valid close frame; {@code code} is 1005 when it carried no payload. Nothing more is decoded. */
        void onClose(int code, String reason);

        /** A rule broken; nothing more is decoded. */
        void onViolation(WsViolation violation);
    }

    private static final int NO_STATUS = 1005;

    private final boolean serverSide;
    private final int maxMessage;
    private final Listener listener;

    /** After a close or a violation. */
    private boolean done;
    /** Asked to stop after the current frame (the consumer has enough); {@link #resume()} goes on. */
    private boolean paused;

    // The frame header being read.
    private final byte[] header = new byte[14];
    private int headerFill;
    private int headerNeed = 2;

    // The frame whose payload is being read.
    private boolean inPayload;
    private WsOpcode opcode;
    private boolean fin;
    private boolean masked;
    private final byte[] mask = new byte[4];
    private long remaining;
    private long payloadOffset;
    /** Where the payload goes: a control payload, or the data frame's share of the message (null when discarding). */
    private byte[] payload;
    private int payloadFill;

    // The message being assembled.
    private boolean inMessage;
    private boolean discarding;
    private long messageLength;
    private ByteString parts = ByteString.emptyByteString();

    /**
     * @param serverSide true to require masked frames (the server side), false to refuse them (the client side)
     * @param maxMessage the longest binary message delivered (our Max-BVLC)
     * @param listener   told what was decoded
     */
    WsFrameDecoder(boolean serverSide, int maxMessage, Listener listener) {
        this.serverSide = serverSide;
        this.maxMessage = maxMessage;
        this.listener = listener;
    }

    /** Whether a close or a violation ended decoding. */
    boolean isDone() {
        return done;
    }

    /** Decodes nothing more (the socket is closing for a reason of its own). */
    void stop() {
        done = true;
        parts = ByteString.emptyByteString();
        payload = null;
    }

    /**
     * Stops decoding after the frame being delivered (called from the listener): {@link #feed} returns how far it
     * got, and the caller feeds the rest after {@link #resume()}.
     */
    void pause() {
        paused = true;
    }

    /** Whether {@link #pause()} stopped decoding. */
    boolean isPaused() {
        return paused;
    }

    /** Decoding may go on. */
    void resume() {
        paused = false;
    }

    /**
     * Decodes the next bytes of the stream.
     *
     * @return how many of them were taken: all, unless the listener paused the decoder (then the rest must be fed
     *         again after {@link #resume()}), or a close or violation ended decoding
     */
    int feed(ByteString bytes) {
        if (done || bytes.isEmpty()) {
            return bytes.size();
        }
        ByteBuffer in = bytes.asByteBuffer().slice();
        int size = in.remaining();
        int pos = 0;
        while (!done && !paused) {
            if (!inPayload) {
                while (headerFill < headerNeed && pos < size) {
                    header[headerFill++] = in.get(pos++);
                }
                if (headerFill < headerNeed) {
                    return size;
                }
                if (headerNeed == 2) {
                    headerNeed = firstTwoOctets();
                    if (done || headerFill < headerNeed) {
                        continue;
                    }
                }
                startPayload();
                if (done) {
                    return size;
                }
            }
            if (remaining > 0) {
                if (pos >= size) {
                    return size;
                }
                int n = (int) Math.min(remaining, size - pos);
                take(in, pos, n);
                pos += n;
                remaining -= n;
                if (remaining > 0) {
                    return size;
                }
            }
            endFrame();
        }
        return done ? size : pos;
    }

    /** Checks the first two octets; returns the whole header's length. */
    private int firstTwoOctets() {
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        if ((b0 & 0x70) != 0) {
            return violation(WsViolation.RESERVED_BITS);
        }
        WsOpcode op = WsOpcode.find(b0 & 0x0F);
        if (op == null) {
            return violation(WsViolation.RESERVED_OPCODE);
        }
        boolean m = (b1 & 0x80) != 0;
        if (serverSide && !m) {
            return violation(WsViolation.UNMASKED_CLIENT_FRAME);
        }
        if (!serverSide && m) {
            return violation(WsViolation.MASKED_SERVER_FRAME);
        }
        boolean f = (b0 & 0x80) != 0;
        int lengthCode = b1 & 0x7F;
        if (op.isControl()) {
            if (!f) {
                return violation(WsViolation.CONTROL_FRAGMENTED);
            }
            if (lengthCode > WsFrames.MAX_CONTROL_PAYLOAD) {
                return violation(WsViolation.CONTROL_TOO_LONG);
            }
        } else if (op == WsOpcode.CONTINUATION) {
            if (!inMessage) {
                return violation(WsViolation.CONTINUATION_WITHOUT_START);
            }
        } else if (inMessage) {
            return violation(WsViolation.DATA_INSIDE_FRAGMENTED);
        } else if (op == WsOpcode.TEXT) {
            return violation(WsViolation.TEXT_DATA);
        }
        opcode = op;
        fin = f;
        masked = m;
        return 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + (m ? 4 : 0);
    }

    /** The header is whole: reads the length and the mask and prepares for the payload. */
    private void startPayload() {
        int lengthCode = header[1] & 0x7F;
        int at = 2;
        long length;
        if (lengthCode == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            at = 4;
        } else if (lengthCode == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
            if (length < 0) {
                violation(WsViolation.LENGTH_OUT_OF_RANGE);
                return;
            }
            at = 10;
        } else {
            length = lengthCode;
        }
        if (masked) {
            System.arraycopy(header, at, mask, 0, 4);
        }
        inPayload = true;
        remaining = length;
        payloadOffset = 0;
        payloadFill = 0;
        if (opcode.isControl()) {
            payload = new byte[(int) length];
            return;
        }
        if (opcode != WsOpcode.CONTINUATION) {
            inMessage = true;
            messageLength = 0;
        }
        if (!discarding && messageLength + length > maxMessage) {
            discarding = true;
            parts = ByteString.emptyByteString();
        }
        messageLength += length;
        payload = discarding ? null : new byte[(int) length];
    }

    /** The next {@code n} payload octets, unmasked into the payload (or skipped when discarding). */
    private void take(ByteBuffer in, int pos, int n) {
        if (payload == null) {
            payloadOffset += n;
            return;
        }
        in.get(pos, payload, payloadFill, n);
        if (masked) {
            int phase = (int) (payloadOffset & 3);
            for (int i = 0; i < n; i++) {
                payload[payloadFill + i] ^= mask[(phase + i) & 3];
            }
        }
        payloadFill += n;
        payloadOffset += n;
    }

    private void endFrame() {
        inPayload = false;
        headerFill = 0;
        headerNeed = 2;
        byte[] p = payload;
        payload = null;
        switch (opcode) {
            case PING -> listener.onPing(ByteString.fromArrayUnsafe(p));
            case PONG -> listener.onPong(ByteString.fromArrayUnsafe(p));
            case CLOSE -> onCloseFrame(p);
            default -> endDataFrame(p);
        }
    }

    private void endDataFrame(byte[] p) {
        if (p != null && p.length > 0) {
            parts = parts.isEmpty() ? ByteString.fromArrayUnsafe(p) : parts.concat(ByteString.fromArrayUnsafe(p));
        }
        if (!fin) {
            return;
        }
        ByteString message = parts;
        boolean dropped = discarding;
        long length = messageLength;
        parts = ByteString.emptyByteString();
        inMessage = false;
        discarding = false;
        messageLength = 0;
        if (dropped) {
            listener.onDiscarded(length);
        } else {
            listener.onMessage(message.isCompact() ? message : message.compact());
        }
    }

    private void onCloseFrame(byte[] p) {
        if (p.length == 1) {
            violation(WsViolation.CLOSE_ONE_OCTET);
            return;
        }
        int code = p.length == 0 ? NO_STATUS : ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
        if (p.length > 0 && !WsFrames.isValidCloseCode(code)) {
            violation(WsViolation.INVALID_CLOSE_CODE);
            return;
        }
        String reason = p.length <= 2 ? "" : WsFrames.strictUtf8(p, 2, p.length - 2);
        if (reason == null) {
            violation(WsViolation.INVALID_CLOSE_REASON);
            return;
        }
        done = true;
        parts = ByteString.emptyByteString();
        listener.onClose(code, reason);
    }

    private int violation(WsViolation v) {
        done = true;
        parts = ByteString.emptyByteString();
        payload = null;
        listener.onViolation(v);
        return 0;
    }
}
