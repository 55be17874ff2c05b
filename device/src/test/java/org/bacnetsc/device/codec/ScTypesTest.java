package org.bacnetsc.device.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The Network Port's SC constructed types: the digest's example, round trips, malformed encodings as values. */
class ScTypesTest {

    static final ScTypes.DateTime JUNE_12_8AM = new ScTypes.DateTime(new Value.Date(126, 6, 12, 5),
            new Value.Time(8, 0, 0, 0));
    static final ByteString VMAC = Hex.parse("02 00 00 00 00 01");
    static final ByteString UUID = Hex.parse("11111111 1111 4111 8111 111111111111");

    @Test
    void aHubConnectionConnectedSinceJune12AndNeverDisconnectedIsTheDigestsExample() {
        ScTypes.HubConnection c = new ScTypes.HubConnection(1, JUNE_12_8AM, ScTypes.DateTime.UNSPECIFIED, null, null);
        ByteString expected = Hex.parse("09 01 1E A4 7E 06 0C 05 B4 08 00 00 00 1F 2E A4 FF FF FF FF B4 FF FF FF FF 2F");
        assertEquals(expected, ScTypes.encode(c));
        assertEquals(new Tags.Ok<>(c, expected.size()), ScTypes.decodeHubConnection(expected));
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
}
