package org.bacnetsc.examples.bacnet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * The small part of the BACnet application layer (ASHRAE 135 clauses 20-21) that a device needs to answer Who-Is and
 * ReadProperty for its Device object: pure functions over bytes, decode failures as empty results.
 */
public final class Apdu {

    /** Object type Device. */
    public static final int OBJECT_DEVICE = 8;
    /** Property identifiers used here. */
    public static final int PROP_MAX_APDU = 62;
    /** model-name. */
    public static final int PROP_MODEL_NAME = 70;
    /** object-identifier. */
    public static final int PROP_OBJECT_IDENTIFIER = 75;
    /** object-name. */
    public static final int PROP_OBJECT_NAME = 77;
    /** protocol-version. */
    public static final int PROP_PROTOCOL_VERSION = 98;
    /** vendor-identifier. */
    public static final int PROP_VENDOR_IDENTIFIER = 120;
    /** vendor-name. */
    public static final int PROP_VENDOR_NAME = 121;
    /** protocol-revision. */
    public static final int PROP_PROTOCOL_REVISION = 139;

    /** Error class OBJECT / PROPERTY / SERVICES and the codes used here. */
    public static final int CLASS_OBJECT = 1;
    /** Error class PROPERTY. */
    public static final int CLASS_PROPERTY = 2;
    /** unknown-object. */
    public static final int CODE_UNKNOWN_OBJECT = 31;
    /** unknown-property. */
    public static final int CODE_UNKNOWN_PROPERTY = 32;
    /** property-is-not-an-array. */
    public static final int CODE_PROPERTY_IS_NOT_AN_ARRAY = 50;
    /** Reject reason unrecognized-service. */
    public static final int REJECT_UNRECOGNIZED_SERVICE = 9;
    /** Reject reason invalid-tag. */
    public static final int REJECT_INVALID_TAG = 4;
    /** Reject reason other (used for segmented requests). */
    public static final int REJECT_OTHER = 0;

    private static final int SERVICE_READ_PROPERTY = 12;
    private static final int SERVICE_I_AM = 0;
    private static final int SERVICE_WHO_IS = 8;

    private Apdu() {
    }

    /** A BACnet object identifier: type and instance. */
    public record ObjectId(int type, int instance) {
        int encoded() {
            return (type << 22) | (instance & 0x3FFFFF);
        }

        static ObjectId decode(long v) {
            return new ObjectId((int) (v >>> 22) & 0x3FF, (int) (v & 0x3FFFFF));
        }
    }

    /** A decoded Who-Is: the range, or -1/-1 for all. */
    public record WhoIs(int low, int high) {
        /** Whether {@code instance} is asked for. */
        public boolean matches(int instance) {
            return low < 0 || (instance >= low && instance <= high);
        }
    }

    /** A decoded I-Am. */
    public record IAm(ObjectId device, int maxApdu, int segmentation, int vendorId) {
    }

    /** A decoded ReadProperty request. */
    public record ReadProperty(int invokeId, ObjectId object, int property, int arrayIndex) {
    }

    /** A decoded ReadProperty-ACK with its value still encoded. */
    public record ReadPropertyAck(int invokeId, ObjectId object, int property, ByteString value) {
    }

    // ------------------------------------------------------------------------------------------------ encoding

    /** Who-Is for all devices, or for {@code low..high}. */
    public static ByteString whoIs(int low, int high) {
        Writer w = new Writer().u8(0x10).u8(SERVICE_WHO_IS);
        if (low >= 0) {
            w.contextUnsigned(0, low).contextUnsigned(1, high);
        }
        return w.bytes();
    }

    /** I-Am of a device. */
    public static ByteString iAm(int instance, int maxApdu, int vendorId) {
        return new Writer().u8(0x10).u8(SERVICE_I_AM).objectId(new ObjectId(OBJECT_DEVICE, instance))
                .unsigned(maxApdu).enumerated(3 /* no-segmentation */).unsigned(vendorId).bytes();
    }

    /** A confirmed ReadProperty request. */
    public static ByteString readProperty(int invokeId, ObjectId object, int property) {
        return new Writer().u8(0x00).u8(0x05 /* max APDU 1476 */).u8(invokeId).u8(SERVICE_READ_PROPERTY)
                .u8(0x0C).u32(object.encoded()).contextUnsigned(1, property).bytes();
    }

