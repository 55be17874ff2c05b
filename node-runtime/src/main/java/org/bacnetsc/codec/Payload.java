package org.bacnetsc.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * The function-specific part of a BVLC-SC message (digest §4): one record per function.
 */
public sealed interface Payload
        permits Payload.BvlcResult, Payload.EncapsulatedNpdu, Payload.AddressResolution,
        Payload.AddressResolutionAck, Payload.Advertisement, Payload.AdvertisementSolicitation,
        Payload.ConnectRequest, Payload.ConnectAccept, Payload.DisconnectRequest, Payload.DisconnectAck,
        Payload.HeartbeatRequest, Payload.HeartbeatAck, Payload.ProprietaryMessage {

    /** The function this payload belongs to. */
    BvlcFunction function();

    /** Result Code of a BVLC-Result. */
    enum ResultCode {
        ACK(0), NAK(1);

        private final int code;

        ResultCode(int code) {
            this.code = code;
        }

        /** The wire value. */
        public int code() {
            return code;
        }
    }

    /**
     * BVLC-Result (0x00). An ACK has only Result-For and Result Code; a NAK adds the Error Header Marker, error class,
     * error code and optional details. Class and code are kept as numbers because peers send numbers outside the
     * standard lists (digest §7); {@link ErrorClass#find} and {@link ErrorCode#find} name them.
     *
     * @param resultFor         the function code this result answers (0-255)
     * @param resultCode        ACK or NAK
     * @param errorHeaderMarker the marker of the option that caused the NAK, 0 if none (0 for an ACK)
     * @param errorClass        the error class number (0 for an ACK)
     * @param errorCode         the error code number (0 for an ACK)
     * @param errorDetails      UTF-8 details without NUL ("" for an ACK)
     */
    record BvlcResult(int resultFor, ResultCode resultCode, int errorHeaderMarker, int errorClass, int errorCode,
                      String errorDetails) implements Payload {

        /** Validates ranges; an ACK carries no error fields. */
        public BvlcResult {
            Checks.u8("resultFor", resultFor);
            Checks.notNull("resultCode", resultCode);
            Checks.u8("errorHeaderMarker", errorHeaderMarker);
            Checks.u16("errorClass", errorClass);
            Checks.u16("errorCode", errorCode);
            Checks.notNull("errorDetails", errorDetails);
            if (resultCode == ResultCode.ACK
                    && (errorHeaderMarker != 0 || errorClass != 0 || errorCode != 0 || !errorDetails.isEmpty())) {
                throw new IllegalArgumentException("a BVLC-Result ACK carries no error fields");
            }
            if (errorDetails.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("error details must not contain NUL");
            }
        }

        /** An ACK for the given function code. */
        public static BvlcResult ack(int resultFor) {
            return new BvlcResult(resultFor, ResultCode.ACK, 0, 0, 0, "");
        }

        /** A NAK with error class COMMUNICATION and no option marker. */
        public static BvlcResult nak(int resultFor, ErrorCode code, String details) {
            return new BvlcResult(resultFor, ResultCode.NAK, 0, ErrorClass.COMMUNICATION.code(), code.code(),
                    details);
        }

        /** Whether this is a NAK. */
        public boolean isNak() {
            return resultCode == ResultCode.NAK;
        }

        @Override
        public BvlcFunction function() {
            return BvlcFunction.BVLC_RESULT;
        }
    }

    /**
     * Encapsulated-NPDU (0x01).
     *
     * @param npdu the NPDU, at least one octet
     */
    record EncapsulatedNpdu(ByteString npdu) implements Payload {
        /** Requires a non-empty NPDU. */
        public EncapsulatedNpdu {
            Checks.notNull("npdu", npdu);
            if (npdu.isEmpty()) {
                throw new IllegalArgumentException("an Encapsulated-NPDU carries at least one octet");
            }
        }

        @Override
        public BvlcFunction function() {
            return BvlcFunction.ENCAPSULATED_NPDU;
        }
    }

    /** Address-Resolution (0x02), no payload. */
    record AddressResolution() implements Payload {
        /** The one value. */
        public static final AddressResolution INSTANCE = new AddressResolution();

        @Override
        public BvlcFunction function() {
            return BvlcFunction.ADDRESS_RESOLUTION;
        }
    }

    /**
     * Address-Resolution-ACK (0x03): WebSocket URIs separated by single spaces; no URIs is an empty payload.
     *
     * @param uris the URIs in order
     */
    record AddressResolutionAck(List<String> uris) implements Payload {
        /** Copies the list; a URI may not contain a space. */
        public AddressResolutionAck {
            uris = List.copyOf(uris);
            for (String u : uris) {
                if (u.isEmpty() || u.indexOf(' ') >= 0) {
                    throw new IllegalArgumentException("a URI is non-empty and has no space: '" + u + "'");
                }
            }
        }

        /** The payload octets. */
        byte[] encodedUris() {
            return String.join(" ", uris).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public BvlcFunction function() {
            return BvlcFunction.ADDRESS_RESOLUTION_ACK;
        }
    }

    /**
     * Advertisement (0x04).
     *
     * @param hubConnectionStatus     0 no hub connection, 1 connected to primary, 2 connected to failover
     * @param acceptDirectConnections whether the node accepts direct connections
     * @param maxBvlcLength           the largest BVLC message the node accepts
     * @param maxNpduLength           the largest NPDU the node accepts
     */
    record Advertisement(int hubConnectionStatus, boolean acceptDirectConnections, int maxBvlcLength,
                         int maxNpduLength) implements Payload {
        /** Validates ranges. */
        public Advertisement {
            if (hubConnectionStatus < 0 || hubConnectionStatus > 2) {
                throw new IllegalArgumentException("hub connection status is 0-2, got " + hubConnectionStatus);
            }
            Checks.u16("maxBvlcLength", maxBvlcLength);
            Checks.u16("maxNpduLength", maxNpduLength);
        }

        @Override
        public BvlcFunction function() {
            return BvlcFunction.ADVERTISEMENT;
        }
    }

    /** Advertisement-Solicitation (0x05), no payload. */
    record AdvertisementSolicitation() implements Payload {
        /** The one value. */
        public static final AdvertisementSolicitation INSTANCE = new AdvertisementSolicitation();

        @Override
        public BvlcFunction function() {
            return BvlcFunction.ADVERTISEMENT_SOLICITATION;
        }
    }

    /**
     * Connect-Request (0x06): the requester's VMAC, Device UUID and limits.
     *
     * @param vmac          the requester's VMAC
     * @param deviceUuid    the requester's Device UUID
     * @param maxBvlcLength the largest BVLC message the requester accepts
     * @param maxNpduLength the largest NPDU the requester accepts
     */
    record ConnectRequest(Vmac vmac, DeviceUuid deviceUuid, int maxBvlcLength, int maxNpduLength)
            implements Payload {
        /** Validates ranges. */
        public ConnectRequest {
            Checks.notNull("vmac", vmac);
            Checks.notNull("deviceUuid", deviceUuid);
            Checks.u16("maxBvlcLength", maxBvlcLength);
            Checks.u16("maxNpduLength", maxNpduLength);
        }

        @Override
        public BvlcFunction function() {
            return BvlcFunction.CONNECT_REQUEST;
        }
    }

    /**
     * Connect-Accept (0x07): the acceptor's VMAC, Device UUID and limits.
     *
     * @param vmac          the acceptor's VMAC
     * @param deviceUuid    the acceptor's Device UUID
     * @param maxBvlcLength the largest BVLC message the acceptor accepts
     * @param maxNpduLength the largest NPDU the acceptor accepts
     */
    record ConnectAccept(Vmac vmac, DeviceUuid deviceUuid, int maxBvlcLength, int maxNpduLength)
            implements Payload {
        /** Validates ranges. */
        public ConnectAccept {
            Checks.notNull("vmac", vmac);
            Checks.notNull("deviceUuid", deviceUuid);
            Checks.u16("maxBvlcLength", maxBvlcLength);
            Checks.u16("maxNpduLength", maxNpduLength);
        }

        @Override
        public BvlcFunction function() {
            return BvlcFunction.CONNECT_ACCEPT;
        }
    }

    /** Disconnect-Request (0x08), no payload. */
    record DisconnectRequest() implements Payload {
        /** The one value. */
        public static final DisconnectRequest INSTANCE = new DisconnectRequest();

        @Override
        public BvlcFunction function() {
            return BvlcFunction.DISCONNECT_REQUEST;
        }
    }

    /** Disconnect-ACK (0x09), no payload. */
    record DisconnectAck() implements Payload {
        /** The one value. */
        public static final DisconnectAck INSTANCE = new DisconnectAck();

        @Override
        public BvlcFunction function() {
            return BvlcFunction.DISCONNECT_ACK;
        }
    }

    /** Heartbeat-Request (0x0A), no payload. */
    record HeartbeatRequest() implements Payload {
        /** The one value. */
        public static final HeartbeatRequest INSTANCE = new HeartbeatRequest();

        @Override
        public BvlcFunction function() {
            return BvlcFunction.HEARTBEAT_REQUEST;
        }
    }

    /** Heartbeat-ACK (0x0B), no payload. */
    record HeartbeatAck() implements Payload {
        /** The one value. */
        public static final HeartbeatAck INSTANCE = new HeartbeatAck();

        @Override
        public BvlcFunction function() {
            return BvlcFunction.HEARTBEAT_ACK;
        }
    }

    /**
     * Proprietary-Message (0x0C).
     *
     * @param vendorId            the 16-bit vendor identifier
     * @param proprietaryFunction the vendor's function (0-255)
     * @param data                the vendor data
     */
    record ProprietaryMessage(int vendorId, int proprietaryFunction, ByteString data) implements Payload {
        /** Validates ranges. */
        public ProprietaryMessage {
            Checks.u16("vendorId", vendorId);
            Checks.u8("proprietaryFunction", proprietaryFunction);
            Checks.notNull("data", data);
        }

        @Override
        public BvlcFunction function() {
            return BvlcFunction.PROPRIETARY_MESSAGE;
        }
    }
}
