package org.bacnetsc.device.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** APDU headers (Clause 20.1): the digest's vectors (the standard's Annex F examples), round trips, failures. */
class ApduCodecTest {

    static void both(String hex, Apdu apdu) {
        assertEquals(Hex.parse(hex), ApduCodec.encode(apdu), "encoding of " + apdu);
        assertEquals(apdu, ApduCodec.decode(Hex.parse(hex)), "decoding of " + hex);
    }

    @Test
    void annexFExamplesEncodeAndDecodeBothWays() {
        // ReadProperty (analog-input,5) Present_Value, max-APDU 50, invoke 1
        both("00 00 01 0C 0C 00 00 00 05 19 55",
                Apdu.ConfirmedRequest.of(50, 1, 12, Hex.parse("0C 00 00 00 05 19 55")));
        // its ComplexACK with [3] REAL 72.3
        both("30 01 0C 0C 00 00 00 05 19 55 3E 44 42 90 99 9A 3F",
                Apdu.ComplexAck.of(1, 12, Hex.parse("0C 00 00 00 05 19 55 3E 44 42 90 99 9A 3F")));
        // Error invoke 88, DeleteObject (11), OBJECT (1) / object-deletion-not-permitted (23)
        both("50 58 0B 91 01 91 17", new Apdu.Error(0x58, 11, 1, 23));
        // WriteProperty's SimpleACK, invoke 0x59, service 15
        both("20 59 0F", new Apdu.SimpleAck(0x59, 15));
        // Who-Is 3..3 and I-Am
        both("10 08 09 03 19 03", new Apdu.UnconfirmedRequest(8, Hex.parse("09 03 19 03")));
        both("10 00 C4 02 00 00 03 22 04 00 91 03 21 63",
                new Apdu.UnconfirmedRequest(0, Hex.parse("C4 02 00 00 03 22 04 00 91 03 21 63")));
        // ReinitializeDevice with max-APDU 128, invoke 2
        both("00 01 02 14 09 01 1D 09 00 41 62 43 64 45 66 47 68",
                Apdu.ConfirmedRequest.of(128, 2, 20, Hex.parse("09 01 1D 09 00 41 62 43 64 45 66 47 68")));
        // RPM with segmented response accepted (0x02), max-segments unspecified, max-APDU 1476
        both("02 05 07 0E 0C 00 00 00 13 1E 09 50 1F", new Apdu.ConfirmedRequest(false, false, true, 0, 1476, 7, 0,
                0, 14, Hex.parse("0C 00 00 00 13 1E 09 50 1F")));
        // Reject unrecognized-service; Abort from the server, segmentation-not-supported
        both("60 01 09", new Apdu.Reject(1, 9));
        both("71 01 04", new Apdu.Abort(true, 1, 4));
    }

    @Test
    void segmentedMessagesCarryTheirSequenceNumberAndWindow() {
        // segment 0 of a ComplexACK, more follows, window 5; the last one has MOR clear
        both("3C 07 00 05 0E 01 02", new Apdu.ComplexAck(true, true, 7, 0, 5, 14, Hex.parse("01 02")));
        both("38 07 03 05 0E 03", new Apdu.ComplexAck(true, false, 7, 3, 5, 14, Hex.parse("03")));
        // the client's SegmentACK, and a NAK from the server
        both("40 07 02 05", new Apdu.SegmentAck(false, false, 7, 2, 5));
        both("43 07 02 05", new Apdu.SegmentAck(true, true, 7, 2, 5));
        // a segmented confirmed request: 8 segments at most, 480 octets each
        both("0E 33 09 00 04 0F AA", new Apdu.ConfirmedRequest(true, true, true, 8, 480, 9, 0, 4, 15,
                Hex.parse("AA")));
    }