    /** A ReadProperty ComplexACK carrying an already encoded value. */
    public static ByteString readPropertyAck(int invokeId, ObjectId object, int property, ByteString value) {
        return new Writer().u8(0x30).u8(invokeId).u8(SERVICE_READ_PROPERTY).u8(0x0C).u32(object.encoded())
                .contextUnsigned(1, property).u8(0x3E).raw(value).u8(0x3F).bytes();
    }

    /** An Error PDU for ReadProperty. */
    public static ByteString error(int invokeId, int errorClass, int errorCode) {
        return new Writer().u8(0x50).u8(invokeId).u8(SERVICE_READ_PROPERTY).enumerated(errorClass)
                .enumerated(errorCode).bytes();
    }

    /** A Reject PDU. */
    public static ByteString reject(int invokeId, int reason) {
        return new Writer().u8(0x60).u8(invokeId).u8(reason).bytes();
    }

    /** Application-tagged values. */
    public static ByteString unsignedValue(long v) {
        return new Writer().unsigned(v).bytes();
    }

    /** An application-tagged character string (UTF-8). */
    public static ByteString stringValue(String s) {
        return new Writer().string(s).bytes();
    }

    /** An application-tagged object identifier. */
    public static ByteString objectIdValue(ObjectId id) {
        return new Writer().objectId(id).bytes();
    }

    // ------------------------------------------------------------------------------------------------ decoding

    /** The Who-Is in an APDU, if it is one. */
    public static Optional<WhoIs> decodeWhoIs(ByteString apdu) {
        Reader r = new Reader(apdu);
        if (r.u8() != 0x10 || r.u8() != SERVICE_WHO_IS) {
            return Optional.empty();
        }
        if (r.atEnd()) {
            return r.ok() ? Optional.of(new WhoIs(-1, -1)) : Optional.empty();
        }
        long low = r.context(0);
        long high = r.context(1);
        return r.ok() && r.atEnd() ? Optional.of(new WhoIs((int) low, (int) high)) : Optional.empty();
    }

    /** The I-Am in an APDU, if it is one. */
    public static Optional<IAm> decodeIAm(ByteString apdu) {
        Reader r = new Reader(apdu);
        if (r.u8() != 0x10 || r.u8() != SERVICE_I_AM) {
            return Optional.empty();
        }
        ObjectId id = r.applicationObjectId();
        long maxApdu = r.application(2);
        long seg = r.application(9);
        long vendor = r.application(2);
        return r.ok() ? Optional.of(new IAm(id, (int) maxApdu, (int) seg, (int) vendor)) : Optional.empty();
    }

    /** The ReadProperty request in an APDU, if it is one (unsegmented). */
    public static Optional<ReadProperty> decodeReadProperty(ByteString apdu) {
        Reader r = new Reader(apdu);
        int first = r.u8();
        if ((first & 0xF0) != 0x00 || (first & 0x08) != 0) {
            return Optional.empty();
        }
        r.u8();
        int invoke = r.u8();
        if (r.u8() != SERVICE_READ_PROPERTY) {
            return Optional.empty();
        }
        if (r.u8() != 0x0C) {
            return Optional.empty();
        }
        ObjectId id = ObjectId.decode(r.u32());
        long prop = r.context(1);
        long index = -1;
        if (!r.atEnd()) {
            index = r.context(2);
        }
        return r.ok() && r.atEnd() ? Optional.of(new ReadProperty(invoke, id, (int) prop, (int) index))
                : Optional.empty();
    }

    /** The ReadProperty-ACK in an APDU, if it is one. */
    public static Optional<ReadPropertyAck> decodeReadPropertyAck(ByteString apdu) {
        Reader r = new Reader(apdu);
        if (r.u8() != 0x30) {
            return Optional.empty();
        }
        int invoke = r.u8();
        if (r.u8() != SERVICE_READ_PROPERTY || r.u8() != 0x0C) {
            return Optional.empty();
        }
        ObjectId id = ObjectId.decode(r.u32());
        long prop = r.context(1);
        if (r.u8() != 0x3E || !r.ok() || apdu.size() < r.pos + 1 || (apdu.apply(apdu.size() - 1) & 0xFF) != 0x3F) {
            return Optional.empty();
        }
        return Optional.of(new ReadPropertyAck(invoke, id, (int) prop, apdu.slice(r.pos, apdu.size() - 1)));
    }

