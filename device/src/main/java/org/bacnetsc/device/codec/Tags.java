package org.bacnetsc.device.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * The tag encoding of Clause 20.2: a tag octet (number in bits 7-4, 15 = the next octet holds it; class in bit 3;
 * length, value or type in bits 2-0: 5 = extended length, 6/7 = opening/closing of a context tag), then the content.
 * Encoders write the shortest form; decoders never throw: a malformed tag is a {@link Bad}.
 */
public final class Tags {

    private Tags() {
    }

    /** What a read gives. */
    public sealed interface Read<T> permits Ok, Bad {
    }

    /**
     * A value read, and where the next tag starts.
     *
     * @param value the value
     * @param next  the offset after it
     */
    public record Ok<T>(T value, int next) implements Read<T> {
    }

    /**
     * Not a well-formed tag or value.
     *
     * @param why what is wrong
     */
    public record Bad<T>(String why) implements Read<T> {
    }

    /** What the L/V/T bits of a header say. */
    public enum Kind { PRIMITIVE, OPENING, CLOSING }

    /**
     * A tag header.
     *
     * @param number  the tag number (0-254)
     * @param context true for a context tag, false for an application tag
     * @param kind    a primitive value, or (context only) an opening or closing tag
     * @param length  the content length in octets (for application Boolean: the value 0 or 1; 0 for opening/closing)
     * @param content the offset where the content starts
     */
    public record Header(int number, boolean context, Kind kind, long length, int content) {
    }

    // ------------------------------------------------------------------------------------------------ headers

    /** Writes a tag header for {@code length} content octets (or a Boolean's value, as application tag 1). */
    public static void writeHeader(ByteStringBuilder b, int number, boolean context, long length) {
        writeTagOctets(b, number, context, length <= 4 ? (int) length : 5);
        if (length > 4) {
            if (length <= 253) {
                b.putByte((byte) length);
            } else if (length <= 0xFFFF) {
                b.putByte((byte) 254);
                b.putByte((byte) (length >> 8));
                b.putByte((byte) length);
            } else {
                b.putByte((byte) 255);
                b.putInt((int) length, java.nio.ByteOrder.BIG_ENDIAN);
            }
        }
    }

    /** Writes the opening tag of context tag {@code number}. */
    public static void writeOpening(ByteStringBuilder b, int number) {
        writeTagOctets(b, number, true, 6);
    }

    /** Writes the closing tag of context tag {@code number}. */
    public static void writeClosing(ByteStringBuilder b, int number) {
        writeTagOctets(b, number, true, 7);
    }

    private static void writeTagOctets(ByteStringBuilder b, int number, boolean context, int lvt) {
        if (number < 0 || number > 254) {
            throw new IllegalArgumentException("tag number 0-254, got " + number);
        }
        int first = (number <= 14 ? number << 4 : 0xF0) | (context ? 0x08 : 0) | lvt;
        b.putByte((byte) first);
        if (number > 14) {
            b.putByte((byte) number);
        }
    }

    /** Reads the tag header at {@code at}. */
    public static Read<Header> readHeader(ByteString b, int at) {
        if (at >= b.size()) {
            return new Bad<>("a tag expected at octet " + at + ", the data ends");
        }
        int first = b.apply(at) & 0xFF;
        int pos = at + 1;
        int number = first >> 4;
        if (number == 15) {
            if (pos >= b.size()) {
                return new Bad<>("extended tag number missing at octet " + pos);
            }
            number = b.apply(pos++) & 0xFF;
            if (number == 255) {
                return new Bad<>("tag number 255 is reserved");
            }
        }
        boolean context = (first & 0x08) != 0;
        int lvt = first & 0x07;
        if (context && lvt == 6) {
            return new Ok<>(new Header(number, true, Kind.OPENING, 0, pos), pos);
        }
        if (context && lvt == 7) {
            return new Ok<>(new Header(number, true, Kind.CLOSING, 0, pos), pos);
        }
        if (!context && number == 1) {
            if (lvt > 1) {
                return new Bad<>("application Boolean with value " + lvt);
            }
            return new Ok<>(new Header(1, false, Kind.PRIMITIVE, lvt, pos), pos);
        }
        long length = lvt;
        if (lvt == 5) {
            if (pos >= b.size()) {
                return new Bad<>("extended length missing at octet " + pos);
            }
            int ext = b.apply(pos++) & 0xFF;
            int more = ext == 254 ? 2 : ext == 255 ? 4 : 0;
            if (pos + more > b.size()) {
                return new Bad<>("extended length truncated at octet " + pos);
            }
            length = ext;
            if (more > 0) {
                length = 0;
                for (int i = 0; i < more; i++) {
                    length = (length << 8) | (b.apply(pos++) & 0xFF);
                }
            }
        } else if (lvt > 5) {
            return new Bad<>("application tag " + number + " with L/V/T " + lvt);
        }
        if (pos + length > b.size()) {
            return new Bad<>("tag " + number + " announces " + length + " octets, " + (b.size() - pos) + " remain");
        }
        return new Ok<>(new Header(number, context, Kind.PRIMITIVE, length, pos), (int) (pos + length));
    }

