package org.bacnetsc.device.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.junit.jupiter.api.Test;

/**
 * The Network Port's SC constructed types: the digest's example, round trips, LISTs, bacnet-stack's Error field,
 * malformed encodings as values.
 */
class ScTypesTest {

    static final ScTypes.DateTime JUNE_12_8AM = new ScTypes.DateTime(new Value.Date(126, 6, 12, 5),
            new Value.Time(8, 0, 0, 0));
    static final ByteString VMAC = Hex.parse("02 00 00 00 00 01");
    static final ByteString UUID = Hex.parse("11111111 1111 4111 8111 111111111111");

    static final ByteString DIGEST_HUB_CONNECTION = Hex.parse(
            "09 01 1E A4 7E 06 0C 05 B4 08 00 00 00 1F 2E A4 FF FF FF FF B4 FF FF FF FF 2F");

    @Test
    void aHubConnectionConnectedSinceJune12AndNeverDisconnectedIsTheDigestsExample() {
        ScTypes.HubConnection c = new ScTypes.HubConnection(1, JUNE_12_8AM, ScTypes.DateTime.UNSPECIFIED, null, null);
        assertEquals(DIGEST_HUB_CONNECTION, ScTypes.encode(c));
        assertEquals(new Tags.Ok<>(c, DIGEST_HUB_CONNECTION.size()), ScTypes.decodeHubConnection(
                DIGEST_HUB_CONNECTION));
    }

    @Test
    void theDigestsHubConnectionBytesDecodeAndEncodeBackToTheSameBytes() {
        Tags.Ok<ScTypes.HubConnection> ok = assertInstanceOf(Tags.Ok.class, ScTypes.decodeHubConnection(
                DIGEST_HUB_CONNECTION));
        assertEquals(DIGEST_HUB_CONNECTION, ScTypes.encode(ok.value()));
        assertEquals(DIGEST_HUB_CONNECTION, ScTypes.HUB_CONNECTION.encode(
                ((Tags.Ok<ScTypes.HubConnection>) ScTypes.HUB_CONNECTION.decode(DIGEST_HUB_CONNECTION)).value()));
    }

    @Test
    void aHubConnectionThatFailedCarriesItsErrorAndDetails() {
        ScTypes.HubConnection c = new ScTypes.HubConnection(3, ScTypes.DateTime.UNSPECIFIED, JUNE_12_8AM,
                new ScTypes.ErrorValue(7, 151), "VMAC in use");
        ByteString enc = ScTypes.encode(c);
        // [3] opening 0x3E, Enumerated 7, Enumerated 151, closing 0x3F, then [4] "VMAC in use" in UTF-8
        assertEquals(Hex.parse("09 03"), enc.take(2));
        assertEquals(Hex.parse("3E 91 07 91 97 3F 4D 0C 00 56 4D 41 43 20 69 6E 20 75 73 65"),
                enc.drop(enc.size() - 20));
        assertEquals(c, ((Tags.Ok<ScTypes.HubConnection>) ScTypes.decodeHubConnection(enc)).value());
    }

    @Test
    void hubFunctionConnectionsAndFailedRequestsRoundTrip() {
        ScTypes.HostNPort ip = new ScTypes.HostNPort(Hex.parse("7F 00 00 01"), null, 47808);
        ScTypes.HubFunctionConnection f = new ScTypes.HubFunctionConnection(1, JUNE_12_8AM,
                ScTypes.DateTime.UNSPECIFIED, ip, VMAC, UUID, null, null);
        ByteString enc = ScTypes.encode(f);
        // [3] BACnetHostNPort: opening 3, opening 0, [1] 4 octets, closing 0, [1] port 47808, closing 3
        ByteString hostNPort = Hex.parse("3E 0E 1C 7F 00 00 01 0F 1A BA C0 3F");
        boolean found = false;
        for (int i = 0; i + hostNPort.size() <= enc.size() && !found; i++) {
            found = enc.slice(i, i + hostNPort.size()).equals(hostNPort);
        }
        assertTrue(found, enc.toString());
        assertEquals(f, ((Tags.Ok<ScTypes.HubFunctionConnection>) ScTypes.decodeHubFunctionConnection(enc))
                .value());
        ScTypes.FailedConnectionRequest r = new ScTypes.FailedConnectionRequest(JUNE_12_8AM,
                new ScTypes.HostNPort(null, "node.example", 443), VMAC, null, new ScTypes.ErrorValue(5, 166), null);
        assertEquals(r, ((Tags.Ok<ScTypes.FailedConnectionRequest>) ScTypes.decodeFailedConnectionRequest(
                ScTypes.encode(r))).value());
        ScTypes.FailedConnectionRequest none = new ScTypes.FailedConnectionRequest(JUNE_12_8AM,
                new ScTypes.HostNPort(null, null, 0), null, UUID, new ScTypes.ErrorValue(7, 0), "no details");
        assertEquals(none, ((Tags.Ok<ScTypes.FailedConnectionRequest>) ScTypes.decodeFailedConnectionRequest(
                ScTypes.encode(none))).value());
    }

