package org.bacnetsc.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * Encodes and decodes BVLC-SC messages (digest §2-§4, §6). Pure functions over bytes: no state, no logging, no I/O.
 *
 * <p>{@link #decode} never throws: it returns a {@link BvlcMessage} or a {@link DecodeFailure}. Payload and option
 * data are zero-copy slices of the input. Decoding checks syntax only; the direction rules of §5 and the
 * must-understand rule for destination options ({@link #checkDestinationOptions}) belong to the receiver.
 */
public final class BvlcCodec {

    /** Flag: Originating VMAC present. */
    public static final int FLAG_ORIGINATING = 0x08;
    /** Flag: Destination VMAC present. */
    public static final int FLAG_DESTINATION = 0x04;
    /** Flag: destination options present. */
    public static final int FLAG_DESTINATION_OPTIONS = 0x02;
    /** Flag: data options present. */
    public static final int FLAG_DATA_OPTIONS = 0x01;
    /** Reserved flag bits that must be zero. */
    public static final int FLAGS_RESERVED = 0xF0;
    /** Octets before the optional header fields: function, flags, Message ID. */
    public static final int FIXED_HEADER = 4;
    /** Most options accepted in one list; more is treated as a resource limit. */
    public static final int MAX_OPTIONS_PER_LIST = 64;

    private static final int CONNECT_PAYLOAD = 26;
    private static final int ADVERTISEMENT_PAYLOAD = 6;

    private BvlcCodec() {
    }

    // ------------------------------------------------------------------------------------------------ decoding

    /** Decodes one WebSocket message. Never throws. */
    public static DecodeResult decode(ByteString frame) {
        try {
            return new Decoder(frame).decode();
        } catch (RuntimeException e) {
            // Defence in depth: every path above returns a value; this turns a codec bug into a drop, not a crash.
            int fc = frame.size() > 0 ? frame.apply(0) & 0xFF : -1;
            return new DecodeFailure(ErrorClass.COMMUNICATION, ErrorCode.OTHER, fc, -1, null, null, 0, true,
                    "internal decoder error: " + e);
        }
    }

    /**
     * The must-understand check a recipient applies to a message addressed to it (digest §3): a destination option
     * this implementation does not understand with Must Understand set makes the message fail with
     * HEADER_NOT_UNDERSTOOD and that option's marker byte as received. Options with Must Understand clear are ignored.
     * Hubs forwarding a message never apply this.
     */
    public static Optional<DecodeFailure> checkDestinationOptions(BvlcMessage message) {
        List<HeaderOption> options = message.destinationOptions();
        for (int i = 0; i < options.size(); i++) {
            HeaderOption o = options.get(i);
            if (o.mustUnderstand()) {
                boolean silent = !isNakableUnicast(message.function().code(), message.destination());
                return Optional.of(new DecodeFailure(ErrorClass.COMMUNICATION, ErrorCode.HEADER_NOT_UNDERSTOOD,
                        message.function().code(), message.messageId(), message.originating(),
                        message.destination(), o.marker(i < options.size() - 1), silent,
                        "destination option type " + o.type() + " must be understood"));
            }
        }
        return Optional.empty();
    }

    /** Whether an erroneous message with this function code and Destination is answered with a NAK (digest §6). */
    public static boolean isNakableUnicast(int functionCode, Vmac destination) {
        return BvlcFunction.nakableCode(functionCode) && (destination == null || !destination.isBroadcast());
    }

    /** A one-pass reader over one frame. */
    private static final class Decoder {
        private final ByteString f;
        private final int n;
        private int pos;
        private int functionCode = -1;
        private int messageId = -1;
        private Vmac originating;
        private Vmac destination;
        private boolean destinationUnreadable;

        Decoder(ByteString frame) {
            this.f = frame;
            this.n = frame.size();
        }

        private int u8(int at) {
            return f.apply(at) & 0xFF;
        }

        private int u16(int at) {
            return (u8(at) << 8) | u8(at + 1);
        }

        private Vmac vmac(int at) {
            long v = 0;
            for (int i = 0; i < Vmac.LENGTH; i++) {
                v = (v << 8) | u8(at + i);
            }
            return new Vmac(v);
        }

        private DecodeFailure fail(ErrorCode code, int marker, String details) {
            return fail(ErrorClass.COMMUNICATION, code, marker, details);
        }

        private DecodeFailure fail(ErrorClass cls, ErrorCode code, int marker, String details) {
            boolean nak = messageId >= 0 && !destinationUnreadable
                    && isNakableUnicast(functionCode, destination);
            // A destination flagged but truncated cannot be shown to be a broadcast: treat it as unicast.
            if (messageId >= 0 && destinationUnreadable && BvlcFunction.nakableCode(functionCode)) {
                nak = true;
            }
            return new DecodeFailure(cls, code, functionCode, messageId, originating, destination, marker, !nak,
                    details);
        }

        DecodeResult decode() {
            if (n < FIXED_HEADER) {
                functionCode = n > 0 ? u8(0) : -1;
                return fail(ErrorCode.MESSAGE_INCOMPLETE, 0, "frame of " + n + " octets has no Message ID");
            }
            functionCode = u8(0);
            int flags = u8(1);
            messageId = u16(2);
            pos = FIXED_HEADER;
            if ((flags & FLAG_ORIGINATING) != 0) {
                if (n - pos < Vmac.LENGTH) {
                    if ((flags & FLAG_DESTINATION) != 0) {
                        destinationUnreadable = true;
                    }
                    return fail(ErrorCode.MESSAGE_INCOMPLETE, 0, "truncated Originating VMAC");
                }
                originating = vmac(pos);
                pos += Vmac.LENGTH;
            }
            if ((flags & FLAG_DESTINATION) != 0) {
                if (n - pos < Vmac.LENGTH) {
                    destinationUnreadable = true;
                    return fail(ErrorCode.MESSAGE_INCOMPLETE, 0, "truncated Destination VMAC");
                }
                destination = vmac(pos);
                pos += Vmac.LENGTH;
            }
            if ((flags & FLAGS_RESERVED) != 0) {
                return fail(ErrorCode.PARAMETER_OUT_OF_RANGE, 0,
                        "reserved control flag bits set: 0x" + Integer.toHexString(flags));
            }
            Optional<BvlcFunction> function = BvlcFunction.find(functionCode);
            if (function.isEmpty()) {
                return fail(ErrorCode.BVLC_FUNCTION_UNKNOWN, 0,
                        "unknown BVLC function 0x" + Integer.toHexString(functionCode));
            }
            List<HeaderOption> destinationOptions = List.of();
            if ((flags & FLAG_DESTINATION_OPTIONS) != 0) {
                List<HeaderOption> list = new ArrayList<>(2);
                DecodeFailure failure = readOptions(list, false);
                if (failure != null) {
                    return failure;
                }
                destinationOptions = list;
            }
            List<HeaderOption> dataOptions = List.of();
            if ((flags & FLAG_DATA_OPTIONS) != 0) {
                List<HeaderOption> list = new ArrayList<>(2);
                DecodeFailure failure = readOptions(list, true);
                if (failure != null) {
                    return failure;
                }
                if (function.get() != BvlcFunction.ENCAPSULATED_NPDU) {
                    return fail(ErrorCode.INCONSISTENT_PARAMETERS, 0,
                            "data options on " + function.get() + " (allowed on Encapsulated-NPDU only)");
                }
                dataOptions = list;
            }
            Object payload = readPayload(function.get());
            if (payload instanceof DecodeFailure failure) {
                return failure;
            }
            return new BvlcMessage(messageId, originating, destination, destinationOptions, dataOptions,
                    (Payload) payload);
        }

        private DecodeFailure readOptions(List<HeaderOption> out, boolean dataList) {
            String list = dataList ? "data option" : "destination option";
            boolean more = true;
            while (more) {
                if (pos >= n) {
                    return fail(ErrorCode.MESSAGE_INCOMPLETE, 0, "truncated " + list + " list");
                }
                if (out.size() == MAX_OPTIONS_PER_LIST) {
                    return fail(ErrorClass.RESOURCES, ErrorCode.OUT_OF_MEMORY, u8(pos),
                            "more than " + MAX_OPTIONS_PER_LIST + " " + list + "s");
                }
                int marker = u8(pos++);
                more = (marker & HeaderOption.MORE) != 0;
                boolean mustUnderstand = (marker & HeaderOption.MUST_UNDERSTAND) != 0;
                boolean hasData = (marker & HeaderOption.HAS_DATA) != 0;
                int type = marker & HeaderOption.TYPE_MASK;
                ByteString data = ByteString.emptyByteString();
                if (hasData) {
                    if (n - pos < 2) {
                        return fail(ErrorCode.MESSAGE_INCOMPLETE, marker, "truncated " + list + " length");
                    }
                    int length = u16(pos);
                    pos += 2;
                    if (n - pos < length) {
                        return fail(ErrorCode.MESSAGE_INCOMPLETE, marker,
                                list + " of " + length + " octets, " + (n - pos) + " left");
                    }
                    data = f.slice(pos, pos + length);
                    pos += length;
                }
                if (type == HeaderOption.TYPE_SECURE_PATH) {
                    if (hasData) {
                        return fail(ErrorCode.HEADER_ENCODING_ERROR, marker, "Secure Path option carries data");
                    }
                    out.add(mustUnderstand ? new HeaderOption.SecurePath(true) : HeaderOption.SecurePath.INSTANCE);
                } else if (type == HeaderOption.TYPE_PROPRIETARY) {
                    if (!hasData || data.size() < 3) {
                        return fail(ErrorCode.HEADER_ENCODING_ERROR, marker,
                                "proprietary " + list + " shorter than vendor ID and type");
                    }
                    int vendor = ((data.apply(0) & 0xFF) << 8) | (data.apply(1) & 0xFF);
                    out.add(new HeaderOption.Proprietary(mustUnderstand, vendor, data.apply(2) & 0xFF,
                            data.drop(3)));
                } else {
                    out.add(new HeaderOption.Unknown(type, mustUnderstand, hasData, data));
                }
            }
            return null;
        }

        /** The payload, or a DecodeFailure. */
        private Object readPayload(BvlcFunction function) {
            int len = n - pos;
            switch (function) {
                case BVLC_RESULT:
                    return readResult(len);
                case ENCAPSULATED_NPDU:
                    if (len == 0) {
                        return fail(ErrorCode.PAYLOAD_EXPECTED, 0, "Encapsulated-NPDU without NPDU");
                    }
                    return new Payload.EncapsulatedNpdu(f.slice(pos, n));
                case ADDRESS_RESOLUTION:
                    return empty(len, function, Payload.AddressResolution.INSTANCE);
                case ADDRESS_RESOLUTION_ACK:
                    return readUris(len);
                case ADVERTISEMENT:
                    return readAdvertisement(len);
                case ADVERTISEMENT_SOLICITATION:
                    return empty(len, function, Payload.AdvertisementSolicitation.INSTANCE);
                case CONNECT_REQUEST:
                case CONNECT_ACCEPT:
                    return readConnect(len, function);
                case DISCONNECT_REQUEST:
                    return empty(len, function, Payload.DisconnectRequest.INSTANCE);
                case DISCONNECT_ACK:
                    return empty(len, function, Payload.DisconnectAck.INSTANCE);
                case HEARTBEAT_REQUEST:
                    return empty(len, function, Payload.HeartbeatRequest.INSTANCE);
                case HEARTBEAT_ACK:
                    return empty(len, function, Payload.HeartbeatAck.INSTANCE);
                case PROPRIETARY_MESSAGE:
                    if (len < 3) {
                        return fail(len == 0 ? ErrorCode.PAYLOAD_EXPECTED : ErrorCode.MESSAGE_INCOMPLETE, 0,
                                "Proprietary-Message payload of " + len + " octets, at least 3 expected");
                    }
                    return new Payload.ProprietaryMessage(u16(pos), u8(pos + 2), f.slice(pos + 3, n));
                default:
                    return fail(ErrorCode.BVLC_FUNCTION_UNKNOWN, 0, "unhandled function " + function);
            }
        }

        private Object empty(int len, BvlcFunction function, Payload value) {
            if (len != 0) {
                return fail(ErrorCode.UNEXPECTED_DATA, 0, function + " has no payload, got " + len + " octets");
            }
            return value;
        }

        private Object fixedLength(int len, int expected, BvlcFunction function) {
            if (len == 0) {
                return fail(ErrorCode.PAYLOAD_EXPECTED, 0, function + " without payload");
            }
            if (len < expected) {
                return fail(ErrorCode.MESSAGE_INCOMPLETE, 0,
                        function + " payload of " + len + " octets, " + expected + " expected");
            }
            if (len > expected) {
                return fail(ErrorCode.UNEXPECTED_DATA, 0,
                        function + " payload of " + len + " octets, " + expected + " expected");
            }
            return null;
        }

        private Object readConnect(int len, BvlcFunction function) {
            Object failure = fixedLength(len, CONNECT_PAYLOAD, function);
            if (failure != null) {
                return failure;
            }
            Vmac vmac = vmac(pos);
            DeviceUuid uuid = DeviceUuid.of(u64(pos + 6), u64(pos + 14));
            int maxBvlc = u16(pos + 22);
            int maxNpdu = u16(pos + 24);
            return function == BvlcFunction.CONNECT_REQUEST
                    ? new Payload.ConnectRequest(vmac, uuid, maxBvlc, maxNpdu)
                    : new Payload.ConnectAccept(vmac, uuid, maxBvlc, maxNpdu);
        }

        private long u64(int at) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | u8(at + i);
            }
            return v;
        }

        private Object readAdvertisement(int len) {
            Object failure = fixedLength(len, ADVERTISEMENT_PAYLOAD, BvlcFunction.ADVERTISEMENT);
            if (failure != null) {
                return failure;
            }
            int status = u8(pos);
            int accept = u8(pos + 1);
            if (status > 2) {
                return fail(ErrorCode.PARAMETER_OUT_OF_RANGE, 0, "hub connection status " + status + " > 2");
            }
            if (accept > 1) {
                return fail(ErrorCode.PARAMETER_OUT_OF_RANGE, 0, "accept direct connections " + accept + " > 1");
            }
            return new Payload.Advertisement(status, accept == 1, u16(pos + 2), u16(pos + 4));
        }

        private Object readUris(int len) {
            // Tolerant: URIs are separated by one space; extra spaces carry no meaning and are skipped.
            String text = f.slice(pos, n).decodeString(StandardCharsets.UTF_8);
            List<String> uris = new ArrayList<>(2);
            for (String part : text.split(" ")) {
                if (!part.isEmpty()) {
                    uris.add(part);
                }
            }
            return new Payload.AddressResolutionAck(uris);
        }

        private Object readResult(int len) {
            if (len == 0) {
                return fail(ErrorCode.PAYLOAD_EXPECTED, 0, "BVLC-Result without payload");
            }
            if (len < 2) {
                return fail(ErrorCode.MESSAGE_INCOMPLETE, 0, "BVLC-Result payload of 1 octet");
            }
            int resultFor = u8(pos);
            int code = u8(pos + 1);
            if (code == Payload.ResultCode.ACK.code()) {
                if (len > 2) {
                    return fail(ErrorCode.UNEXPECTED_DATA, 0, "BVLC-Result ACK of " + len + " octets, 2 expected");
                }
                return Payload.BvlcResult.ack(resultFor);
            }
            if (code != Payload.ResultCode.NAK.code()) {
                return fail(ErrorCode.PARAMETER_OUT_OF_RANGE, 0, "BVLC-Result code " + code + " is neither 0 nor 1");
            }
            if (len < 7) {
                return fail(ErrorCode.MESSAGE_INCOMPLETE, 0, "BVLC-Result NAK of " + len + " octets, at least 7");
            }
            ByteString details = f.slice(pos + 7, n);
            if (details.indexOf((byte) 0) >= 0) {
                return fail(ErrorCode.INCONSISTENT_PARAMETERS, 0, "NUL inside BVLC-Result error details");
            }
            return new Payload.BvlcResult(resultFor, Payload.ResultCode.NAK, u8(pos + 2), u16(pos + 3),
                    u16(pos + 5), details.decodeString(StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------------------------------------ encoding

    /** Encodes a message into one contiguous frame (one allocation besides small option/URI buffers). */
    public static ByteString encode(BvlcMessage m) {
        Payload p = m.payload();
        byte[] uris = p instanceof Payload.AddressResolutionAck ack ? ack.encodedUris() : null;
        byte[] details = p instanceof Payload.BvlcResult r && r.isNak()
                ? r.errorDetails().getBytes(StandardCharsets.UTF_8) : null;
        int length = FIXED_HEADER
                + (m.originating() != null ? Vmac.LENGTH : 0)
                + (m.destination() != null ? Vmac.LENGTH : 0)
                + optionsLength(m.destinationOptions())
                + optionsLength(m.dataOptions())
                + payloadLength(p, uris, details);
        byte[] out = new byte[length];
        int flags = (m.originating() != null ? FLAG_ORIGINATING : 0)
                | (m.destination() != null ? FLAG_DESTINATION : 0)
                | (m.destinationOptions().isEmpty() ? 0 : FLAG_DESTINATION_OPTIONS)
                | (m.dataOptions().isEmpty() ? 0 : FLAG_DATA_OPTIONS);
        out[0] = (byte) p.function().code();
        out[1] = (byte) flags;
        int pos = put16(out, 2, m.messageId());
        if (m.originating() != null) {
            pos = putVmac(out, pos, m.originating());
        }
        if (m.destination() != null) {
            pos = putVmac(out, pos, m.destination());
        }
        pos = putOptions(out, pos, m.destinationOptions());
        pos = putOptions(out, pos, m.dataOptions());
        pos = putPayload(out, pos, p, uris, details);
        if (pos != length) {
            throw new IllegalStateException("encoder length mismatch: " + pos + " != " + length);
        }
        return ByteString.fromArrayUnsafe(out);
    }

    private static int optionsLength(List<HeaderOption> options) {
        int len = 0;
        for (int i = 0; i < options.size(); i++) {
            len += options.get(i).encodedLength();
        }
        return len;
    }

    private static int payloadLength(Payload p, byte[] uris, byte[] details) {
        if (p instanceof Payload.EncapsulatedNpdu e) {
            return e.npdu().size();
        } else if (p instanceof Payload.BvlcResult r) {
            return r.isNak() ? 7 + details.length : 2;
        } else if (p instanceof Payload.AddressResolutionAck) {
            return uris.length;
        } else if (p instanceof Payload.Advertisement) {
            return ADVERTISEMENT_PAYLOAD;
        } else if (p instanceof Payload.ConnectRequest || p instanceof Payload.ConnectAccept) {
            return CONNECT_PAYLOAD;
        } else if (p instanceof Payload.ProprietaryMessage pm) {
            return 3 + pm.data().size();
        }
        return 0;
    }

    private static int putPayload(byte[] out, int pos, Payload p, byte[] uris, byte[] details) {
        if (p instanceof Payload.EncapsulatedNpdu e) {
            return putBytes(out, pos, e.npdu());
        } else if (p instanceof Payload.BvlcResult r) {
            out[pos++] = (byte) r.resultFor();
            out[pos++] = (byte) r.resultCode().code();
            if (r.isNak()) {
                out[pos++] = (byte) r.errorHeaderMarker();
                pos = put16(out, pos, r.errorClass());
                pos = put16(out, pos, r.errorCode());
                System.arraycopy(details, 0, out, pos, details.length);
                pos += details.length;
            }
            return pos;
        } else if (p instanceof Payload.AddressResolutionAck) {
            System.arraycopy(uris, 0, out, pos, uris.length);
            return pos + uris.length;
        } else if (p instanceof Payload.Advertisement a) {
            out[pos++] = (byte) a.hubConnectionStatus();
            out[pos++] = (byte) (a.acceptDirectConnections() ? 1 : 0);
            pos = put16(out, pos, a.maxBvlcLength());
            return put16(out, pos, a.maxNpduLength());
        } else if (p instanceof Payload.ConnectRequest c) {
            return putConnect(out, pos, c.vmac(), c.deviceUuid(), c.maxBvlcLength(), c.maxNpduLength());
        } else if (p instanceof Payload.ConnectAccept c) {
            return putConnect(out, pos, c.vmac(), c.deviceUuid(), c.maxBvlcLength(), c.maxNpduLength());
        } else if (p instanceof Payload.ProprietaryMessage pm) {
            pos = put16(out, pos, pm.vendorId());
            out[pos++] = (byte) pm.proprietaryFunction();
            return putBytes(out, pos, pm.data());
        }
        return pos;
    }

    private static int putConnect(byte[] out, int pos, Vmac vmac, DeviceUuid uuid, int maxBvlc, int maxNpdu) {
        pos = putVmac(out, pos, vmac);
        pos = put64(out, pos, uuid.value().getMostSignificantBits());
        pos = put64(out, pos, uuid.value().getLeastSignificantBits());
        pos = put16(out, pos, maxBvlc);
        return put16(out, pos, maxNpdu);
    }

    private static int putOptions(byte[] out, int pos, List<HeaderOption> options) {
        for (int i = 0; i < options.size(); i++) {
            HeaderOption o = options.get(i);
            out[pos++] = (byte) o.marker(i < options.size() - 1);
            if (o instanceof HeaderOption.Proprietary prop) {
                pos = put16(out, pos, 3 + prop.vendorData().size());
                pos = put16(out, pos, prop.vendorId());
                out[pos++] = (byte) prop.proprietaryType();
                pos = putBytes(out, pos, prop.vendorData());
            } else if (o.hasData()) {
                pos = put16(out, pos, o.data().size());
                pos = putBytes(out, pos, o.data());
            }
        }
        return pos;
    }

    private static int putBytes(byte[] out, int pos, ByteString bytes) {
        int size = bytes.size();
        bytes.copyToBuffer(ByteBuffer.wrap(out, pos, size));
        return pos + size;
    }

    private static int putVmac(byte[] out, int pos, Vmac v) {
        long bits = v.bits();
        for (int i = Vmac.LENGTH - 1; i >= 0; i--) {
            out[pos + i] = (byte) bits;
            bits >>>= 8;
        }
        return pos + Vmac.LENGTH;
    }

    static int put16(byte[] out, int pos, int v) {
        out[pos] = (byte) (v >>> 8);
        out[pos + 1] = (byte) v;
        return pos + 2;
    }

    private static int put64(byte[] out, int pos, long v) {
        for (int i = 7; i >= 0; i--) {
            out[pos + i] = (byte) v;
            v >>>= 8;
        }
        return pos + 8;
    }
}
