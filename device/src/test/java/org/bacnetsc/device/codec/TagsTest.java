package org.bacnetsc.device.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tag encoding of Clause 20.2: the digest's examples both ways, round trips, and malformed tags as values. */
class TagsTest {

    static Value read(String hex) {
        Tags.Read<Value> r = Tags.readApplication(Hex.parse(hex), 0);
        Tags.Ok<Value> ok = assertInstanceOf(Tags.Ok.class, r, String.valueOf(r));
        assertEquals(Hex.parse(hex).size(), ok.next(), "the whole encoding is consumed");
        return ok.value();
    }

    static void both(String hex, Value v) {
        assertEquals(Hex.parse(hex), Tags.application(v), "encoding of " + v);
        assertEquals(v, read(hex), "decoding of " + hex);
    }

    @Test
    void theDigestsExamplesEncodeAndDecodeBothWays() {
        both("00", Value.Null.INSTANCE);
        both("10", new Value.Bool(false));
        both("11", new Value.Bool(true));
        both("22 04 00", new Value.Unsigned(1024));
        both("31 00", new Value.Signed(0));
        both("31 FF", new Value.Signed(-1));
        both("44 42 90 99 9A", new Value.Real(72.3f));
        both("65 06 0A 0B 0C 0D 0E 0F", new Value.OctetString(Hex.parse("0A0B0C0D0E0F")));
        both("75 07 00 4F 41 54 65 6D 70", Value.CharacterString.utf8("OATemp"));
        both("82 04 00", new Value.BitString(List.of(false, false, false, false)));
        both("91 03", new Value.Enumerated(3));
        both("A4 7E 06 0C 05", new Value.Date(126, 6, 12, 5));
        both("B4 08 00 00 00", new Value.Time(8, 0, 0, 0));
        both("C4 02 00 00 03", new Value.ObjectId(8, 3));
        assertEquals("OATemp", ((Value.CharacterString) read("75 07 00 4F 41 54 65 6D 70")).text().orElseThrow());
    }

    @Test
    void aBooleanAsContextTagHasOneContentOctet() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeContext(b, 1, new Value.Bool(true));
        assertEquals(Hex.parse("19 01"), b.result());
        Tags.Ok<Tags.Header> h = assertInstanceOf(Tags.Ok.class, Tags.readHeader(b.result(), 0));
        assertEquals(new Value.Bool(true), ((Tags.Ok<Value>) Tags.readContent(b.result(), 1, h.value(),
                h.next())).value());
    }

    @Test
    void extendedLengthsAndTagNumbersUseTheirLongForms() {
        // ctx 2, extended length 8: the DCC password "#egbdf!" of the digest's vector 7 (with its length octet)
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeContext(b, 2, new Value.CharacterString(0, ByteString.fromString("#egbdf!")));
        assertEquals(Hex.parse("2D 08 00 23 65 67 62 64 66 21"), b.result());
        // 300 octets: 254 and two length octets; tag number 20: 15 and a number octet
        ByteStringBuilder c = ByteString.newBuilder();
        Tags.writeHeader(c, 20, true, 300);
        assertEquals(Hex.parse("FD 14 FE 01 2C"), c.result());
        ByteStringBuilder d = ByteString.newBuilder();
        Tags.writeHeader(d, 3, false, 70000);
        assertEquals(Hex.parse("35 FF 00 01 11 70"), d.result());
    }

    @Test
    void openingAndClosingTagsAreReadAsSuch() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeOpening(b, 3);
        Tags.writeApplication(b, new Value.Real(72.3f));
        Tags.writeClosing(b, 3);
        ByteString s = b.result();
        assertEquals(Hex.parse("3E 44 42 90 99 9A 3F"), s);
        assertEquals(Tags.Kind.OPENING, ((Tags.Ok<Tags.Header>) Tags.readHeader(s, 0)).value().kind());
        assertEquals(Tags.Kind.CLOSING, ((Tags.Ok<Tags.Header>) Tags.readHeader(s, 6)).value().kind());
    }

    @ParameterizedTest
    @CsvSource({
        "'', the data ends",
        "'22 04', announces 2 octets, 1 remain",
        "'25', extended length missing",
        "'25 FE 01', extended length truncated",
        "'F2', extended tag number missing",
        "'12', application Boolean with value 2",
        "'D4 00 00 00 00', application tag 13 is reserved",
        "'43 00 00 00', application tag 4 with 3 content octets",
        "'3E', context tag [3] where an application tag was expected",
        "'26 00 00', application tag 2 with L/V/T 6",
        "'82 08 00', application tag 8 with 2 content octets"})
    void malformedTagsAreValuesThatSayWhy(String hex, String why) {
        Tags.Bad<Value> bad = assertInstanceOf(Tags.Bad.class, Tags.readApplication(Hex.parse(hex), 0));
        assertEquals(true, bad.why().contains(why), bad.why());
    }

    @Property
    void unsignedAndSignedAndEnumeratedRoundTripInTheFewestOctets(@ForAll long v) {
        for (Value value : List.of(new Value.Unsigned(v), new Value.Signed(v), new Value.Enumerated(v))) {
            ByteString enc = Tags.application(value);
            assertEquals(value, read(toHex(enc)));
            int content = Tags.content(value).size();
            if (content > 1) {
                // one octet fewer would not hold it
                long shifted = value instanceof Value.Signed ? v >> (8 * (content - 1) - 1) : v >>> (8 * (content - 1));
                assertEquals(true, value instanceof Value.Signed ? shifted != 0 && shifted != -1 : shifted != 0,
                        value + " in " + content + " octets");
            }
        }
    }

    @Property
    void everyValueRoundTrips(@ForAll("values") Value v) {
        assertEquals(v, read(toHex(Tags.application(v))));
    }

    @Property
    void arbitraryOctetsNeverThrow(@ForAll byte[] octets) {
        Tags.Read<Value> r = Tags.readApplication(ByteString.fromArray(octets), 0);
        if (r instanceof Tags.Ok<Value> ok) {
            assertEquals(true, ok.next() <= octets.length);
        }
    }

    @Provide
    Arbitrary<Value> values() {
        return Arbitraries.oneOf(
                Arbitraries.just(Value.Null.INSTANCE),
                Arbitraries.of(true, false).map(Value.Bool::new),
                Arbitraries.floats().map(Value.Real::new),
                Arbitraries.doubles().map(Value.DoubleValue::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(600).map(b -> new Value.OctetString(
                        ByteString.fromArray(b))),
                Arbitraries.strings().ofMaxLength(300).map(Value.CharacterString::utf8),
                Arbitraries.of(true, false).list().ofMaxSize(70).map(Value.BitString::new),
                Arbitraries.integers().between(0, 255).tuple4().map(t -> new Value.Date(t.get1(), t.get2(),
                        t.get3(), t.get4())),
                Arbitraries.integers().between(0, 255).tuple4().map(t -> new Value.Time(t.get1(), t.get2(),
                        t.get3(), t.get4())),
                Arbitraries.integers().between(0, 1023).flatMap(type -> Arbitraries.integers().between(0, 4194303)
                        .map(i -> new Value.ObjectId(type, i))));
    }

    static String toHex(ByteString b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.size(); i++) {
            s.append(String.format("%02X", b.apply(i) & 0xFF));
        }
        return s.toString();
    }
}