    @Test
    void aConfirmedRequestWhoseHeaderIsCutIsRejectedWithItsInvokeIdOrDroppedWithoutOne() {
        ApduDecodeFailure cut = assertInstanceOf(ApduDecodeFailure.class, ApduCodec.decode(Hex.parse("00 05 2A")));
        assertEquals(OptionalInt.of(0x2A), cut.invokeId());
        assertEquals(OptionalInt.of(ApduCodec.REJECT_MISSING_REQUIRED_PARAMETER), cut.rejectReason());
        ApduDecodeFailure noInvoke = assertInstanceOf(ApduDecodeFailure.class, ApduCodec.decode(Hex.parse("00 05")));
        assertEquals(OptionalInt.empty(), noInvoke.invokeId());
        assertEquals(OptionalInt.empty(), noInvoke.rejectReason(), "nothing to answer: dropped");
        ApduDecodeFailure reserved = assertInstanceOf(ApduDecodeFailure.class,
                ApduCodec.decode(Hex.parse("00 07 2A 0C")));
        assertEquals(OptionalInt.of(ApduCodec.REJECT_OTHER), reserved.rejectReason(), reserved.details());
        ApduDecodeFailure window = assertInstanceOf(ApduDecodeFailure.class,
                ApduCodec.decode(Hex.parse("08 05 2A 00 00 0C")));
        assertEquals("proposed window size 0 outside 1-127", window.details());
    }

    @Test
    void otherMalformedApdusAreDroppedAndSayWhy() {
        for (String hex : new String[] {"", "80 00", "F0", "10", "20 01", "20 01 02 03", "30 01", "3C 01 00 00 0C",
            "40 01 02", "40 01 02 00", "50 01 0B 91 01", "50 01 0B 91 01 91 17 00", "50 01 0B 21 01 91 17", "60 01",
            "71 01 04 00"}) {
            ApduDecodeFailure f = assertInstanceOf(ApduDecodeFailure.class, ApduCodec.decode(Hex.parse(hex)), hex);
            assertEquals(OptionalInt.empty(), f.rejectReason(), hex + ": " + f.details());
        }
    }

    @Property
    void everyApduRoundTrips(@ForAll("apdus") Apdu apdu) {
        assertEquals(apdu, ApduCodec.decode(ApduCodec.encode(apdu)));
    }

    @Property
    void arbitraryOctetsNeverThrow(@ForAll byte[] octets) {
        ApduDecodeResult r = ApduCodec.decode(ByteString.fromArray(octets));
        if (r instanceof Apdu apdu) {
            // what decodes encodes to the same octets, but for flag bits the standard leaves unused
            assertEquals(apdu, ApduCodec.decode(ApduCodec.encode(apdu)));
        }
    }

    @Provide
    Arbitrary<Apdu> apdus() {
        Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
        Arbitrary<Integer> window = Arbitraries.integers().between(1, 127);
        Arbitrary<ByteString> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(ByteString::fromArray);
        Arbitrary<Integer> maxApdu = Arbitraries.of(50, 128, 206, 480, 1024, 1476);
        Arbitrary<Integer> maxSegments = Arbitraries.of(0, 2, 4, 8, 16, 32, 64, 65);
        Arbitrary<Boolean> bit = Arbitraries.of(true, false);
        Arbitrary<Apdu> confirmed = Combinators.combine(bit, bit, bit, maxSegments, maxApdu, octet, octet, window)
                .as((seg, mor, sa, ms, ma, invoke, seq, win) -> new int[] {seg ? 1 : 0, mor ? 1 : 0, sa ? 1 : 0, ms,
                    ma, invoke, seq, win})
                .flatMap(p -> Combinators.combine(octet, data).as((service, d) -> (Apdu) new Apdu.ConfirmedRequest(
                        p[0] == 1, p[1] == 1, p[2] == 1, p[3], p[4], p[5], p[0] == 1 ? p[6] : 0, p[0] == 1 ? p[7] : 0,
                        service, d)));
        Arbitrary<Apdu> complex = Combinators.combine(bit, bit, octet, octet, window, octet, data)
                .as((seg, mor, invoke, seq, win, service, d) -> new Apdu.ComplexAck(seg, mor, invoke, seg ? seq : 0,
                        seg ? win : 0, service, d));
        return Arbitraries.oneOf(confirmed, complex,
                Combinators.combine(octet, data).as(Apdu.UnconfirmedRequest::new),
                Combinators.combine(octet, octet).as(Apdu.SimpleAck::new),
                Combinators.combine(bit, bit, octet, octet, window).as(Apdu.SegmentAck::new),
                Combinators.combine(octet, octet, Arbitraries.longs().between(0, 0xFFFFFFFFL),
                        Arbitraries.longs().between(0, 0xFFFFFFFFL)).as(Apdu.Error::new),
                Combinators.combine(octet, octet).as(Apdu.Reject::new),
                Combinators.combine(bit, octet, octet).as(Apdu.Abort::new));
    }
}
