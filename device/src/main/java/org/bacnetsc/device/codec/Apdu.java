package org.bacnetsc.device.codec;

import org.apache.pekko.util.ByteString;

/**
 * One APDU (Clause 20.1): its header, decoded, and the service data that follows it, undecoded. Segment fields are
 * present only when {@code segmented} is set (a non-segmented message carries none on the wire).
 */
public sealed interface Apdu extends ApduDecodeResult
        permits Apdu.ConfirmedRequest, Apdu.UnconfirmedRequest, Apdu.SimpleAck, Apdu.ComplexAck, Apdu.SegmentAck,
        Apdu.Error, Apdu.Reject, Apdu.Abort {

    /** The PDU type. */
    PduType type();

    /**
     * A Confirmed-Request-PDU.
     *
     * @param segmented                  SEG: a segment of a segmented request
     * @param moreFollows                MOR: more segments follow
     * @param segmentedResponseAccepted  SA: the client accepts a segmented response
     * @param maxSegments                the most segments the client accepts (0: unspecified, 65: more than 64)
     * @param maxApdu                    the longest APDU the client accepts, in octets
     * @param invokeId                   0-255
     * @param sequenceNumber             the segment's number (0-255), or 0 when not segmented
     * @param proposedWindowSize         1-127 when segmented, else 0
     * @param serviceChoice              the confirmed service (0-255)
     * @param service                    the service request's encoded data
     */
    record ConfirmedRequest(boolean segmented, boolean moreFollows, boolean segmentedResponseAccepted,
                            int maxSegments, int maxApdu, int invokeId, int sequenceNumber, int proposedWindowSize,
                            int serviceChoice, ByteString service) implements Apdu {
        /** A request in one piece. */
        public static ConfirmedRequest of(int maxApdu, int invokeId, int serviceChoice, ByteString service) {
            return new ConfirmedRequest(false, false, false, 0, maxApdu, invokeId, 0, 0, serviceChoice, service);
        }

        @Override
        public PduType type() {
            return PduType.CONFIRMED_REQUEST;
        }
    }

    /**
     * An Unconfirmed-Request-PDU.
     *
     * @param serviceChoice the unconfirmed service (0-255)
     * @param service       the service request's encoded data
     */
    record UnconfirmedRequest(int serviceChoice, ByteString service) implements Apdu {
        @Override
        public PduType type() {
            return PduType.UNCONFIRMED_REQUEST;
        }
    }

    /**
     * A SimpleACK-PDU.
     *
     * @param invokeId      the request's invoke ID
     * @param serviceChoice the request's service
     */
    record SimpleAck(int invokeId, int serviceChoice) implements Apdu {
        @Override
        public PduType type() {
            return PduType.SIMPLE_ACK;
        }
    }

    /**
     * A ComplexACK-PDU.
     *
     * @param segmented          SEG
     * @param moreFollows        MOR
     * @param invokeId           the request's invoke ID
     * @param sequenceNumber     the segment's number when segmented, else 0
     * @param proposedWindowSize 1-127 when segmented, else 0
     * @param serviceChoice      the request's service
     * @param service            the ACK's encoded data
     */
    record ComplexAck(boolean segmented, boolean moreFollows, int invokeId, int sequenceNumber, int proposedWindowSize,
                      int serviceChoice, ByteString service) implements Apdu {
        /** An ACK in one piece. */
        public static ComplexAck of(int invokeId, int serviceChoice, ByteString service) {
            return new ComplexAck(false, false, invokeId, 0, 0, serviceChoice, service);
        }

        @Override
        public PduType type() {
            return PduType.COMPLEX_ACK;
        }
    }

    /**
     * A SegmentACK-PDU.
     *
     * @param negative          NAK: a segment was missing
     * @param server            SRV: sent by the server
     * @param invokeId          the transaction's invoke ID
     * @param sequenceNumber    the last segment received in order
     * @param actualWindowSize  1-127
     */
    record SegmentAck(boolean negative, boolean server, int invokeId, int sequenceNumber, int actualWindowSize)
            implements Apdu {
        @Override
        public PduType type() {
            return PduType.SEGMENT_ACK;
        }
    }

    /**
     * An Error-PDU.
     *
     * @param invokeId      the request's invoke ID
     * @param serviceChoice the request's service
     * @param errorClass    the error class (an Enumerated)
     * @param errorCode     the error code (an Enumerated)
     */
    record Error(int invokeId, int serviceChoice, long errorClass, long errorCode) implements Apdu {
        @Override
        public PduType type() {
            return PduType.ERROR;
        }
    }

    /**
     * A Reject-PDU.
     *
     * @param invokeId the request's invoke ID
     * @param reason   the reject reason (0-255; 64-255 proprietary)
     */
    record Reject(int invokeId, int reason) implements Apdu {
        @Override
        public PduType type() {
            return PduType.REJECT;
        }
    }

    /**
     * An Abort-PDU.
     *
     * @param server   SRV: sent by the server
     * @param invokeId the transaction's invoke ID
     * @param reason   the abort reason (0-255; 64-255 proprietary)
     */
    record Abort(boolean server, int invokeId, int reason) implements Apdu {
        @Override
        public PduType type() {
            return PduType.ABORT;
        }
    }
}
