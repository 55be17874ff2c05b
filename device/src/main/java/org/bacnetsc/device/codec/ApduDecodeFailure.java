package org.bacnetsc.device.codec;

import java.util.OptionalInt;

/**
 * Octets that are not an APDU, and what a server answers them with (digest of Clause 20.1, "what a server answers").
 *
 * @param details      what is wrong, for logs and counters
 * @param type         the PDU type when the first octet names one, else null
 * @param invokeId     the invoke ID when it could be read, else empty
 * @param rejectReason for a Confirmed-Request whose invoke ID was read: the Reject reason to answer with; else empty
 *                     (anything else is dropped: no invoke ID to answer, or not a request)
 */
public record ApduDecodeFailure(String details, PduType type, OptionalInt invokeId, OptionalInt rejectReason)
        implements ApduDecodeResult {
}
