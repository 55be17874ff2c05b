package org.bacnetsc.network;

/** What decoding an NPDU gave: the NPDU, or why it is dropped (decoding never throws). */
public sealed interface NpduDecodeResult {

    /**
     * A well-formed NPDU.
     *
     * @param npdu the NPDU
     */
    record Decoded(Npdu npdu) implements NpduDecodeResult {
    }

    /**
     * A frame that is dropped, and why.
     *
     * @param reason the kind
     * @param detail what exactly, for the log
     */
    record Dropped(Reason reason, String detail) implements NpduDecodeResult {
    }

    /** Why an NPDU is dropped (digest §2). */
    enum Reason {
        /** Protocol version other than 1 (dropped silently). */
        VERSION,
        /** Fewer octets than the control information announces. */
        TRUNCATED,
        /** DNET 0. */
        INVALID_DNET,
        /** SNET 0 or 0xFFFF. */
        INVALID_SNET,
        /** SLEN 0. */
        INVALID_SLEN,
        /** DLEN > 0 with DNET 0xFFFF. */
        INVALID_DADR,
        /** A network layer message whose data does not match its type (length). */
        MALFORMED_MESSAGE
    }
}
