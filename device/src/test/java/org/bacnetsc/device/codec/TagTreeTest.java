package org.bacnetsc.device.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Any tagged data as a tree: the digest's vectors, rendering, the depth and node bounds, round trips. */
class TagTreeTest {

    static List<TagTree.Node> tree(String hex) {
        ByteString b = Hex.parse(hex);
        Tags.Read<List<TagTree.Node>> r = TagTree.decode(b);
        Tags.Ok<List<TagTree.Node>> ok = assertInstanceOf(Tags.Ok.class, r, String.valueOf(r));
        assertEquals(b.size(), ok.next(), "the whole data is read");
        assertEquals(b, TagTree.encode(ok.value()), "shortest-form data encodes back to the same octets");
        return ok.value();
    }

    static TagTree.App app(Value v) {
        return new TagTree.App(v);
    }

    @Test
    void aReadPropertyAcksRealIsOneApplicationNodeRenderedAsItsNumber() {
        // the value between [3] and [3] of the digest's vector 2
        List<TagTree.Node> t = tree("44 42 90 99 9A");
        assertEquals(List.of(app(new Value.Real(72.3f))), t);
        assertEquals("72.3", TagTree.render(t));
    }

    @Test
    void theDigestsHubConnectionIsAContextPrimitiveAndTwoGroupsOfDateAndTime() {
        List<TagTree.Node> t = tree("09 01 1E A4 7E 06 0C 05 B4 08 00 00 00 1F 2E A4 FF FF FF FF B4 FF FF FF FF 2F");
        assertEquals(List.of(
                new TagTree.Context(0, Hex.parse("01")),
                new TagTree.Constructed(1, List.of(app(new Value.Date(126, 6, 12, 5)),
                        app(new Value.Time(8, 0, 0, 0)))),
                new TagTree.Constructed(2, List.of(app(new Value.Date(255, 255, 255, 255)),
                        app(new Value.Time(255, 255, 255, 255))))), t);
        assertEquals("{[0] 1, [1] {2026-06-12 08:00:00.00}, [2] {*-*-* *:*:*.*}}", TagTree.render(t));
    }

    @Test
    void anRpmResultNestsGroupsInGroups() {
        // the digest's vector 11: (device,2) Object_List = [(device,2), (analog-value,0)]
        List<TagTree.Node> t = tree("0C 02 00 00 02 1E 29 4C 4E C4 02 00 00 02 C4 00 80 00 00 4F 1F");
        assertEquals(List.of(
                new TagTree.Context(0, Hex.parse("02 00 00 02")),
                new TagTree.Constructed(1, List.of(
                        new TagTree.Context(2, Hex.parse("4C")),
                        new TagTree.Constructed(4, List.of(app(new Value.ObjectId(8, 2)),
                                app(new Value.ObjectId(2, 0))))))), t);
        assertEquals("{[0] 33554434, [1] {[2] 76, [4] {(8,2), (2,0)}}}", TagTree.render(t));
    }