    @Test
    void malformedEncodingsAreValuesThatSayWhy() {
        ByteString good = ScTypes.encode(new ScTypes.HubConnection(1, JUNE_12_8AM, ScTypes.DateTime.UNSPECIFIED,
                null, null));
        assertEquals("a tag expected at octet 25, the data ends", ((Tags.Bad<?>) ScTypes.decodeHubConnection(
                good.take(good.size() - 1))).why());
        assertEquals("1 octets after the value", ((Tags.Bad<?>) ScTypes.decodeHubConnection(
                good.concat(Hex.parse("00")))).why());
        assertInstanceOf(Tags.Bad.class, ScTypes.decodeHubConnection(Hex.parse("19 01")), "state under [1]");
        assertInstanceOf(Tags.Bad.class, ScTypes.decodeFailedConnectionRequest(Hex.parse("0E 0F")));
    }

    // ------------------------------------------------------------------------------------------------ direct, health

    @Test
    void aDirectConnectionWritesItsUriFirstAndLeavesOutAbsentOptionalFields() {
        ScTypes.DirectConnection d = new ScTypes.DirectConnection("wss://a:1", 1, JUNE_12_8AM,
                ScTypes.DateTime.UNSPECIFIED, null, null, null, null, null);
        ByteString enc = ScTypes.encode(d);
        // [0] CharacterString: 0x0D (ctx 0, extended length) 10, charset 0, "wss://a:1"; then [1] state 1 = 19 01
        assertEquals(Hex.parse("0D 0A 00 77 73 73 3A 2F 2F 61 3A 31 19 01 2E A4 7E 06 0C 05 B4 08 00 00 00 2F"
                + " 3E A4 FF FF FF FF B4 FF FF FF FF 3F"), enc);
        assertEquals(new Tags.Ok<>(d, enc.size()), ScTypes.decodeDirectConnection(enc));
    }

    @Test
    void aDirectConnectionWithEveryOptionalFieldRoundTrips() {
        ScTypes.DirectConnection d = new ScTypes.DirectConnection("wss://peer.example:4443", 2, JUNE_12_8AM,
                JUNE_12_8AM, new ScTypes.HostNPort(Hex.parse("C0 A8 00 01"), null, 4443), VMAC, UUID,
                new ScTypes.ErrorValue(7, 169), "closed by peer");
        ByteString enc = ScTypes.encode(d);
        // [7] Error constructed: 7E, class 7, code 169, 7F; then [8] details
        assertTrue(contains(enc, Hex.parse("7E 91 07 91 A9 7F 8D 0F 00")), enc.toString());
        assertEquals(d, ((Tags.Ok<ScTypes.DirectConnection>) ScTypes.decodeDirectConnection(enc)).value());
    }

    @Test
    void theHealthyValueIsObjectSuccessAtTheGivenTime() {
        ScTypes.Health h = ScTypes.Health.healthy(JUNE_12_8AM);
        assertEquals(new ScTypes.Health(JUNE_12_8AM, new ScTypes.ErrorValue(1, 84), null, null), h);
        assertTrue(h.isHealthy());
        // [0] DateTime, [1] Error OBJECT(1) SUCCESS(84)
        assertEquals(Hex.parse("0E A4 7E 06 0C 05 B4 08 00 00 00 0F 1E 91 01 91 54 1F"), ScTypes.encode(h));
        assertEquals(new Tags.Ok<>(h, 18), ScTypes.decodeHealth(ScTypes.encode(h)));
    }

    @Test
    void anUnhealthyValueNamesThePropertyAndDetails() {
        ScTypes.Health h = new ScTypes.Health(JUNE_12_8AM, new ScTypes.ErrorValue(4, 201), 4194306L, "bad cert");
        assertFalse(h.isHealthy());
        ByteString enc = ScTypes.encode(h);
        // [2] Enumerated 4194306 = 2B 40 00 02; [3] "bad cert"
        assertTrue(contains(enc, Hex.parse("1F 2B 40 00 02 3D 09 00 62 61 64 20 63 65 72 74")), enc.toString());
        assertEquals(h, ((Tags.Ok<ScTypes.Health>) ScTypes.decodeHealth(enc)).value());
    }

