package org.bacnetsc.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every function encodes to its exact layout and decodes back to an equal message. */
class RoundTripTest {

    static final Vmac A = Vmac.parse("02:11:22:33:44:55");
    static final Vmac B = Vmac.parse("12:aa:bb:cc:dd:ee");
    static final DeviceUuid UUID_A = DeviceUuid.parse("123e4567-e89b-12d3-a456-426614174000");

    static Stream<Object[]> everyFunction() {
        return Stream.of(
                new Object[] {BvlcMessage.of(1, A, null, Payload.BvlcResult.ack(0x01)), "00 08 0001 021122334455 01 00"},
                new Object[] {BvlcMessage.of(2, null, null,
                        Payload.BvlcResult.nak(0x06, ErrorCode.NODE_DUPLICATE_VMAC, "dup")),
                        "00 00 0002 06 01 00 0007 0097 647570"},
                new Object[] {BvlcMessage.of(3, null, B, new Payload.EncapsulatedNpdu(Hex.parse("0120ff"))),
                        "01 04 0003 12aabbccddee 0120ff"},
                new Object[] {BvlcMessage.of(4, null, B, Payload.AddressResolution.INSTANCE),
                        "02 04 0004 12aabbccddee"},
                new Object[] {BvlcMessage.of(5, A, null,
                        new Payload.AddressResolutionAck(List.of("wss://a:1/x", "wss://b"))),
                        "03 08 0005 021122334455 7773733a2f2f613a312f78 20 7773733a2f2f62"},
                new Object[] {BvlcMessage.of(6, A, null, new Payload.AddressResolutionAck(List.of())),
                        "03 08 0006 021122334455"},
                new Object[] {BvlcMessage.of(7, A, B, new Payload.Advertisement(2, true, 1600, 1497)),
                        "04 0c 0007 021122334455 12aabbccddee 02 01 0640 05d9"},
                new Object[] {BvlcMessage.of(8, null, Vmac.BROADCAST, Payload.AdvertisementSolicitation.INSTANCE),
                        "05 04 0008 ffffffffffff"},
                new Object[] {BvlcMessage.of(0x1234, new Payload.ConnectRequest(A, UUID_A, 1600, 1497)),
                        "06 00 1234 021122334455 123e4567e89b12d3a456426614174000 0640 05d9"},
                new Object[] {BvlcMessage.of(0x1234, new Payload.ConnectAccept(B, UUID_A, 6000, 1497)),
                        "07 00 1234 12aabbccddee 123e4567e89b12d3a456426614174000 1770 05d9"},
                new Object[] {BvlcMessage.of(0xFFFF, Payload.DisconnectRequest.INSTANCE), "08 00 ffff"},
                new Object[] {BvlcMessage.of(0, Payload.DisconnectAck.INSTANCE), "09 00 0000"},
                new Object[] {BvlcMessage.of(9, Payload.HeartbeatRequest.INSTANCE), "0a 00 0009"},
                new Object[] {BvlcMessage.of(9, Payload.HeartbeatAck.INSTANCE), "0b 00 0009"},
                new Object[] {BvlcMessage.of(10, null, B, new Payload.ProprietaryMessage(555, 7, Hex.parse("beef"))),
                        "0c 04 000a 12aabbccddee 022b 07 beef"});
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyFunction")
    void encodesToExactLayoutAndDecodesBack(BvlcMessage message, String hex) {
        ByteString frame = BvlcCodec.encode(message);
        assertEquals(Hex.format(Hex.parse(hex)), Hex.format(frame));
        assertEquals(message, BvlcCodec.decode(frame));
    }

    @Test
    void theTableCoversAllThirteenFunctions() {
        Set<BvlcFunction> seen = EnumSet.noneOf(BvlcFunction.class);
        everyFunction().forEach(row -> seen.add(((BvlcMessage) row[0]).function()));
        assertEquals(EnumSet.allOf(BvlcFunction.class), seen);
    }

    @Test
    void unknownOptionTypesRoundTripByteExact() {
        String hex = "01 07 0001 12aabbccddee"
                + " a2 0001 01" // more, data, type 2 (Hello) with one octet
                + " 43"         // must understand, no data, type 3
                + " 85"         // data list: more, type 5, no data
                + " 7f 0004 0001 02 03" // must understand proprietary vendor 1 type 2 data 03
                + " 01";
        BvlcMessage m = assertInstanceOf(BvlcMessage.class, BvlcCodec.decode(Hex.parse(hex)));
        assertEquals(List.of(new HeaderOption.Unknown(2, false, true, Hex.parse("01")),
                new HeaderOption.Unknown(3, true, false, ByteString.emptyByteString())), m.destinationOptions());
        assertEquals(List.of(new HeaderOption.Unknown(5, false, false, ByteString.emptyByteString()),
                new HeaderOption.Proprietary(true, 1, 2, Hex.parse("03"))), m.dataOptions());
        assertEquals(Hex.format(Hex.parse(hex)), Hex.format(BvlcCodec.encode(m)));
    }

    @Test
    void encoderRefusesDataOptionsOnOtherFunctions() {
        assertThrows(IllegalArgumentException.class, () -> new BvlcMessage(1, null, null, List.of(),
                List.of(HeaderOption.SecurePath.INSTANCE), Payload.HeartbeatRequest.INSTANCE));
    }

    @Test
    void encoderRefusesOutOfRangeFields() {
        assertThrows(IllegalArgumentException.class, () -> BvlcMessage.of(0x10000, Payload.HeartbeatAck.INSTANCE));
        assertThrows(IllegalArgumentException.class, () -> new Payload.Advertisement(3, false, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Payload.EncapsulatedNpdu(ByteString.emptyByteString()));
        assertThrows(IllegalArgumentException.class, () -> Payload.BvlcResult.nak(1, ErrorCode.OTHER, "a\0b"));
        assertThrows(IllegalArgumentException.class,
                () -> new Payload.BvlcResult(1, Payload.ResultCode.ACK, 0, 7, 0, ""));
        assertThrows(IllegalArgumentException.class, () -> new Payload.AddressResolutionAck(List.of("a b")));
    }

    @Test
    void addressResolutionAckToleratesExtraSpaces() {
        BvlcMessage m = assertInstanceOf(BvlcMessage.class,
                BvlcCodec.decode(Hex.parse("03 00 0001 20 61 20 20 62 20")));
        assertEquals(new Payload.AddressResolutionAck(List.of("a", "b")), m.payload());
    }
}
