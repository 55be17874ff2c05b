package org.bacnetsc.codec;

import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * Why a frame could not be accepted (digest §6), as a value.
 *
 * @param errorClass        the error class for the NAK (COMMUNICATION unless a resource limit was hit)
 * @param errorCode         the error code
 * @param functionCode      the BVLC function code, or -1 when the frame was too short to hold it
 * @param messageId         the Message ID, or -1 when the frame was too short to hold it
 * @param originating       the Originating VMAC when it could be read, else null
 * @param destination       the Destination VMAC when it could be read, else null
 * @param errorHeaderMarker the marker byte of the option that caused the failure, exactly as received; 0 if none
 * @param silentDrop        true when the frame is dropped without an answer; false when it is answered with a NAK
 *                          (a unicast request, digest §6)
 * @param details           a human-readable reason, sent as the NAK's Error Details
 */
public record DecodeFailure(ErrorClass errorClass, ErrorCode errorCode, int functionCode, int messageId,
                            Vmac originating, Vmac destination, int errorHeaderMarker, boolean silentDrop,
                            String details) implements DecodeResult {

    /** Validates the combination: a NAK needs a function code and a Message ID. */
    public DecodeFailure {
        Checks.notNull("errorClass", errorClass);
        Checks.notNull("errorCode", errorCode);
        Checks.notNull("details", details);
        if (!silentDrop && (functionCode < 0 || messageId < 0)) {
            throw new IllegalArgumentException("a failure answered with a NAK needs the function and Message ID");
        }
    }

    /**
     * A failure for a message that decoded but is refused by its receiver (duplicate VMAC, unsupported optional
     * functionality, unknown proprietary function, direction rule): answered with a NAK when the message is a unicast
     * request (digest §6), dropped otherwise.
     */
    public static DecodeFailure refuse(BvlcMessage message, ErrorCode code, String details) {
        boolean nak = BvlcCodec.isNakableUnicast(message.function().code(), message.destination());
        return new DecodeFailure(ErrorClass.COMMUNICATION, code, message.function().code(), message.messageId(),
                message.originating(), message.destination(), 0, !nak, details);
    }

    /** The function, when the code is one of the thirteen. */
    public Optional<BvlcFunction> function() {
        return BvlcFunction.find(functionCode);
    }

    /**
     * The BVLC-Result NAK that answers this failure, without VMACs (as on a direct connection or as a hub's own
     * connection-level NAK); empty when the frame is dropped silently.
     */
    public Optional<BvlcMessage> nak() {
        return nak(null);
    }

    /**
     * The BVLC-Result NAK that answers this failure, addressed to {@code destination} (a node answering over its hub
     * connection addresses the NAK to the offending message's Originating VMAC); empty when dropped silently.
     */
    public Optional<BvlcMessage> nak(Vmac nakDestination) {
        if (silentDrop) {
            return Optional.empty();
        }
        Payload.BvlcResult result = new Payload.BvlcResult(functionCode, Payload.ResultCode.NAK, errorHeaderMarker,
                errorClass.code(), errorCode.code(), details);
        return Optional.of(BvlcMessage.of(messageId, null, nakDestination, result));
    }

    /** The encoded NAK without VMACs, or empty when dropped silently. */
    public Optional<ByteString> nakFrame() {
        return nak().map(BvlcCodec::encode);
    }
}