    // ------------------------------------------------------------------------------------------------ values

    /** The application-tagged encoding of {@code v}. */
    public static ByteString application(Value v) {
        ByteStringBuilder b = ByteString.newBuilder();
        writeApplication(b, v);
        return b.result();
    }

    /** Appends the application-tagged encoding of {@code v}. */
    public static void writeApplication(ByteStringBuilder b, Value v) {
        if (v instanceof Value.Bool bool) {
            writeTagOctets(b, 1, false, bool.value() ? 1 : 0);
            return;
        }
        ByteString content = content(v);
        writeHeader(b, v.tag(), false, content.size());
        b.append(content);
    }

    /** Appends {@code v} as context tag {@code number} (a primitive in place of its application tag). */
    public static void writeContext(ByteStringBuilder b, int number, Value v) {
        ByteString content = v instanceof Value.Bool bool ? ByteString.fromArray(new byte[] {(byte) (bool.value()
                ? 1 : 0)}) : content(v);
        writeHeader(b, number, true, content.size());
        b.append(content);
    }

    /** The content octets of {@code v} (without its tag). */
    public static ByteString content(Value v) {
        if (v instanceof Value.Null) {
            return ByteString.emptyByteString();
        }
        if (v instanceof Value.Bool bool) {
            return ByteString.fromArray(new byte[] {(byte) (bool.value() ? 1 : 0)});
        }
        if (v instanceof Value.Unsigned u) {
            return unsigned(u.value());
        }
        if (v instanceof Value.Enumerated e) {
            return unsigned(e.value());
        }
        if (v instanceof Value.Signed s) {
            return signed(s.value());
        }
        if (v instanceof Value.Real r) {
            return ByteString.fromArray(ByteBuffer.allocate(4).putFloat(r.value()).array());
        }
        if (v instanceof Value.DoubleValue d) {
            return ByteString.fromArray(ByteBuffer.allocate(8).putDouble(d.value()).array());
        }
        if (v instanceof Value.OctetString o) {
            return o.value();
        }
        if (v instanceof Value.CharacterString c) {
            return ByteString.fromArray(new byte[] {(byte) c.charset()}).concat(c.octets());
        }
        if (v instanceof Value.BitString bits) {
            int n = bits.bits().size();
            byte[] out = new byte[1 + (n + 7) / 8];
            out[0] = (byte) ((8 - n % 8) % 8);
            for (int i = 0; i < n; i++) {
                if (bits.bits().get(i)) {
                    out[1 + i / 8] |= (byte) (0x80 >> (i % 8));
                }
            }
            return ByteString.fromArray(out);
        }
        if (v instanceof Value.Date d) {
            return ByteString.fromArray(new byte[] {(byte) d.yearMinus1900(), (byte) d.month(), (byte) d.day(),
                (byte) d.weekday()});
        }
        if (v instanceof Value.Time t) {
            return ByteString.fromArray(new byte[] {(byte) t.hour(), (byte) t.minute(), (byte) t.second(),
                (byte) t.hundredths()});
        }
        Value.ObjectId id = (Value.ObjectId) v;
        return ByteString.fromArray(ByteBuffer.allocate(4).putInt((id.objectType() << 22) | id.instance()).array());
    }

