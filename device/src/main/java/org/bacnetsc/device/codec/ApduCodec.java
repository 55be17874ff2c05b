package org.bacnetsc.device.codec;

import java.util.OptionalInt;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * APDU headers of Clause 20.1 (the eight PDU types), encoded and decoded. Decoding never throws: octets that are not
 * an APDU are an {@link ApduDecodeFailure} saying why, and for a Confirmed-Request whose invoke ID could be read, the
 * Reject a server answers with (4 invalid-tag, 5 missing-required-parameter, 0 other).
 */
public final class ApduCodec {

    /** Reject reasons used here. */
    public static final int REJECT_OTHER = 0;
    public static final int REJECT_MISSING_REQUIRED_PARAMETER = 5;

    /** Max-APDU octets by the 4-bit code (0-5; 6-15 reserved). */
    private static final int[] MAX_APDU = {50, 128, 206, 480, 1024, 1476};

    private ApduCodec() {
    }

    /** The 4-bit code of a max-APDU length (one of 50, 128, 206, 480, 1024, 1476). */
    public static int maxApduCode(int octets) {
        for (int i = 0; i < MAX_APDU.length; i++) {
            if (MAX_APDU[i] == octets) {
                return i;
            }
        }
        throw new IllegalArgumentException("max-APDU 50, 128, 206, 480, 1024 or 1476, got " + octets);
    }

    /** The 3-bit code of max-segments accepted (0 unspecified, 2, 4, ..., 64, 65 = more than 64). */
    public static int maxSegmentsCode(int segments) {
        return switch (segments) {
            case 0 -> 0;
            case 2 -> 1;
            case 4 -> 2;
            case 8 -> 3;
            case 16 -> 4;
            case 32 -> 5;
            case 64 -> 6;
            case 65 -> 7;
            default -> throw new IllegalArgumentException("max-segments 0, 2, 4, 8, 16, 32, 64 or 65 (more than 64), "
                    + "got " + segments);
        };
    }

    private static int maxSegments(int code) {
        return code == 0 ? 0 : code == 7 ? 65 : 1 << code;
    }

    // ------------------------------------------------------------------------------------------------ encode

    /** The octets of {@code apdu}. */
    public static ByteString encode(Apdu apdu) {
        ByteStringBuilder b = ByteString.newBuilder();
        int type = apdu.type().code() << 4;
        if (apdu instanceof Apdu.ConfirmedRequest r) {
            b.putByte((byte) (type | flag(r.segmented(), 0x08) | flag(r.moreFollows(), 0x04)
                    | flag(r.segmentedResponseAccepted(), 0x02)));
            b.putByte((byte) ((maxSegmentsCode(r.maxSegments()) << 4) | maxApduCode(r.maxApdu())));
            b.putByte((byte) octet("invoke ID", r.invokeId()));
            if (r.segmented()) {
                b.putByte((byte) octet("sequence number", r.sequenceNumber()));
                b.putByte((byte) window(r.proposedWindowSize()));
            }
            b.putByte((byte) octet("service choice", r.serviceChoice()));
            b.append(r.service());
        } else if (apdu instanceof Apdu.UnconfirmedRequest r) {
            b.putByte((byte) type);
            b.putByte((byte) octet("service choice", r.serviceChoice()));
            b.append(r.service());
        } else if (apdu instanceof Apdu.SimpleAck a) {
            b.putByte((byte) type);
            b.putByte((byte) octet("invoke ID", a.invokeId()));
            b.putByte((byte) octet("service choice", a.serviceChoice()));
        } else if (apdu instanceof Apdu.ComplexAck a) {
            b.putByte((byte) (type | flag(a.segmented(), 0x08) | flag(a.moreFollows(), 0x04)));
            b.putByte((byte) octet("invoke ID", a.invokeId()));
            if (a.segmented()) {
                b.putByte((byte) octet("sequence number", a.sequenceNumber()));
                b.putByte((byte) window(a.proposedWindowSize()));
            }
            b.putByte((byte) octet("service choice", a.serviceChoice()));
            b.append(a.service());
        } else if (apdu instanceof Apdu.SegmentAck a) {
            b.putByte((byte) (type | flag(a.negative(), 0x02) | flag(a.server(), 0x01)));
            b.putByte((byte) octet("invoke ID", a.invokeId()));
            b.putByte((byte) octet("sequence number", a.sequenceNumber()));
            b.putByte((byte) window(a.actualWindowSize()));
        } else if (apdu instanceof Apdu.Error e) {
            b.putByte((byte) type);
            b.putByte((byte) octet("invoke ID", e.invokeId()));
            b.putByte((byte) octet("service choice", e.serviceChoice()));
            Tags.writeApplication(b, new Value.Enumerated(e.errorClass()));
            Tags.writeApplication(b, new Value.Enumerated(e.errorCode()));
        } else if (apdu instanceof Apdu.Reject r) {
            b.putByte((byte) type);
            b.putByte((byte) octet("invoke ID", r.invokeId()));
            b.putByte((byte) octet("reject reason", r.reason()));
        } else if (apdu instanceof Apdu.Abort a) {
            b.putByte((byte) (type | flag(a.server(), 0x01)));
            b.putByte((byte) octet("invoke ID", a.invokeId()));
            b.putByte((byte) octet("abort reason", a.reason()));
        }
        return b.result();
    }

    private static int flag(boolean on, int bit) {
        return on ? bit : 0;
    }

    private static int octet(String what, int v) {
        if (v < 0 || v > 255) {
            throw new IllegalArgumentException(what + " 0-255, got " + v);
        }
        return v;
    }

