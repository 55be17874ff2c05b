package org.bacnetsc.examples.bacnet;

import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * The BACnet network layer header (ASHRAE 135 clause 6.2) as far as a device on one SC network needs it: version 1,
 * control octet, optional DNET/DADR, SNET/SADR and hop count; network-layer messages are recognised and skipped.
 */
public final class Npdu {

    private Npdu() {
    }

    /**
     * A decoded NPDU carrying an APDU.
     *
     * @param expectingReply the control octet's data-expecting-reply bit
     * @param apdu           the APDU
     */
    public record Decoded(boolean expectingReply, ByteString apdu) {
    }

    /** An NPDU for a local APDU. */
    public static ByteString wrap(ByteString apdu, boolean expectingReply) {
        return ByteString.fromArrayUnsafe(new byte[] {1, (byte) (expectingReply ? 0x04 : 0x00)}).concat(apdu);
    }

    /** The APDU of an NPDU; empty for network-layer messages and malformed headers. */
    public static Optional<Decoded> unwrap(ByteString npdu) {
        if (npdu.size() < 2 || npdu.apply(0) != 1) {
            return Optional.empty();
        }
        int control = npdu.apply(1) & 0xFF;
        if ((control & 0x80) != 0) {
            return Optional.empty(); // network layer message
        }
        int pos = 2;
        boolean hasDest = (control & 0x20) != 0;
        if (hasDest) {
            if (npdu.size() < pos + 3) {
                return Optional.empty();
            }
            int dlen = npdu.apply(pos + 2) & 0xFF;
            pos += 3 + dlen;
        }
        if ((control & 0x08) != 0) {
            if (npdu.size() < pos + 3) {
                return Optional.empty();
            }
            int slen = npdu.apply(pos + 2) & 0xFF;
            pos += 3 + slen;
        }
        if (hasDest) {
            pos += 1; // hop count
        }
        if (npdu.size() <= pos) {
            return Optional.empty();
        }
        return Optional.of(new Decoded((control & 0x04) != 0, npdu.drop(pos)));
    }
}