    @Test
    void everyApplicationTypeRendersReadably() {
        List<TagTree.Node> t = List.of(
                app(Value.Null.INSTANCE), app(new Value.Bool(true)), app(new Value.Unsigned(-1L)),
                app(new Value.Signed(-1)), app(new Value.Enumerated(3)), app(new Value.Real(-0.5f)),
                app(new Value.DoubleValue(1e300)), app(new Value.OctetString(Hex.parse("0A 0B FF"))),
                app(Value.CharacterString.utf8("say \"hi\"\n\\")), app(new Value.CharacterString(3,
                        Hex.parse("00 00 00 41"))), app(new Value.BitString(List.of(true, false, true))),
                app(new Value.ObjectId(56, 1)));
        assertEquals("{null, true, 18446744073709551615, -1, 3, -0.5, 1.0E300, X'0A0BFF', \"say \\\"hi\\\"\\n\\\\\","
                + " charset 3 X'00000041', B'101', (56,1)}", TagTree.render(t));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "126, 6, 12, 5     | 2026-06-12",
        "126, 6, 12, 255   | 2026-06-12",
        "126, 6, 12, 1     | 2026-06-12 Mon",
        "255, 255, 255, 255| *-*-*",
        "255, 255, 255, 7  | *-*-* Sun",
        "126, 13, 32, 255  | 2026-odd-last",
        "126, 14, 33, 255  | 2026-even-odd",
        "126, 2, 34, 255   | 2026-02-even",
        "126, 2, 30, 9     | 2026-02-30 weekday 9"})
    void datesRenderWithStarsForUnspecifiedAndTheWeekdayOnlyWhereTheDateDoesNotFixIt(String fields,
                                                                                       String text) {
        int[] f = java.util.Arrays.stream(fields.split(",")).map(String::trim).mapToInt(Integer::parseInt)
                .toArray();
        assertEquals(text, TagTree.render(List.of(app(new Value.Date(f[0], f[1], f[2], f[3])))));
    }

    @Test
    void aContextPrimitivesRawContentRendersAsANumberAStringOrHex() {
        assertEquals("[1] X''", TagTree.render(List.of(new TagTree.Context(1, ByteString.emptyByteString()))));
        assertEquals("[2] 47808", TagTree.render(List.of(new TagTree.Context(2, Hex.parse("BA C0")))));
        assertEquals("[4] X'020000000001'", TagTree.render(List.of(new TagTree.Context(4,
                Hex.parse("02 00 00 00 00 01")))));
        assertEquals("[0] \"OATemp\"", TagTree.render(List.of(new TagTree.Context(0,
                Hex.parse("00 4F 41 54 65 6D 70")))));
        assertEquals("[0] X'00FF414243'", TagTree.render(List.of(new TagTree.Context(0,
                Hex.parse("00 FF 41 42 43")))), "not UTF-8: hex");
        assertEquals("{}", TagTree.render(List.of()));
        assertEquals("[3] {}", TagTree.render(List.of(new TagTree.Constructed(3, List.of()))));
    }

    @Test
    void theEmptyDataIsTheEmptyTree() {
        assertEquals(new Tags.Ok<>(List.of(), 0), TagTree.decode(ByteString.emptyByteString()));
    }

    @Test
    void nestingDeeperThanTheDepthBoundIsBad() {
        assertInstanceOf(Tags.Ok.class, TagTree.decode(nested(TagTree.MAX_DEPTH)), "32 groups deep is read");
        Tags.Bad<?> bad = assertInstanceOf(Tags.Bad.class, TagTree.decode(nested(TagTree.MAX_DEPTH + 1)));
        assertTrue(bad.why().contains("nests deeper than 32"), bad.why());
        // and a bound of one's own
        assertInstanceOf(Tags.Bad.class, TagTree.decode(nested(3), 2, 1000));
        // a million opening tags: Bad quickly, not a stack overflow
        byte[] openings = new byte[1_000_000];
        java.util.Arrays.fill(openings, (byte) 0x0E);
        assertInstanceOf(Tags.Bad.class, TagTree.decode(ByteString.fromArray(openings)));
    }

    @Test
    void moreNodesThanTheNodeBoundIsBad() {
        assertInstanceOf(Tags.Ok.class, TagTree.decode(ByteString.fromArray(new byte[TagTree.MAX_NODES])),
                "100 000 Nulls are read");
        Tags.Bad<?> bad = assertInstanceOf(Tags.Bad.class, TagTree.decode(ByteString.fromArray(
                new byte[TagTree.MAX_NODES + 1])));
        assertTrue(bad.why().contains("more than 100000 nodes"), bad.why());
        assertInstanceOf(Tags.Bad.class, TagTree.decode(Hex.parse("0E 00 00 0F"), 32, 2), "a group is a node");
    }

    @ParameterizedTest
    @CsvSource({
        "'3E', opening tag [3] at octet 0 is not closed",
        "'3F', closing tag [3] at octet 0 without its opening",
        "'3E 4F', closing tag [4] at octet 1 without its opening (open: [3])",
        "'22 04', announces 2 octets, 1 remain",
        "'D0', application tag 13 is reserved",
        "'43 00 00 00', application tag 4 with 3 content octets"})
    void malformedDataIsAValueThatSaysWhy(String hex, String why) {
        Tags.Bad<?> bad = assertInstanceOf(Tags.Bad.class, TagTree.decode(Hex.parse(hex)));
        assertTrue(bad.why().contains(why), bad.why());
    }

    @Test
    void tagNumbersOutside0To254AreRefusedWhenBuildingNodes() {
        assertThrows(IllegalArgumentException.class, () -> new TagTree.Context(255, ByteString.emptyByteString()));
        assertThrows(IllegalArgumentException.class, () -> new TagTree.Constructed(-1, List.of()));
    }

    @Property
    void everyTreeRoundTripsThroughItsEncoding(@ForAll("trees") List<TagTree.Node> t) {
        ByteString enc = TagTree.encode(t);
        assertEquals(new Tags.Ok<>(t, enc.size()), TagTree.decode(enc));
        TagTree.render(t);
    }

    @Property
    void arbitraryOctetsNeverThrowAndWhatIsReadReadsTheSameAfterReEncoding(@ForAll byte[] octets) {
        ByteString b = ByteString.fromArray(octets);
        Tags.Read<List<TagTree.Node>> r = TagTree.decode(b);
        if (r instanceof Tags.Ok<List<TagTree.Node>> ok) {
            assertEquals(b.size(), ok.next());
            ByteString again = TagTree.encode(ok.value());
            assertEquals(ok.value(), ((Tags.Ok<List<TagTree.Node>>) TagTree.decode(again)).value());
            TagTree.render(ok.value());
        }
    }

    @Property
    void arbitraryOctetsInsideAGroupNeverThrow(@ForAll byte[] octets) {
        ByteString b = Hex.parse("3E").concat(ByteString.fromArray(octets)).concat(Hex.parse("3F"));
        TagTree.decode(b);
        TagTree.decode(b, 1, 5);
    }

    static ByteString nested(int depth) {
        StringBuilder s = new StringBuilder();
        s.append("0E ".repeat(depth)).append("21 01 ").append("0F ".repeat(depth));
        return Hex.parse(s.toString().trim());
    }

    @Provide
    Arbitrary<List<TagTree.Node>> trees() {
        return node(4).list().ofMaxSize(6);
    }

    static Arbitrary<TagTree.Node> node(int depth) {
        Arbitrary<Integer> tags = Arbitraries.oneOf(Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 254));
        Arbitrary<TagTree.Node> context = tags.flatMap(t -> Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
                .map(b -> new TagTree.Context(t, ByteString.fromArray(b))));
        Arbitrary<TagTree.Node> leaf = Arbitraries.oneOf(values().map(TagTree.App::new), context);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<TagTree.Node> group = Arbitraries.lazy(() -> tags.flatMap(t -> node(depth - 1).list().ofMaxSize(4)
                .map(children -> new TagTree.Constructed(t, children))));
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, group));
    }

    static Arbitrary<Value> values() {
        return Arbitraries.oneOf(
                Arbitraries.just(Value.Null.INSTANCE),
                Arbitraries.of(true, false).map(Value.Bool::new),
                Arbitraries.longs().map(Value.Unsigned::new),
                Arbitraries.longs().map(Value.Signed::new),
                Arbitraries.longs().map(Value.Enumerated::new),
                Arbitraries.floats().map(Value.Real::new),
                Arbitraries.doubles().map(Value.DoubleValue::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> new Value.OctetString(
                        ByteString.fromArray(b))),
                Arbitraries.strings().ofMaxLength(50).map(Value.CharacterString::utf8),
                Arbitraries.integers().between(0, 5).flatMap(cs -> Arbitraries.bytes().array(byte[].class)
                        .ofMaxSize(20).map(b -> new Value.CharacterString(cs, ByteString.fromArray(b)))),
                Arbitraries.of(true, false).list().ofMaxSize(40).map(Value.BitString::new),
                Arbitraries.integers().between(0, 255).tuple4().map(t -> new Value.Date(t.get1(), t.get2(),
                        t.get3(), t.get4())),
                Arbitraries.integers().between(0, 255).tuple4().map(t -> new Value.Time(t.get1(), t.get2(),
                        t.get3(), t.get4())),
                Arbitraries.integers().between(0, 1023).flatMap(type -> Arbitraries.integers().between(0, 4194303)
                        .map(i -> new Value.ObjectId(type, i))));
    }
}
