package org.bacnetsc.device.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.Function;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Value;
import org.junit.jupiter.api.Test;

/**
 * Requests that do not decode, and the Reject reason each one gets (digest 1.2): 3 invalid-parameter-data-type,
 * 4 invalid-tag, 5 missing-required-parameter, 6 parameter-out-of-range, 7 too-many-arguments, 8
 * undefined-enumeration, 10 invalid-data-encoding. Also where a constructed value ends.
 */
class ServiceRejectTest {

    static final String READ_AI5_PV = "0C 00 00 00 05 19 55";
    static final String WRITE_AV1_PV_180 = "0C 00 80 00 01 19 55 3E 44 43 34 00 00 3F";

    static <T> ServiceDecode.Bad<T> bad(int reason, Function<ByteString, ServiceDecode<T>> decode, String hex) {
        ServiceDecode<T> d = decode.apply(Hex.parse(hex));
        if (d instanceof ServiceDecode.Bad<T> bad) {
            assertEquals(reason, bad.rejectReason(), hex + " -> " + bad.why());
            return bad;
        }
        return fail(hex + " -> " + d);
    }

    static <T> T ok(Function<ByteString, ServiceDecode<T>> decode, String hex) {
        return DigestVectorsTest.ok(decode.apply(Hex.parse(hex)));
    }

    static String password(int characters) {
        return "x".repeat(characters);
    }

    // ------------------------------------------------------------------------------------------------ depth

    @Test
    void readPropertyAckValueWithNestedClosingOctetsIsFoundByDepth() {
        // REAL 1.0 (content 3F 80 00 00), a nested [3] pair holding Unsigned 5, a [0] pair holding an empty [3] pair
        String value = "44 3F 80 00 00 3E 21 05 3F 0E 3E 3F 0F";
        ReadPropertyAck ack = ok(ReadPropertyAck::decode, READ_AI5_PV + " 3E " + value + " 3F");
        assertEquals(value, Hex.of(ack.value()));
        assertEquals(READ_AI5_PV + " 3E " + value + " 3F", Hex.of(ack.encode()));
    }

    @Test
    void readPropertyMultipleAckValueWithNestedClosingOctetsIsFoundByDepth() {
        // an octet string whose content is 4F, and a nested [4] pair, inside the [4] value
        String value = "61 4F 4E 4F 4E 21 01 4F";
        ReadPropertyMultipleAck ack = ok(ReadPropertyMultipleAck::decode,
                "0C 00 00 00 01 1E 29 55 4E " + value + " 4F 1F");
        assertEquals(value, Hex.of(ack.results().get(0).results().get(0).value()));
    }

    @Test
    void anEmptyValueIsLegalForReadPropertyAckAndWriteProperty() {
        // Device_Address_Binding empty: 3E 3F
        assertEquals(ByteString.emptyByteString(), ok(ReadPropertyAck::decode, READ_AI5_PV + " 3E 3F").value());
        assertEquals(ByteString.emptyByteString(), ok(WriteProperty::decode, READ_AI5_PV + " 3E 3F").value());
    }

    @Test
    void aValueWhoseClosingTagIsMissingIsMissingARequiredParameter() {
        bad(5, ReadPropertyAck::decode, READ_AI5_PV + " 3E 44 42 90 99 9A");
        bad(5, ReadPropertyAck::decode, READ_AI5_PV + " 3E 3E 3F");
        bad(5, WriteProperty::decode, READ_AI5_PV + " 3E 0E 21 05");
    }

    @Test
    void aValueWithAMismatchedClosingTagIsAnInvalidTag() {
        // [0] opened inside the value, closed by [3]: the [3] does not end the value
        bad(4, ReadPropertyAck::decode, READ_AI5_PV + " 3E 0E 3F 0F 1F");
        bad(4, WriteProperty::decode, READ_AI5_PV + " 3E 4F 3F");
    }

    @Test
    void recordsRefuseValuesThatAreNotBalancedTags() {
        assertThrows(IllegalArgumentException.class, () -> new ReadPropertyAck(new Value.ObjectId(0, 5), 85, null,
                Hex.parse("3F")));
        assertThrows(IllegalArgumentException.class, () -> new WriteProperty(new Value.ObjectId(0, 5), 85, null,
                Hex.parse("0E"), null));
        assertThrows(IllegalArgumentException.class, () -> ReadPropertyMultipleAck.ResultElement.value(85, null,
                Hex.parse("22 04")));
    }

    // ------------------------------------------------------------------------------------------------ 5

