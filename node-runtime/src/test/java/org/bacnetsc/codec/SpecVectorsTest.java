package org.bacnetsc.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The wire examples of digest §16 decode to their stated fields and re-encode byte-exact. */
class SpecVectorsTest {

    static final String NPDU_EXAMPLE = "01 07 B5EC 927BF71A96A2 BF 0007 022B BA C5ECC099 3F 0003 0309 39 01"
            + " 01040000010C0C000000051955";
    static final String NAK_WITH_DETAILS = "00 08 B5EC 927BF71A96A2 01 01 BF 0007 0111"
            + " 556E6DC3B6676C696368657220436F646521";
    static final String NAK_WITHOUT_DETAILS = "00 08 B5EC 927BF71A96A2 01 01 3F 0007 0117";

    private static BvlcMessage decodeOk(String hex) {
        return assertInstanceOf(BvlcMessage.class, BvlcCodec.decode(Hex.parse(hex)));
    }

    /** bacnet-device.md digest section 9 vector 12 (Chipkin's hub listener test): Connect-Request with Hello. */
    @Test
    void connectRequestWithHelloDecodesAndEncodesAsTheDigestsVector() {
        String hex = "0602109222000100" + "0A0B0C0D0E0F" + "505152535455565758595A5B5C5D5E5F" + "FFFF05D9";
        BvlcMessage m = decodeOk(hex);
        assertEquals(0x1092, m.messageId());
        assertEquals(List.of(HeaderOption.hello()), m.destinationOptions());
        assertEquals(new Payload.ConnectRequest(Vmac.parse("0A0B0C0D0E0F"),
                DeviceUuid.parse("50515253-5455-5657-5859-5a5b5c5d5e5f"), 65535, 1497), m.payload());
        assertEquals(Hex.parse(hex), BvlcCodec.encode(m));
        assertEquals(34, Hex.parse(hex).size());
    }

    @Test
    void encapsulatedNpduExampleDecodesToItsFields() {
        BvlcMessage m = decodeOk(NPDU_EXAMPLE);
        assertEquals(0xB5EC, m.messageId());
        assertEquals(null, m.originating());
        assertEquals(Vmac.parse("92:7B:F7:1A:96:A2"), m.destination());
        assertEquals(List.of(
                new HeaderOption.Proprietary(false, 555, 0xBA, Hex.parse("C5ECC099")),
                new HeaderOption.Proprietary(false, 777, 0x39, ByteString.emptyByteString())),
                m.destinationOptions());
        assertEquals(List.of(HeaderOption.SecurePath.INSTANCE), m.dataOptions());
        assertEquals(new Payload.EncapsulatedNpdu(Hex.parse("01040000010C0C000000051955")), m.payload());
    }

    @Test
    void nakExampleWithDetailsDecodesToItsFields() {
        BvlcMessage m = decodeOk(NAK_WITH_DETAILS);
        assertEquals(0xB5EC, m.messageId());
        assertEquals(Vmac.parse("927BF71A96A2"), m.originating());
        assertEquals(null, m.destination());
        assertEquals(new Payload.BvlcResult(1, Payload.ResultCode.NAK, 0xBF, 7, 273, "Unmöglicher Code!"),
                m.payload());
    }

    @Test
    void nakExampleWithoutDetailsDecodesToItsFields() {
        BvlcMessage m = decodeOk(NAK_WITHOUT_DETAILS);
        assertEquals(new Payload.BvlcResult(1, Payload.ResultCode.NAK, 0x3F, 7, 279, ""), m.payload());
        assertEquals(Vmac.parse("927BF71A96A2"), m.originating());
    }

    @Test
    void examplesReEncodeByteExact() {
        for (String hex : List.of(NPDU_EXAMPLE, NAK_WITH_DETAILS, NAK_WITHOUT_DETAILS)) {
            ByteString frame = Hex.parse(hex);
            assertEquals(Hex.format(frame), Hex.format(BvlcCodec.encode(decodeOk(hex))), hex);
        }
    }

    @Test
    void securePathWithMustUnderstandBitIsAcceptedAndKept() {
        String hex = "01 01 0001 41 0102";
        BvlcMessage m = decodeOk(hex);
        assertEquals(List.of(new HeaderOption.SecurePath(true)), m.dataOptions());
        assertEquals(Hex.format(Hex.parse(hex)), Hex.format(BvlcCodec.encode(m)));
    }

    @Test
    void decodedPayloadIsASliceOfTheFrameNotACopy() {
        ByteString frame = Hex.parse(NPDU_EXAMPLE);
        BvlcMessage m = decodeOk(NPDU_EXAMPLE);
        ByteString npdu = ((Payload.EncapsulatedNpdu) m.payload()).npdu();
        assertEquals(frame.drop(frame.size() - npdu.size()), npdu);
        assertFalse(npdu.isCompact(), "a copy would be compact; a view into the frame's larger array is not");
    }
}