    // ------------------------------------------------------------------------------------------------ bacnet-stack

    @Test
    void bacnetStacksErrorFieldAContextEnumeratedCodeAloneDecodesWithTheClassInferred() {
        // hub connection failed-to-connect, [3] Enumerated 151 NODE_DUPLICATE_VMAC, [4] "dup"
        ByteString hub = ScTypes.encode(new ScTypes.HubConnection(3, JUNE_12_8AM, JUNE_12_8AM, null, null))
                .concat(Hex.parse("39 97 4C 00 64 75 70"));
        assertEquals(new ScTypes.HubConnection(3, JUNE_12_8AM, JUNE_12_8AM, new ScTypes.ErrorValue(7, 151), "dup"),
                ((Tags.Ok<ScTypes.HubConnection>) ScTypes.decodeHubConnection(hub)).value());

        ScTypes.HubFunctionConnection f = new ScTypes.HubFunctionConnection(2, JUNE_12_8AM, JUNE_12_8AM,
                new ScTypes.HostNPort(null, null, 0), VMAC, UUID, null, null);
        ByteString fn = ScTypes.encode(f).concat(Hex.parse("69 C8"));
        assertEquals(new ScTypes.ErrorValue(4, 200), ((Tags.Ok<ScTypes.HubFunctionConnection>) ScTypes
                .decodeHubFunctionConnection(fn)).value().error(), "certificate codes 200-204 are SECURITY");

        ScTypes.DirectConnection d = new ScTypes.DirectConnection("wss://x", 3, JUNE_12_8AM, JUNE_12_8AM, null,
                VMAC, UUID, null, null);
        ByteString direct = ScTypes.encode(d).concat(Hex.parse("79 C1 89 00"));
        assertEquals(new ScTypes.DirectConnection("wss://x", 3, JUNE_12_8AM, JUNE_12_8AM, null, VMAC, UUID,
                new ScTypes.ErrorValue(7, 193), ""), ((Tags.Ok<ScTypes.DirectConnection>) ScTypes
                .decodeDirectConnection(direct)).value());

        ByteStringBuilder failed = ByteString.newBuilder();
        ScTypes.writeDateTime(failed, 0, JUNE_12_8AM);
        ScTypes.writeHostNPort(failed, 1, new ScTypes.HostNPort(Hex.parse("0A 00 00 01"), null, 443));
        failed.append(Hex.parse("2D 06 02 00 00 00 00 01 49 94"));
        assertEquals(new ScTypes.FailedConnectionRequest(JUNE_12_8AM, new ScTypes.HostNPort(Hex.parse(
                "0A 00 00 01"), null, 443), VMAC, null, new ScTypes.ErrorValue(7, 148), null),
                ((Tags.Ok<ScTypes.FailedConnectionRequest>) ScTypes.decodeFailedConnectionRequest(failed.result()))
                        .value());

        ByteStringBuilder health = ByteString.newBuilder();
        ScTypes.writeDateTime(health, 0, JUNE_12_8AM);
        health.append(Hex.parse("19 54"));
        assertEquals(ScTypes.Health.healthy(JUNE_12_8AM), ((Tags.Ok<ScTypes.Health>) ScTypes.decodeHealth(
                health.result())).value(), "SUCCESS alone is OBJECT / SUCCESS");
    }

    @Test
    void theInferredClassOfACodeWithoutItsClassIsCommunicationSecurityForCertificatesObjectForSuccess() {
        assertEquals(new ScTypes.ErrorValue(7, 151), ScTypes.ErrorValue.ofCode(151));
        assertEquals(new ScTypes.ErrorValue(7, 199), ScTypes.ErrorValue.ofCode(199));
        assertEquals(new ScTypes.ErrorValue(4, 200), ScTypes.ErrorValue.ofCode(200));
        assertEquals(new ScTypes.ErrorValue(4, 204), ScTypes.ErrorValue.ofCode(204));
        assertEquals(new ScTypes.ErrorValue(7, 205), ScTypes.ErrorValue.ofCode(205));
        assertEquals(ScTypes.ErrorValue.SUCCESS, ScTypes.ErrorValue.ofCode(84));
    }