    private static ByteString unsigned(long v) {
        int n = 8;
        while (n > 1 && (v >>> ((n - 1) * 8)) == 0) {
            n--;
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (v >>> ((n - 1 - i) * 8));
        }
        return ByteString.fromArray(out);
    }

    private static ByteString signed(long v) {
        int n = 8;
        while (n > 1 && (v >> ((n - 1) * 8 - 1)) == (v >> 63)) {
            n--;
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (v >>> ((n - 1 - i) * 8));
        }
        return ByteString.fromArray(out);
    }

    /** Reads the application-tagged value at {@code at}. */
    public static Read<Value> readApplication(ByteString b, int at) {
        Read<Header> h = readHeader(b, at);
        if (h instanceof Bad<Header> bad) {
            return new Bad<>(bad.why());
        }
        Header header = ((Ok<Header>) h).value();
        if (header.context()) {
            return new Bad<>("context tag [" + header.number() + "] where an application tag was expected");
        }
        if (header.number() == 1) {
            return new Ok<>(new Value.Bool(header.length() == 1), header.content());
        }
        return readContent(b, header.number(), header, ((Ok<Header>) h).next());
    }

    /**
     * Reads the content of a primitive tag as application type {@code type} (for a context tag whose type the
     * service defines).
     */
    public static Read<Value> readContent(ByteString b, int type, Header header, int next) {
        if (header.kind() != Kind.PRIMITIVE) {
            return new Bad<>("an opening or closing tag where a value was expected");
        }
        ByteString c = b.slice(header.content(), (int) (header.content() + header.length()));
        int len = c.size();
        Value v = switch (type) {
            case 0 -> len == 0 ? Value.Null.INSTANCE : null;
            case 1 -> len == 1 && (c.apply(0) & 0xFF) <= 1 ? new Value.Bool(c.apply(0) == 1) : null;
            case 2 -> len >= 1 && len <= 8 ? new Value.Unsigned(bigEndian(c)) : null;
            case 9 -> len >= 1 && len <= 8 ? new Value.Enumerated(bigEndian(c)) : null;
            case 3 -> len >= 1 && len <= 8 ? new Value.Signed(bigEndian(c) << (64 - 8 * len) >> (64 - 8 * len)) : null;
            case 4 -> len == 4 ? new Value.Real(Float.intBitsToFloat((int) bigEndian(c))) : null;
            case 5 -> len == 8 ? new Value.DoubleValue(Double.longBitsToDouble(bigEndian(c))) : null;
            case 6 -> new Value.OctetString(c);
            case 7 -> len >= 1 ? new Value.CharacterString(c.apply(0) & 0xFF, c.drop(1)) : null;
            case 8 -> bitString(c);
            case 10 -> len == 4 ? new Value.Date(c.apply(0) & 0xFF, c.apply(1) & 0xFF, c.apply(2) & 0xFF,
                    c.apply(3) & 0xFF) : null;
            case 11 -> len == 4 ? new Value.Time(c.apply(0) & 0xFF, c.apply(1) & 0xFF, c.apply(2) & 0xFF,
                    c.apply(3) & 0xFF) : null;
            case 12 -> len == 4 ? objectId(bigEndian(c)) : null;
            default -> null;
        };
        if (v == null) {
            return new Bad<>(type > 12 ? "application tag " + type + " is reserved"
                    : "application tag " + type + " with " + len + " content octets");
        }
        return new Ok<>(v, next);
    }

    private static Value.ObjectId objectId(long raw) {
        return new Value.ObjectId((int) (raw >>> 22) & 0x3FF, (int) raw & 0x3FFFFF);
    }

    private static Value.BitString bitString(ByteString c) {
        if (c.isEmpty()) {
            return null;
        }
        int unused = c.apply(0) & 0xFF;
        int n = (c.size() - 1) * 8 - unused;
        if (unused > 7 || n < 0 || (c.size() == 1 && unused != 0)) {
            return null;
        }
        List<Boolean> bits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bits.add((c.apply(1 + i / 8) & (0x80 >> (i % 8))) != 0);
        }
        return new Value.BitString(bits);
    }

    private static long bigEndian(ByteString c) {
        long v = 0;
        for (int i = 0; i < c.size(); i++) {
            v = (v << 8) | (c.apply(i) & 0xFF);
        }
        return v;
    }
}
