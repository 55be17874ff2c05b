package org.bacnetsc.codec;

import org.apache.pekko.util.ByteString;

/**
 * The hub's forwarding rewrite (digest §10): turns the raw frame of a hub-bound message into the frame the hub sends
 * on, touching header bytes only. Options and payload are neither decoded nor copied.
 *
 * <ul>
 *   <li>unicast (Destination is a node): remove the Destination, insert Originating = sender;</li>
 *   <li>broadcast (Destination is {@code ff:ff:ff:ff:ff:ff}): insert Originating = sender, keep the Destination.</li>
 * </ul>
 *
 * <p>An Originating VMAC already present on the hub-bound frame (the bac-py deviation, accepted by the hub only when
 * it equals the sender's VMAC) is replaced, not duplicated.
 */
public final class HubRewrite {

    private static final int VMAC_AND_HEADER = BvlcCodec.FIXED_HEADER + Vmac.LENGTH;
    /** Octets after the header up to which a rewritten frame is one copied array rather than a zero-copy rope. */
    public static final int COPY_LIMIT = 2048;

    private HubRewrite() {
    }

    /**
     * The Destination VMAC of a frame whose header has already been decoded successfully, or null when it has none.
     */
    public static Vmac destination(ByteString frame) {
        int flags = frame.apply(1) & 0xFF;
        if ((flags & BvlcCodec.FLAG_DESTINATION) == 0) {
            return null;
        }
        int at = BvlcCodec.FIXED_HEADER + ((flags & BvlcCodec.FLAG_ORIGINATING) != 0 ? Vmac.LENGTH : 0);
        long v = 0;
        for (int i = 0; i < Vmac.LENGTH; i++) {
            v = (v << 8) | (frame.apply(at + i) & 0xFF);
        }
        return new Vmac(v);
    }

    /**
     * The frame to forward for a hub-bound frame that carries a Destination VMAC (already validated by decoding).
     *
     * @param frame  the frame as received from the sender
     * @param sender the sender's VMAC, which becomes the Originating VMAC
     * @return the rewritten frame: a new 10-octet header followed by the rest of {@code frame} (copied up to
     *         {@link #COPY_LIMIT} octets, a zero-copy slice above)
     * @throws IllegalArgumentException when the frame carries no Destination VMAC
     */
    public static ByteString toNode(ByteString frame, Vmac sender) {
        int flags = frame.apply(1) & 0xFF;
        if ((flags & BvlcCodec.FLAG_DESTINATION) == 0 || frame.size() < VMAC_AND_HEADER) {
            throw new IllegalArgumentException("a hub-bound frame to forward must carry a Destination VMAC");
        }
        int origLen = (flags & BvlcCodec.FLAG_ORIGINATING) != 0 ? Vmac.LENGTH : 0;
        int destAt = BvlcCodec.FIXED_HEADER + origLen;
        boolean broadcast = true;
        for (int i = 0; i < Vmac.LENGTH && broadcast; i++) {
            broadcast = frame.apply(destAt + i) == (byte) 0xFF;
        }
        byte[] header = new byte[VMAC_AND_HEADER];
        header[0] = frame.apply(0);
        header[1] = (byte) (broadcast ? flags | BvlcCodec.FLAG_ORIGINATING
                : (flags & ~BvlcCodec.FLAG_DESTINATION) | BvlcCodec.FLAG_ORIGINATING);
        header[2] = frame.apply(2);
        header[3] = frame.apply(3);
        long bits = sender.bits();
        for (int i = Vmac.LENGTH - 1; i >= 0; i--) {
            header[BvlcCodec.FIXED_HEADER + i] = (byte) bits;
            bits >>>= 8;
        }
        int restAt = broadcast ? destAt : destAt + Vmac.LENGTH;
        int rest = frame.size() - restAt;
        if (rest > COPY_LIMIT) {
            return ByteString.fromArrayUnsafe(header).concat(frame.drop(restAt));
        }
        // a small frame is copied whole: cheaper down the line than a rope of two parts
        byte[] out = java.util.Arrays.copyOf(header, VMAC_AND_HEADER + rest);
        frame.drop(restAt).copyToBuffer(java.nio.ByteBuffer.wrap(out, VMAC_AND_HEADER, rest));
        return ByteString.fromArrayUnsafe(out);
    }
}
