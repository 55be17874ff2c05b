package org.bacnetsc.bip;

/** What decoding a datagram gave: a BVLL message, or why the datagram is dropped. */
public sealed interface BvllDecodeResult {

    /** @param bvll the message */
    record Decoded(Bvll bvll) implements BvllDecodeResult {
    }

    /**
     * @param reason the kind
     * @param detail what exactly
     */
    record Dropped(Reason reason, String detail) implements BvllDecodeResult {
    }

    /** Why a datagram is dropped (digest §8). */
    enum Reason {
        /** BVLC Type not 0x81 (0x82 is BACnet/IPv6). */
        TYPE,
        /** Fewer than 4 octets, or a BVLC Length that is not the datagram's length. */
        LENGTH,
        /** A function code above 0x0C. */
        FUNCTION,
        /** The function's data does not fit it (e.g. a table not a whole number of entries). */
        MALFORMED
    }
}