    @Test
    void readPropertyWithoutItsPropertyIsMissingARequiredParameter() {
        ServiceDecode.Bad<ReadProperty> b = bad(5, ReadProperty::decode, "0C 00 00 00 05");
        assertTrue(b.why().contains("property"), b.why());
        bad(5, ReadProperty::decode, "");
        bad(5, WriteProperty::decode, READ_AI5_PV);
        bad(5, IAm::decode, "C4 02 00 00 03 22 04 00 91 03");
        bad(5, AtomicReadFile::decode, "C4 02 80 00 01");
        bad(5, AtomicReadFile::decode, "C4 02 80 00 01 0E 31 00 0F");
        bad(5, DeviceCommunicationControl::decode, "09 05");
        bad(5, ReinitializeDevice::decode, "");
        bad(5, WhoHas::decode, "");
    }

    @Test
    void whoIsWithOnlyOneLimitIsMissingARequiredParameter() {
        bad(5, WhoIs::decode, "09 03");
        bad(5, WhoIs::decode, "19 03");
        bad(5, WhoHas::decode, "09 03 2C 02 00 00 01");
        bad(5, WhoHas::decode, "19 03 2C 02 00 00 01");
        assertEquals(WhoIs.all(), ok(WhoIs::decode, ""));
        assertThrows(IllegalArgumentException.class, () -> new WhoIs(3L, null));
    }