    private static int window(int v) {
        if (v < 1 || v > 127) {
            throw new IllegalArgumentException("window size 1-127, got " + v);
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------------ decode

    /** The APDU in {@code b}, or why it is none. */
    public static ApduDecodeResult decode(ByteString b) {
        if (b.isEmpty()) {
            return failure("no octets", null, -1, false);
        }
        int first = b.apply(0) & 0xFF;
        PduType type = PduType.find(first >> 4).orElse(null);
        if (type == null) {
            return failure("PDU type " + (first >> 4) + " is reserved", null, -1, false);
        }
        return switch (type) {
            case CONFIRMED_REQUEST -> confirmed(b, first);
            case UNCONFIRMED_REQUEST -> b.size() < 2 ? failure("Unconfirmed-Request without a service choice", type,
                    -1, false) : new Apdu.UnconfirmedRequest(u(b, 1), b.drop(2));
            case SIMPLE_ACK -> b.size() != 3 ? failure("SimpleACK of " + b.size() + " octets, 3 expected", type,
                    b.size() > 1 ? u(b, 1) : -1, false) : new Apdu.SimpleAck(u(b, 1), u(b, 2));
            case COMPLEX_ACK -> complexAck(b, first);
            case SEGMENT_ACK -> b.size() != 4 || u(b, 3) < 1 || u(b, 3) > 127
                    ? failure("SegmentACK of " + b.size() + " octets or with a window outside 1-127", type,
                            b.size() > 1 ? u(b, 1) : -1, false)
                    : new Apdu.SegmentAck((first & 0x02) != 0, (first & 0x01) != 0, u(b, 1), u(b, 2), u(b, 3));
            case ERROR -> error(b);
            case REJECT -> b.size() != 3 ? failure("Reject of " + b.size() + " octets, 3 expected", type,
                    b.size() > 1 ? u(b, 1) : -1, false) : new Apdu.Reject(u(b, 1), u(b, 2));
            case ABORT -> b.size() != 3 ? failure("Abort of " + b.size() + " octets, 3 expected", type,
                    b.size() > 1 ? u(b, 1) : -1, false) : new Apdu.Abort((first & 0x01) != 0, u(b, 1), u(b, 2));
        };
    }

    private static ApduDecodeResult confirmed(ByteString b, int first) {
        PduType type = PduType.CONFIRMED_REQUEST;
        if (b.size() < 3) {
            return failure("Confirmed-Request of " + b.size() + " octets: no invoke ID", type, -1, false);
        }
        boolean segmented = (first & 0x08) != 0;
        int invokeId = u(b, 2);
        int header = segmented ? 6 : 4;
        if (b.size() < header) {
            return failure("Confirmed-Request header of " + b.size() + " octets, " + header + " expected", type,
                    invokeId, true);
        }
        int sizes = u(b, 1);
        int apduCode = sizes & 0x0F;
        if (apduCode >= MAX_APDU.length) {
            return new ApduDecodeFailure("max-APDU code " + apduCode + " is reserved", type, OptionalInt.of(invokeId),
                    OptionalInt.of(REJECT_OTHER));
        }
        int window = segmented ? u(b, 4) : 0;
        if (segmented && (window < 1 || window > 127)) {
            return new ApduDecodeFailure("proposed window size " + window + " outside 1-127", type,
                    OptionalInt.of(invokeId), OptionalInt.of(REJECT_OTHER));
        }
        return new Apdu.ConfirmedRequest(segmented, (first & 0x04) != 0, (first & 0x02) != 0,
                maxSegments((sizes >> 4) & 0x07), MAX_APDU[apduCode], invokeId, segmented ? u(b, 3) : 0, window,
                u(b, header - 1), b.drop(header));
    }

    private static ApduDecodeResult complexAck(ByteString b, int first) {
        boolean segmented = (first & 0x08) != 0;
        int header = segmented ? 5 : 3;
        if (b.size() < header) {
            return failure("ComplexACK header of " + b.size() + " octets, " + header + " expected",
                    PduType.COMPLEX_ACK, b.size() > 1 ? u(b, 1) : -1, false);
        }
        int window = segmented ? u(b, 3) : 0;
        if (segmented && (window < 1 || window > 127)) {
            return failure("proposed window size " + window + " outside 1-127", PduType.COMPLEX_ACK, u(b, 1), false);
        }
        return new Apdu.ComplexAck(segmented, (first & 0x04) != 0, u(b, 1), segmented ? u(b, 2) : 0, window,
                u(b, header - 1), b.drop(header));
    }

    private static ApduDecodeResult error(ByteString b) {
        if (b.size() < 3) {
            return failure("Error of " + b.size() + " octets", PduType.ERROR, b.size() > 1 ? u(b, 1) : -1, false);
        }
        Tags.Read<Value> errorClass = Tags.readApplication(b, 3);
        if (errorClass instanceof Tags.Ok<Value> c && c.value() instanceof Value.Enumerated ec) {
            Tags.Read<Value> errorCode = Tags.readApplication(b, c.next());
            if (errorCode instanceof Tags.Ok<Value> d && d.value() instanceof Value.Enumerated code
                    && d.next() == b.size()) {
                return new Apdu.Error(u(b, 1), u(b, 2), ec.value(), code.value());
            }
        }
        return failure("Error without an Enumerated error class and error code (and nothing after them)",
                PduType.ERROR, u(b, 1), false);
    }

    private static ApduDecodeFailure failure(String details, PduType type, int invokeId, boolean reject) {
        return new ApduDecodeFailure(details, type, invokeId < 0 ? OptionalInt.empty() : OptionalInt.of(invokeId),
                reject ? OptionalInt.of(REJECT_MISSING_REQUIRED_PARAMETER) : OptionalInt.empty());
    }

    private static int u(ByteString b, int i) {
        return b.apply(i) & 0xFF;
    }
}