    // ------------------------------------------------------------------------------------------------ lists

    @Test
    void aListIsItsElementsConcatenatedAndTheEmptyListIsNoOctets() {
        ScTypes.HubConnection a = new ScTypes.HubConnection(1, JUNE_12_8AM, ScTypes.DateTime.UNSPECIFIED, null, null);
        ScTypes.HubConnection b = new ScTypes.HubConnection(3, ScTypes.DateTime.UNSPECIFIED, JUNE_12_8AM,
                new ScTypes.ErrorValue(7, 151), null);
        ByteString two = ScTypes.encodeList(ScTypes.HUB_CONNECTION, List.of(a, b));
        assertEquals(ScTypes.encode(a).concat(ScTypes.encode(b)), two);
        assertEquals(new Tags.Ok<>(List.of(a, b), two.size()), ScTypes.decodeList(ScTypes.HUB_CONNECTION, two));
        assertEquals(ByteString.emptyByteString(), ScTypes.encodeList(ScTypes.HEALTH, List.of()));
        assertEquals(new Tags.Ok<>(List.of(), 0), ScTypes.decodeList(ScTypes.DIRECT_CONNECTION,
                ByteString.emptyByteString()));
    }

    @Test
    void aMalformedListElementMakesTheListBadNamingTheElementAndItsOctet() {
        ByteString one = ScTypes.encode(ScTypes.Health.healthy(JUNE_12_8AM));
        Tags.Bad<?> bad = assertInstanceOf(Tags.Bad.class, ScTypes.decodeList(ScTypes.HEALTH,
                one.concat(one.take(5))));
        assertTrue(bad.why().startsWith("element 1 at octet 18: "), bad.why());
    }

    @Test
    void aListOfElementsWithAndWithoutOptionalFieldsSplitsAtTheRightOctets() {
        ScTypes.FailedConnectionRequest r1 = new ScTypes.FailedConnectionRequest(JUNE_12_8AM,
                new ScTypes.HostNPort(null, "n.example", 443), null, null, new ScTypes.ErrorValue(7, 194), "refused");
        ScTypes.FailedConnectionRequest r2 = new ScTypes.FailedConnectionRequest(ScTypes.DateTime.UNSPECIFIED,
                new ScTypes.HostNPort(null, null, 0), VMAC, UUID, new ScTypes.ErrorValue(4, 201), null);
        List<ScTypes.FailedConnectionRequest> l = List.of(r1, r2, r1);
        assertEquals(l, ((Tags.Ok<List<ScTypes.FailedConnectionRequest>>) ScTypes.decodeList(
                ScTypes.FAILED_CONNECTION_REQUEST, ScTypes.encodeList(ScTypes.FAILED_CONNECTION_REQUEST, l)))
                .value());
    }

    // ------------------------------------------------------------------------------------------------ properties

    @Property
    void everyDirectConnectionRoundTrips(@ForAll("directConnections") ScTypes.DirectConnection d) {
        ByteString enc = ScTypes.encode(d);
        assertEquals(new Tags.Ok<>(d, enc.size()), ScTypes.decodeDirectConnection(enc));
    }

    @Property
    void everyHealthRoundTrips(@ForAll("healths") ScTypes.Health h) {
        ByteString enc = ScTypes.encode(h);
        assertEquals(new Tags.Ok<>(h, enc.size()), ScTypes.decodeHealth(enc));
    }

    @Property
    void everyListOfDirectConnectionsAndOfHealthsRoundTrips(
            @ForAll("directConnectionLists") List<ScTypes.DirectConnection> ds,
            @ForAll("healthLists") List<ScTypes.Health> hs) {
        ByteString d = ScTypes.encodeList(ScTypes.DIRECT_CONNECTION, ds);
        assertEquals(new Tags.Ok<>(ds, d.size()), ScTypes.decodeList(ScTypes.DIRECT_CONNECTION, d));
        ByteString h = ScTypes.encodeList(ScTypes.HEALTH, hs);
        assertEquals(new Tags.Ok<>(hs, h.size()), ScTypes.decodeList(ScTypes.HEALTH, h));
    }