    @Test
    void readPropertyMultipleNeedsASpecAndEverySpecAProperty() {
        bad(5, ReadPropertyMultiple::decode, "");
        bad(5, ReadPropertyMultiple::decode, "0C 00 00 00 13 1E 1F");
        bad(5, ReadPropertyMultiple::decode, "0C 00 00 00 13 1E 09 50 1F 0C 00 00 00 14 1E 1F");
        assertThrows(IllegalArgumentException.class, () -> new ReadPropertyMultiple(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ReadPropertyMultiple.ReadAccessSpec(
                new Value.ObjectId(0, 19), List.of()));
    }

    @Test
    void aRecordCountAboveTheRecordsPresentIsMissingData() {
        // AtomicWriteFile (file,1) record access from record 0, count 2, one record
        bad(5, AtomicWriteFile::decode, "C4 02 80 00 01 1E 31 00 21 02 61 AA 1F");
        // a huge count ends at the data's end, without allocating for it
        bad(5, AtomicReadFileAck::decode, "10 1E 31 00 25 08 FF FF FF FF FF FF FF FF 61 AA 1F");
    }

    // ------------------------------------------------------------------------------------------------ 4, 3

    @Test
    void readPropertyWithAnApplicationTagWhereContext0IsDueIsAnInvalidTag() {
        bad(4, ReadProperty::decode, "C4 00 00 00 05 19 55");
        bad(4, ReadProperty::decode, "0C 00 00 00 05 29 55");
        bad(4, WhoHas::decode, "4C 02 00 00 01");
        bad(4, AtomicReadFile::decode, "C4 02 80 00 01 2E 31 00 21 1B 2F");
        bad(4, ReadPropertyMultipleAck::decode, "0C 00 00 00 01 1E 29 55 6E 6F 1F");
        bad(4, AtomicWriteFileAck::decode, "29 00");
    }

    @Test
    void aRecordCountBelowTheRecordsPresentIsAnInvalidTag() {
        // count 1, two records: the closing [1] is expected where the second record stands
        bad(4, AtomicWriteFile::decode, "C4 02 80 00 01 1E 31 00 21 01 61 AA 61 BB 1F");
    }

    @Test
    void iAmWithAnUnsignedWhereTheObjectIdentifierIsDueIsAnInvalidParameterDataType() {
        bad(3, IAm::decode, "21 03 22 04 00 91 03 21 63");
        bad(3, IHave::decode, "C4 02 00 00 03 C4 00 00 00 01 65 01 41");
        bad(3, AtomicReadFileAck::decode, "21 00 0E 31 00 65 01 41 0F");
    }

    // ------------------------------------------------------------------------------------------------ 7

    @Test
    void dataAfterTheLastParameterIsTooManyArguments() {
        bad(7, ReadProperty::decode, READ_AI5_PV + " 39 01");
        bad(7, ReadProperty::decode, READ_AI5_PV + " 29 01 00");
        bad(7, WriteProperty::decode, WRITE_AV1_PV_180 + " 49 08 00");
        bad(7, WhoIs::decode, "09 03 19 03 29 00");
        bad(7, IAm::decode, "C4 02 00 00 03 22 04 00 91 03 21 63 21 63");
        bad(7, DeviceCommunicationControl::decode, "09 05 19 02 2D 08 00 23 65 67 62 64 66 21 00");
        bad(7, ReinitializeDevice::decode, "09 01 1D 09 00 41 62 43 64 45 66 47 68 FF");
        bad(7, AtomicWriteFileAck::decode, "09 00 09 00");
        bad(7, ReadPropertyAck::decode, READ_AI5_PV + " 3E 3F 00");
    }

    // ------------------------------------------------------------------------------------------------ 6, 8

    @Test
    void writePropertyPriority0And17AreOutOfRangeAnd1And16AreNot() {
        bad(6, WriteProperty::decode, WRITE_AV1_PV_180 + " 49 00");
        bad(6, WriteProperty::decode, WRITE_AV1_PV_180 + " 49 11");
        bad(6, WriteProperty::decode, WRITE_AV1_PV_180 + " 4A 01 00");
        assertEquals(1, ok(WriteProperty::decode, WRITE_AV1_PV_180 + " 49 01").priority());
        assertEquals(16, ok(WriteProperty::decode, WRITE_AV1_PV_180 + " 49 10").priority());
        assertThrows(IllegalArgumentException.class, () -> new WriteProperty(new Value.ObjectId(2, 1), 85, null,
                ByteString.emptyByteString(), 17));
    }

    @Test
    void dccPasswordOf21CharactersIsOutOfRangeAnd20AreNot() {
        DeviceCommunicationControl twenty = new DeviceCommunicationControl(null, 0, password(20));
        assertEquals(twenty, ok(DeviceCommunicationControl::decode, Hex.of(twenty.encode())));
        // [1] enable, [2] 21 characters: 2D 16 00 then 21 x 'x'
        String tooLong = "19 00 2D 16 00" + " 78".repeat(21);
        bad(6, DeviceCommunicationControl::decode, tooLong);
        bad(6, DeviceCommunicationControl::decode, "19 00 29 00");
        bad(6, ReinitializeDevice::decode, "09 01 1D 16 00" + " 78".repeat(21));
        assertThrows(IllegalArgumentException.class, () -> new DeviceCommunicationControl(null, 0, password(21)));
        assertThrows(IllegalArgumentException.class, () -> new ReinitializeDevice(1, ""));
    }

    @Test
    void dccDurationAbove65535IsOutOfRangeAndEnableDisable3IsAnUndefinedEnumeration() {
        bad(6, DeviceCommunicationControl::decode, "0B 01 00 00 19 00");
        bad(8, DeviceCommunicationControl::decode, "19 03");
        assertEquals(new DeviceCommunicationControl(65535, 1, null),
                ok(DeviceCommunicationControl::decode, "0A FF FF 19 01"));
    }

    @Test
    void whoIsLimitAboveTheLargestInstanceIsOutOfRange() {
        bad(6, WhoIs::decode, "0B 40 00 00 1B 40 00 00");
        assertEquals(new WhoIs(0L, WhoIs.MAX_INSTANCE), ok(WhoIs::decode, "09 00 1B 3F FF FF"));
        assertEquals(true, new WhoIs(0L, WhoIs.MAX_INSTANCE).matches(4194303));
        assertEquals(false, new WhoIs(5L, 3L).matches(4));
    }

    @Test
    void aNameInAnUnreadCharacterSetIsOutOfRangeAndIso8859IsRead() {
        // Who-Has by name in UCS-2 (charset 4), then in ISO 8859-1 (charset 5): "Ä"
        bad(6, WhoHas::decode, "3B 04 00 00 41");
        assertEquals("\u00C4", ok(WhoHas::decode, "3A 05 C4").name());
        // I-Have's name in UTF-8 "Ä" re-encodes in UTF-8
        IHave h = new IHave(new Value.ObjectId(8, 1), new Value.ObjectId(10, 1), "\u00C4");
        assertEquals("C4 02 00 00 01 C4 02 80 00 01 73 00 C3 84", Hex.of(h.encode()));
    }

    @Test
    void aReinitializeDeviceStateAbove7DecodesForTheExecutorToRefuse() {
        assertEquals(8, ok(ReinitializeDevice::decode, "09 08").state());
        bad(6, ReinitializeDevice::decode, "0D 05 01 00 00 00 00");
    }

    // ------------------------------------------------------------------------------------------------ 10

    @Test
    void aContentThatDoesNotFitItsTypeIsAnInvalidDataEncoding() {
        // [0] object identifier of 3 octets
        bad(10, ReadProperty::decode, "0B 00 00 05 19 55");
        // [1] announces 2 octets, 1 remains
        bad(10, ReadProperty::decode, "0C 00 00 00 05 1A 55");
        // a malformed tag inside a value
        bad(10, ReadPropertyAck::decode, READ_AI5_PV + " 3E 25 3F");
        // application Boolean with value 2
        bad(10, AtomicReadFileAck::decode, "12 0E 31 00 65 01 41 0F");
    }
}
