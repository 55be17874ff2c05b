package org.bacnetsc.device.service;

import java.util.ArrayDeque;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * Reads one service's tags in order (the house cursor of {@code ScTypes}, with Reject reasons). A required parameter
 * that is not there stops the read: the data or the enclosing construct ends (5 missing-required-parameter), another
 * tag stands there (4 invalid-tag), an application tag of another type (3 invalid-parameter-data-type), a malformed
 * tag or content (10 invalid-data-encoding); {@link #run} adds data after the last parameter (7 too-many-arguments)
 * and turns a record's range check into 6 parameter-out-of-range.
 */
final class Reader {

    private final ByteString b;
    private int at;

    private Reader(ByteString b) {
        this.b = b;
    }

    /** Ends a read with a Reject reason; thrown inside a read only and turned into a Bad by {@link #run}. */
    static final class Stop extends RuntimeException {
        private final int reason;

        Stop(int reason, String why) {
            super(why, null, false, false);
            this.reason = reason;
        }
    }

    /** A service's decoder body. */
    interface Body<T> {
        T read(Reader r);
    }

    /** Runs {@code body} over {@code b}, which it must consume entirely. Never throws. */
    static <T> ServiceDecode<T> run(ByteString b, Body<T> body) {
        if (b == null) {
            return new ServiceDecode.Bad<>(ServiceDecode.MISSING_REQUIRED_PARAMETER, "no service data");
        }
        Reader r = new Reader(b);
        try {
            T v = body.read(r);
            if (r.at < b.size()) {
                return new ServiceDecode.Bad<>(ServiceDecode.TOO_MANY_ARGUMENTS, (b.size() - r.at)
                        + " octets after the last parameter, from octet " + r.at);
            }
            return new ServiceDecode.Ok<>(v);
        } catch (Stop s) {
            return new ServiceDecode.Bad<>(s.reason, s.getMessage());
        } catch (IllegalArgumentException e) {
            return new ServiceDecode.Bad<>(ServiceDecode.PARAMETER_OUT_OF_RANGE, e.getMessage());
        }
    }

    static Stop stop(int reason, String why) {
        return new Stop(reason, why);
    }

    // ------------------------------------------------------------------------------------------------ peeking

    boolean atEnd() {
        return at >= b.size();
    }

    private Tags.Header peek() {
        return at < b.size() && Tags.readHeader(b, at) instanceof Tags.Ok<Tags.Header> ok ? ok.value() : null;
    }

    /** Whether the next tag is the primitive context tag {@code n}. */
    boolean isContext(int n) {
        Tags.Header h = peek();
        return h != null && h.context() && h.number() == n && h.kind() == Tags.Kind.PRIMITIVE;
    }

    /** Whether the next tag is the opening tag {@code n}. */
    boolean isOpening(int n) {
        Tags.Header h = peek();
        return h != null && h.number() == n && h.kind() == Tags.Kind.OPENING;
    }

    /** Whether the next tag is the closing tag {@code n}. */
    boolean isClosing(int n) {
        Tags.Header h = peek();
        return h != null && h.number() == n && h.kind() == Tags.Kind.CLOSING;
    }

    // ------------------------------------------------------------------------------------------------ reading

    private Tags.Header header(String what) {
        if (at >= b.size()) {
            throw stop(ServiceDecode.MISSING_REQUIRED_PARAMETER, what + " missing: the data ends at octet " + at);
        }
        Tags.Read<Tags.Header> h = Tags.readHeader(b, at);
        if (h instanceof Tags.Bad<Tags.Header> bad) {
            throw stop(ServiceDecode.INVALID_DATA_ENCODING, what + ": " + bad.why());
        }
        Tags.Header header = ((Tags.Ok<Tags.Header>) h).value();
        if (header.kind() == Tags.Kind.CLOSING) {
            throw stop(ServiceDecode.MISSING_REQUIRED_PARAMETER, what + " missing: closing tag [" + header.number()
                    + "] at octet " + at);
        }
        return header;
    }

    /** Stops at the next tag, which is not the {@code what} due there. */
    Stop unexpected(String what) {
        Tags.Header h = header(what);
        return stop(ServiceDecode.INVALID_TAG, what + " expected at octet " + at + ", found " + describe(h));
    }

    private static String describe(Tags.Header h) {
        String kind = switch (h.kind()) {
            case OPENING -> "opening tag";
            case CLOSING -> "closing tag";
            default -> h.context() ? "context tag" : "application tag";
        };
        return kind + " [" + h.number() + "]";
    }

    private Value context(int n, int type, String what) {
        Tags.Header h = header(what);
        if (!h.context() || h.number() != n || h.kind() != Tags.Kind.PRIMITIVE) {
            throw stop(ServiceDecode.INVALID_TAG, what + ": context tag [" + n + "] expected at octet " + at
                    + ", found " + describe(h));
        }
        Tags.Read<Value> v = Tags.readContent(b, type, h, (int) (h.content() + h.length()));
        if (v instanceof Tags.Bad<Value> bad) {
            throw stop(ServiceDecode.INVALID_DATA_ENCODING, what + " [" + n + "]: " + bad.why());
        }
        at = ((Tags.Ok<Value>) v).next();
        return ((Tags.Ok<Value>) v).value();
    }

    private <V extends Value> V application(Class<V> type, String what) {
        Tags.Header h = header(what);
        if (h.context()) {
            throw stop(ServiceDecode.INVALID_TAG, what + ": an application tag expected at octet " + at + ", found "
                    + describe(h));
        }
        if (h.number() > 12) {
            throw stop(ServiceDecode.INVALID_TAG, what + ": application tag " + h.number() + " at octet " + at
                    + " is reserved");
        }
        Tags.Read<Value> v = Tags.readApplication(b, at);
        if (v instanceof Tags.Bad<Value> bad) {
            throw stop(ServiceDecode.INVALID_DATA_ENCODING, what + ": " + bad.why());
        }
        Value value = ((Tags.Ok<Value>) v).value();
        if (!type.isInstance(value)) {
            throw stop(ServiceDecode.INVALID_PARAMETER_DATA_TYPE, what + ": " + type.getSimpleName()
                    + " expected at octet " + at + ", found application tag " + h.number());
        }
        at = ((Tags.Ok<Value>) v).next();
        return type.cast(value);
    }

    long unsigned(int n, String what) {
        return ((Value.Unsigned) context(n, 2, what)).value();
    }

    long enumerated(int n, String what) {
        return ((Value.Enumerated) context(n, 9, what)).value();
    }

    long signed(int n, String what) {
        return ((Value.Signed) context(n, 3, what)).value();
    }

    Value.ObjectId objectId(int n, String what) {
        return (Value.ObjectId) context(n, 12, what);
    }

    String string(int n, String what) {
        return text((Value.CharacterString) context(n, 7, what), what);
    }

    Value.ObjectId objectId(String what) {
        return application(Value.ObjectId.class, what);
    }

    long unsigned(String what) {
        return application(Value.Unsigned.class, what).value();
    }

    long enumerated(String what) {
        return application(Value.Enumerated.class, what).value();
    }

    long signed(String what) {
        return application(Value.Signed.class, what).value();
    }

    boolean bool(String what) {
        return application(Value.Bool.class, what).value();
    }

    ByteString octets(String what) {
        return application(Value.OctetString.class, what).value();
    }

    String string(String what) {
        return text(application(Value.CharacterString.class, what), what);
    }

    /** The text of a UTF-8 (0) or ISO 8859-1 (5) string; another character set is out of range (6). */
    private static String text(Value.CharacterString s, String what) {
        return s.text().orElseThrow(() -> stop(ServiceDecode.PARAMETER_OUT_OF_RANGE, what + ": character set "
                + s.charset() + " is not read (UTF-8 0 and ISO 8859-1 5 are)"));
    }

    void open(int n, String what) {
        Tags.Header h = header(what);
        if (h.kind() != Tags.Kind.OPENING || h.number() != n) {
            throw stop(ServiceDecode.INVALID_TAG, what + ": opening tag [" + n + "] expected at octet " + at
                    + ", found " + describe(h));
        }
        at = h.content();
    }

    void close(int n, String what) {
        if (at >= b.size()) {
            throw stop(ServiceDecode.MISSING_REQUIRED_PARAMETER, "closing tag [" + n + "] of " + what
                    + " missing: the data ends at octet " + at);
        }
        Tags.Read<Tags.Header> r = Tags.readHeader(b, at);
        if (r instanceof Tags.Bad<Tags.Header> bad) {
            throw stop(ServiceDecode.INVALID_DATA_ENCODING, "closing tag [" + n + "] of " + what + ": " + bad.why());
        }
        Tags.Header h = ((Tags.Ok<Tags.Header>) r).value();
        if (h.kind() != Tags.Kind.CLOSING || h.number() != n) {
            throw stop(ServiceDecode.INVALID_TAG, "closing tag [" + n + "] of " + what + " expected at octet " + at
                    + ", found " + describe(h));
        }
        at = h.content();
    }

    /**
     * Reads opening tag {@code n}, the raw data up to its matching closing tag (found by nesting depth, never by the
     * first closing octet) and the closing tag; gives the data between them.
     */
    ByteString constructed(int n, String what) {
        open(n, what);
        int start = at;
        at = matchingClosing(b, start, n, what);
        ByteString raw = b.slice(start, at);
        close(n, what);
        return raw;
    }

    /**
     * The offset of the closing tag {@code n} that ends the data starting at {@code from}: every opening tag inside
     * must be closed by a closing tag of its number first; primitive tags are skipped by their length, so content
     * octets that look like tags are never taken for them. With {@code n < 0}, the data must end balanced at the end
     * of {@code b} (and the end is returned).
     */
    static int matchingClosing(ByteString b, int from, int n, String what) {
        ArrayDeque<Integer> open = new ArrayDeque<>();
        int at = from;
        while (true) {
            if (at >= b.size()) {
                if (n < 0 && open.isEmpty()) {
                    return at;
                }
                throw stop(ServiceDecode.MISSING_REQUIRED_PARAMETER, what + ": closing tag ["
                        + (open.isEmpty() ? n : open.peek()) + "] missing, the data ends at octet " + at);
            }
            Tags.Read<Tags.Header> r = Tags.readHeader(b, at);
            if (r instanceof Tags.Bad<Tags.Header> bad) {
                throw stop(ServiceDecode.INVALID_DATA_ENCODING, what + ": " + bad.why());
            }
            Tags.Ok<Tags.Header> ok = (Tags.Ok<Tags.Header>) r;
            Tags.Header h = ok.value();
            if (h.kind() == Tags.Kind.OPENING) {
                open.push(h.number());
            } else if (h.kind() == Tags.Kind.CLOSING) {
                if (open.isEmpty()) {
                    if (h.number() == n) {
                        return at;
                    }
                    throw stop(ServiceDecode.INVALID_TAG, what + ": closing tag [" + h.number() + "] at octet " + at
                            + " closes nothing" + (n >= 0 ? ", [" + n + "] expected" : ""));
                }
                int expected = open.pop();
                if (expected != h.number()) {
                    throw stop(ServiceDecode.INVALID_TAG, what + ": closing tag [" + h.number() + "] at octet " + at
                            + " where [" + expected + "] is open");
                }
            }
            at = ok.next();
        }
    }

    /** {@code v} (an Unsigned or Enumerated read as unsigned) when within {@code min..max}; else out of range (6). */
    static long inRange(long v, long min, long max, String what) {
        if (v < min || v > max) {
            throw stop(ServiceDecode.PARAMETER_OUT_OF_RANGE, what + " " + Long.toUnsignedString(v) + " outside "
                    + min + "-" + max);
        }
        return v;
    }

    /** Checks {@code v} for a record: within {@code min..max}. */
    static long check(long v, long min, long max, String what) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + min + "-" + max + ", got " + v);
        }
        return v;
    }

    /** Checks a password for a record: absent, or 1 to 20 characters (code points). */
    static String password(String p) {
        if (p != null && (p.isEmpty() || p.codePointCount(0, p.length()) > 20)) {
            throw new IllegalArgumentException("password of 1-20 characters, got "
                    + p.codePointCount(0, p.length()));
        }
        return p;
    }

    /** Checks that {@code raw} is a sequence of complete tags with balanced opening and closing tags. */
    static ByteString checkBalanced(ByteString raw, String what) {
        if (raw == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        try {
            matchingClosing(raw, 0, -1, what);
        } catch (Stop s) {
            throw new IllegalArgumentException(s.getMessage());
        }
        return raw;
    }
}
