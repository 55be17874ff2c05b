package org.bacnetsc.device.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * Any tagged data read without knowing its type: a property value as it stands between the {@code [3]} tags of a
 * ReadProperty-ACK (application-tagged primitives, context-tagged primitives, opening/closing groups nested to any
 * depth) as a tree of {@link Node}s. For tools and logs that show a value whose type the reader does not know.
 * Decoding never throws: malformed data, nesting deeper than {@link #MAX_DEPTH} groups or more than
 * {@link #MAX_NODES} nodes is a {@link Tags.Bad}. {@link #encode} writes the tree back in the shortest form, so
 * {@code decode(encode(nodes))} gives {@code nodes} again.
 */
public final class TagTree {

    /** The deepest nesting of opening/closing groups {@link #decode(ByteString)} reads. */
    public static final int MAX_DEPTH = 32;

    /** The most nodes (primitives and groups, at every level) {@link #decode(ByteString)} reads. */
    public static final int MAX_NODES = 100_000;

    private TagTree() {
    }

    /** A node of the tree. */
    public sealed interface Node permits App, Context, Constructed {
    }

    /**
     * An application-tagged primitive: its type and value are known.
     *
     * @param value the value
     */
    public record App(Value value) implements Node {
        /** Checks the value is there. */
        public App {
            java.util.Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A context-tagged primitive: its type is the service's to know, so its content is kept raw.
     *
     * @param tag     the context tag number (0-254)
     * @param content the content octets
     */
    public record Context(int tag, ByteString content) implements Node {
        /** Checks the tag number. */
        public Context {
            checkTag(tag);
            java.util.Objects.requireNonNull(content, "content");
        }
    }

    /**
     * An opening tag {@code [tag]}, what it holds, and the closing tag.
     *
     * @param tag      the context tag number (0-254)
     * @param children the nodes between opening and closing
     */
    public record Constructed(int tag, List<Node> children) implements Node {
        /** Checks the tag number and copies the children. */
        public Constructed {
            checkTag(tag);
            children = List.copyOf(children);
        }
    }

    private static void checkTag(int tag) {
        if (tag < 0 || tag > 254) {
            throw new IllegalArgumentException("context tag number 0-254, got " + tag);
        }
    }

    // ------------------------------------------------------------------------------------------------ decode

    /** Reads all of {@code b} as a tree, within {@link #MAX_DEPTH} and {@link #MAX_NODES}. Never throws. */
    public static Tags.Read<List<Node>> decode(ByteString b) {
        return decode(b, MAX_DEPTH, MAX_NODES);
    }

    /**
     * Reads all of {@code b} as a tree; nesting deeper than {@code maxDepth} groups or more than {@code maxNodes}
     * nodes is Bad. Never throws. On success {@link Tags.Ok#next()} is {@code b.size()}.
     */
    public static Tags.Read<List<Node>> decode(ByteString b, int maxDepth, int maxNodes) {
        record Open(int tag, int at, List<Node> children) {
        }
        Deque<Open> open = new ArrayDeque<>();
        List<Node> top = new ArrayList<>();
        List<Node> current = top;
        int nodes = 0;
        int at = 0;
        while (at < b.size()) {
            Tags.Read<Tags.Header> hr = Tags.readHeader(b, at);
            if (hr instanceof Tags.Bad<Tags.Header> bad) {
                return new Tags.Bad<>(bad.why());
            }
            Tags.Ok<Tags.Header> hok = (Tags.Ok<Tags.Header>) hr;
            Tags.Header h = hok.value();
            if (h.kind() == Tags.Kind.CLOSING) {
                if (open.isEmpty() || open.peek().tag() != h.number()) {
                    return new Tags.Bad<>("closing tag [" + h.number() + "] at octet " + at + " without its opening"
                            + (open.isEmpty() ? "" : " (open: [" + open.peek().tag() + "])"));
                }
                Open o = open.pop();
                current = open.isEmpty() ? top : open.peek().children();
                current.add(new Constructed(o.tag(), o.children()));
                at = hok.next();
                continue;
            }
            if (++nodes > maxNodes) {
                return new Tags.Bad<>("more than " + maxNodes + " nodes (octet " + at + ")");
            }
            if (h.kind() == Tags.Kind.OPENING) {
                if (open.size() >= maxDepth) {
                    return new Tags.Bad<>("opening tag [" + h.number() + "] at octet " + at + " nests deeper than "
                            + maxDepth);
                }
                Open o = new Open(h.number(), at, new ArrayList<>());
                open.push(o);
                current = o.children();
                at = hok.next();
            } else if (h.context()) {
                current.add(new Context(h.number(), b.slice(h.content(), hok.next())));
                at = hok.next();
            } else {
                Tags.Read<Value> v = Tags.readApplication(b, at);
                if (v instanceof Tags.Bad<Value> bad) {
                    return new Tags.Bad<>(bad.why() + " (octet " + at + ")");
                }
                Tags.Ok<Value> ok = (Tags.Ok<Value>) v;
                current.add(new App(ok.value()));
                at = ok.next();
            }
        }
        if (!open.isEmpty()) {
            return new Tags.Bad<>("opening tag [" + open.peek().tag() + "] at octet " + open.peek().at()
                    + " is not closed");
        }
        return new Tags.Ok<>(List.copyOf(top), at);
    }

    // ------------------------------------------------------------------------------------------------ encode

    /** The encoding of {@code nodes}, one after the other, in the shortest form. */
    public static ByteString encode(List<Node> nodes) {
        ByteStringBuilder b = ByteString.newBuilder();
        write(b, nodes);
        return b.result();
    }

    /** Appends the encoding of {@code nodes}. */
    public static void write(ByteStringBuilder b, List<Node> nodes) {
        for (Node n : nodes) {
            if (n instanceof App a) {
                Tags.writeApplication(b, a.value());
            } else if (n instanceof Context c) {
                Tags.writeHeader(b, c.tag(), true, c.content().size());
                b.append(c.content());
            } else {
                Constructed g = (Constructed) n;
                Tags.writeOpening(b, g.tag());
                write(b, g.children());
                Tags.writeClosing(b, g.tag());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ render

    /**
     * A compact text for people: one node alone as itself, several (or none) in braces, separated by ", "; a Date
     * directly followed by a Time as one "date time". Example: {@code {[0] 1, [1] {2026-06-12 08:00:00.00}}}.
     * <ul>
     * <li>a group: {@code [n] {...}}; a context primitive: {@code [n] } and its raw content (1-4 octets: the unsigned
     *     number; charset 0 followed by printable UTF-8: a quoted string; otherwise hex {@code X'..'})</li>
     * <li>Null {@code null}, Boolean {@code true}/{@code false}, numbers in decimal (Unsigned as unsigned), Real and
     *     Double as Java prints them</li>
     * <li>CharacterString {@code "text"} (quotes, backslash and control characters escaped; a set other than UTF-8
     *     and ISO 8859-1 as {@code charset n X'..'}), OctetString {@code X'0A0B'}, BitString {@code B'1010'}</li>
     * <li>Date {@code 2026-06-12} ({@code *} unspecified, {@code odd}/{@code even}/{@code last}; the weekday named
     *     only where the date does not fix it), Time {@code 08:00:00.00}, ObjectIdentifier {@code (type,instance)}
     *     in numbers</li>
     * </ul>
     */
    public static String render(List<Node> nodes) {
        StringBuilder s = new StringBuilder();
        if (nodes.size() == 1) {
            render(s, nodes.get(0));
        } else {
            s.append('{');
            renderAll(s, nodes);
            s.append('}');
        }
        return s.toString();
    }

    private static void renderAll(StringBuilder s, List<Node> nodes) {
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                boolean dateTime = nodes.get(i - 1) instanceof App p && p.value() instanceof Value.Date
                        && nodes.get(i) instanceof App t && t.value() instanceof Value.Time;
                s.append(dateTime ? " " : ", ");
            }
            render(s, nodes.get(i));
        }
    }

    private static void render(StringBuilder s, Node n) {
        if (n instanceof App a) {
            renderValue(s, a.value());
        } else if (n instanceof Context c) {
            s.append('[').append(c.tag()).append("] ");
            renderRaw(s, c.content());
        } else {
            Constructed g = (Constructed) n;
            s.append('[').append(g.tag()).append("] {");
            renderAll(s, g.children());
            s.append('}');
        }
    }

    private static void renderRaw(StringBuilder s, ByteString c) {
        if (c.size() >= 1 && c.size() <= 4) {
            long v = 0;
            for (int i = 0; i < c.size(); i++) {
                v = (v << 8) | (c.apply(i) & 0xFF);
            }
            s.append(v);
            return;
        }
        if (c.size() > 1 && c.apply(0) == 0) {
            String text = strictUtf8(c.drop(1));
            if (text != null && text.codePoints().noneMatch(Character::isISOControl)) {
                quote(s, text);
                return;
            }
        }
        hex(s, c);
    }

    private static String strictUtf8(ByteString b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b.toArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void renderValue(StringBuilder s, Value v) {
        if (v instanceof Value.Null) {
            s.append("null");
        } else if (v instanceof Value.Bool b) {
            s.append(b.value());
        } else if (v instanceof Value.Unsigned u) {
            s.append(Long.toUnsignedString(u.value()));
        } else if (v instanceof Value.Signed i) {
            s.append(i.value());
        } else if (v instanceof Value.Enumerated e) {
            s.append(Long.toUnsignedString(e.value()));
        } else if (v instanceof Value.Real r) {
            s.append(r.value());
        } else if (v instanceof Value.DoubleValue d) {
            s.append(d.value());
        } else if (v instanceof Value.OctetString o) {
            hex(s, o.value());
        } else if (v instanceof Value.CharacterString c) {
            if (c.text().isPresent()) {
                quote(s, c.text().get());
            } else {
                s.append("charset ").append(c.charset()).append(' ');
                hex(s, c.octets());
            }
        } else if (v instanceof Value.BitString bits) {
            s.append("B'");
            for (boolean bit : bits.bits()) {
                s.append(bit ? '1' : '0');
            }
            s.append('\'');
        } else if (v instanceof Value.Date d) {
            date(s, d);
        } else if (v instanceof Value.Time t) {
            s.append(field(t.hour(), 2)).append(':').append(field(t.minute(), 2)).append(':')
                    .append(field(t.second(), 2)).append('.').append(field(t.hundredths(), 2));
        } else {
            Value.ObjectId id = (Value.ObjectId) v;
            s.append('(').append(id.objectType()).append(',').append(id.instance()).append(')');
        }
    }

    private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private static void date(StringBuilder s, Value.Date d) {
        s.append(d.yearMinus1900() == 255 ? "*" : String.valueOf(1900 + d.yearMinus1900())).append('-');
        s.append(switch (d.month()) {
            case 13 -> "odd";
            case 14 -> "even";
            default -> field(d.month(), 2);
        }).append('-');
        s.append(switch (d.day()) {
            case 32 -> "last";
            case 33 -> "odd";
            case 34 -> "even";
            default -> field(d.day(), 2);
        });
        if (d.weekday() == 255) {
            return;
        }
        Integer actual = null;
        if (d.yearMinus1900() != 255 && d.month() >= 1 && d.month() <= 12 && d.day() >= 1 && d.day() <= 31) {
            try {
                actual = java.time.LocalDate.of(1900 + d.yearMinus1900(), d.month(), d.day()).getDayOfWeek()
                        .getValue();
            } catch (java.time.DateTimeException e) {
                actual = null;
            }
        }
        if (actual == null || actual != d.weekday()) {
            s.append(' ').append(d.weekday() >= 1 && d.weekday() <= 7 ? WEEKDAYS[d.weekday() - 1]
                    : "weekday " + d.weekday());
        }
    }

    private static String field(int v, int width) {
        if (v == 255) {
            return "*";
        }
        String digits = String.valueOf(v);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    private static void hex(StringBuilder s, ByteString b) {
        s.append("X'");
        for (int i = 0; i < b.size(); i++) {
            s.append(Character.toUpperCase(Character.forDigit((b.apply(i) >> 4) & 0xF, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b.apply(i) & 0xF, 16)));
        }
        s.append('\'');
    }

    private static void quote(StringBuilder s, String text) {
        s.append('"');
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (Character.isISOControl(cp)) {
                        s.append(String.format("\\u%04X", cp));
                    } else {
                        s.append(Character.toChars(cp));
                    }
                }
            }
        });
        s.append('"');
    }
}