    /** The confirmed-request invoke ID and service of an APDU, for Reject; empty when it is no confirmed request. */
    public static Optional<int[]> confirmedHeader(ByteString apdu) {
        if (apdu.size() < 4 || (apdu.apply(0) & 0xF0) != 0x00) {
            return Optional.empty();
        }
        boolean segmented = (apdu.apply(0) & 0x08) != 0;
        int invoke = apdu.apply(2) & 0xFF;
        int service = apdu.apply(segmented ? 5 : 3) & 0xFF;
        return Optional.of(new int[] {invoke, service, segmented ? 1 : 0});
    }

    /** Decodes an application-tagged character string value. */
    public static Optional<String> decodeString(ByteString value) {
        Reader r = new Reader(value);
        int tag = r.u8();
        if ((tag >> 4) != 7 || (tag & 0x08) != 0) {
            return Optional.empty();
        }
        int len = tag & 0x07;
        if (len == 5) {
            len = r.u8();
        }
        int charset = r.u8();
        if (!r.ok() || charset != 0 || r.pos + len - 1 > value.size()) {
            return Optional.empty();
        }
        return Optional.of(value.slice(r.pos, r.pos + len - 1).decodeString(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(32);

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer u32(long v) {
            return u8((int) (v >>> 24) & 0xFF).u8((int) (v >>> 16) & 0xFF).u8((int) (v >>> 8) & 0xFF)
                    .u8((int) v & 0xFF);
        }

        Writer raw(ByteString b) {
            out.writeBytes(b.toArray());
            return this;
        }

        private static int octets(long v) {
            return v < 0x100 ? 1 : v < 0x10000 ? 2 : v < 0x1000000 ? 3 : 4;
        }

        private Writer value(long v, int n) {
            for (int i = n - 1; i >= 0; i--) {
                u8((int) (v >>> (8 * i)) & 0xFF);
            }
            return this;
        }

        Writer unsigned(long v) {
            int n = octets(v);
            return u8(0x20 | n).value(v, n);
        }

        Writer enumerated(long v) {
            int n = octets(v);
            return u8(0x90 | n).value(v, n);
        }

        Writer contextUnsigned(int tag, long v) {
            int n = octets(v);
            return u8((tag << 4) | 0x08 | n).value(v, n);
        }

        Writer objectId(ObjectId id) {
            return u8(0xC4).u32(id.encoded());
        }

        Writer string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int len = b.length + 1;
            if (len <= 4) {
                u8(0x70 | len);
            } else if (len < 254) {
                u8(0x75).u8(len);
            } else {
                throw new IllegalArgumentException("character string too long for this encoder: " + s.length());
            }
            u8(0);
            out.writeBytes(b);
            return this;
        }

        ByteString bytes() {
            return ByteString.fromArrayUnsafe(out.toByteArray());
        }
    }

    private static final class Reader {
        private final ByteString b;
        private int pos;
        private boolean ok = true;

        Reader(ByteString b) {
            this.b = b;
        }

        boolean ok() {
            return ok;
        }

        boolean atEnd() {
            return pos >= b.size();
        }

        int u8() {
            if (pos >= b.size()) {
                ok = false;
                return -1;
            }
            return b.apply(pos++) & 0xFF;
        }

        long u32() {
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (u8() & 0xFF);
            }
            return v;
        }

        private long value(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (u8() & 0xFF);
            }
            return v;
        }

        long context(int tag) {
            int t = u8();
            if (t < 0 || (t >> 4) != tag || (t & 0x08) == 0 || (t & 0x07) > 4 || (t & 0x07) == 0) {
                ok = false;
                return -1;
            }
            return value(t & 0x07);
        }

        long application(int tag) {
            int t = u8();
            if (t < 0 || (t >> 4) != tag || (t & 0x08) != 0 || (t & 0x07) > 4 || (t & 0x07) == 0) {
                ok = false;
                return -1;
            }
            return value(t & 0x07);
        }

        ObjectId applicationObjectId() {
            if (u8() != 0xC4) {
                ok = false;
                return null;
            }
            return ObjectId.decode(u32());
        }
    }
}