    @Property
    void arbitraryOctetsNeverThrowInAnyDecoder(@ForAll byte[] octets) {
        ByteString b = ByteString.fromArray(octets);
        List<ScTypes.Codec<?>> codecs = List.of(ScTypes.HUB_CONNECTION, ScTypes.HUB_FUNCTION_CONNECTION,
                ScTypes.DIRECT_CONNECTION, ScTypes.FAILED_CONNECTION_REQUEST, ScTypes.HEALTH);
        for (ScTypes.Codec<?> codec : codecs) {
            if (codec.decode(b) instanceof Tags.Ok<?> ok) {
                assertEquals(b.size(), ok.next());
            }
            if (ScTypes.decodeList(codec, b) instanceof Tags.Ok<?> ok) {
                assertEquals(b.size(), ok.next());
            }
            for (int at = 0; at <= b.size(); at++) {
                if (codec.read(b, at) instanceof Tags.Ok<?> ok) {
                    assertTrue(ok.next() > at && ok.next() <= b.size());
                }
            }
        }
        ScTypes.decodeHubConnection(b);
        ScTypes.decodeHubFunctionConnection(b);
        ScTypes.decodeDirectConnection(b);
        ScTypes.decodeFailedConnectionRequest(b);
        ScTypes.decodeHealth(b);
    }

    @Property
    void truncatedOrCorruptedEncodingsNeverThrow(@ForAll("directConnections") ScTypes.DirectConnection d,
                                                 @ForAll int cut, @ForAll byte flip) {
        ByteString enc = ScTypes.encode(d);
        int at = Math.floorMod(cut, enc.size());
        byte[] corrupted = enc.toArray();
        corrupted[at] ^= flip;
        ScTypes.decodeDirectConnection(enc.take(at));
        ScTypes.decodeDirectConnection(ByteString.fromArray(corrupted));
        ScTypes.decodeList(ScTypes.DIRECT_CONNECTION, ByteString.fromArray(corrupted));
    }

    @Provide
    Arbitrary<ScTypes.DirectConnection> directConnections() {
        Arbitrary<ScTypes.ErrorValue> error = errors().injectNull(0.4);
        return Combinators.combine(texts(), Arbitraries.integers().between(0, 3), dateTimes(), dateTimes(),
                        hostNPorts().injectNull(0.3), octets(6).injectNull(0.3), octets(16).injectNull(0.3),
                        error)
                .flatAs((uri, state, c, dc, peer, vmac, uuid, err) -> texts().injectNull(0.4).map(details ->
                        new ScTypes.DirectConnection(uri, state, c, dc, peer, vmac, uuid, err,
                                err == null ? null : details)));
    }

    @Provide
    Arbitrary<ScTypes.Health> healths() {
        return Combinators.combine(dateTimes(), errors(), Arbitraries.longs().between(0, 4194303).injectNull(0.4),
                texts().injectNull(0.4)).as(ScTypes.Health::new);
    }

    @Provide
    Arbitrary<List<ScTypes.DirectConnection>> directConnectionLists() {
        return directConnections().list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<ScTypes.Health>> healthLists() {
        return healths().list().ofMaxSize(5);
    }

    static Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange(' ', '\uD7FF').withChars('\n', '\t').ofMaxLength(40);
    }

    static Arbitrary<ByteString> octets(int n) {
        return Arbitraries.bytes().array(byte[].class).ofSize(n).map(ByteString::fromArray);
    }

    static Arbitrary<ScTypes.DateTime> dateTimes() {
        Arbitrary<Integer> f = Arbitraries.integers().between(0, 255);
        return Combinators.combine(f, f, f, f, f, f, f, f).as((y, mo, d, w, h, mi, s, c) -> new ScTypes.DateTime(
                new Value.Date(y, mo, d, w), new Value.Time(h, mi, s, c)));
    }

    static Arbitrary<ScTypes.ErrorValue> errors() {
        return Combinators.combine(Arbitraries.longs().between(0, 7), Arbitraries.oneOf(Arbitraries.longs()
                .between(0, 300), Arbitraries.longs())).as(ScTypes.ErrorValue::new);
    }

    static Arbitrary<ScTypes.HostNPort> hostNPorts() {
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 0xFFFF);
        return Arbitraries.oneOf(
                port.map(p -> new ScTypes.HostNPort(null, null, p)),
                Combinators.combine(Arbitraries.oneOf(octets(4), octets(16)), port)
                        .as((ip, p) -> new ScTypes.HostNPort(ip, null, p)),
                Combinators.combine(texts(), port).as((n, p) -> new ScTypes.HostNPort(null, n, p)));
    }

    static boolean contains(ByteString haystack, ByteString needle) {
        for (int i = 0; i + needle.size() <= haystack.size(); i++) {
            if (haystack.slice(i, i + needle.size()).equals(needle)) {
                return true;
            }
        }
        return false;
    }
}
