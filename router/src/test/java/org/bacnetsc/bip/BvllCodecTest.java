package org.bacnetsc.bip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Hex;
import org.junit.jupiter.api.Test;

/** Annex J's BVLL, octet by octet (digest §8, §9). */
class BvllCodecTest {

    static final BipAddress A = BipAddress.parse("127.0.0.1:47808");
    static final BipAddress B = BipAddress.parse("127.0.1.20:47809");

    private static void roundTrip(Bvll m, String hex) {
        assertEquals(Hex.parse(hex), BvllCodec.encode(m), "encoding of " + m);
        assertEquals(new BvllDecodeResult.Decoded(m), BvllCodec.decode(Hex.parse(hex)));
    }

    private static BvllDecodeResult.Reason dropped(String hex) {
        return assertInstanceOf(BvllDecodeResult.Dropped.class, BvllCodec.decode(Hex.parse(hex))).reason();
    }

    @Test
    void theAddressIsTheSixOctetMac() {
        assertEquals(Hex.parse("7F000001BAC0"), A.mac());
        assertEquals(A, BipAddress.ofMac(A.mac()));
        assertEquals("127.0.1.20:47809", B.toString());
        assertEquals(B, BipAddress.of(B.socketAddress()));
        assertEquals(BipAddress.DEFAULT_PORT, BipAddress.parse("10.0.0.1").port());
    }

    @Test
    void everyFunctionRoundTripsWithTheLengthCountingTheHeader() {
        roundTrip(new Bvll.Result(BvllResult.SUCCESSFUL_COMPLETION), "81 00 0006 0000");
        roundTrip(new Bvll.Result(BvllResult.REGISTER_FOREIGN_DEVICE_NAK), "81 00 0006 0030");
        roundTrip(new Bvll.WriteBdt(List.of(new Bvll.BdtEntry(A, 0xFFFFFFFFL))), "81 01 000E 7F000001BAC0 FFFFFFFF");
        roundTrip(Bvll.ReadBdt.INSTANCE, "81 02 0004");
        roundTrip(new Bvll.ReadBdtAck(List.of(new Bvll.BdtEntry(A, 0xFFFFFFFFL), new Bvll.BdtEntry(B, 0xFFFFFF00L))),
                "81 03 0018 7F000001BAC0 FFFFFFFF 7F000114BAC1 FFFFFF00");
        roundTrip(new Bvll.Forwarded(B, Hex.parse("01001008")), "81 04 000E 7F000114BAC1 01001008");
        roundTrip(new Bvll.RegisterForeignDevice(60), "81 05 0006 003C");
        roundTrip(Bvll.ReadFdt.INSTANCE, "81 06 0004");
        roundTrip(new Bvll.ReadFdtAck(List.of(new Bvll.FdtEntry(B, 60, 85))), "81 07 000E 7F000114BAC1 003C 0055");
        roundTrip(new Bvll.DeleteFdtEntry(B), "81 08 000A 7F000114BAC1");
        roundTrip(new Bvll.DistributeBroadcast(Hex.parse("01001008")), "81 09 0008 01001008");
        roundTrip(new Bvll.OriginalUnicast(Hex.parse("0104000501")), "81 0A 0009 0104000501");
        roundTrip(new Bvll.OriginalBroadcast(Hex.parse("01001008")), "81 0B 0008 01001008");
        roundTrip(new Bvll.SecureBvll(Hex.parse("AA")), "81 0C 0005 AA");
    }

    @Test
    void malformedDatagramsAreDroppedWithTheirReason() {
        assertEquals(BvllDecodeResult.Reason.LENGTH, dropped("81 0A 00"));
        assertEquals(BvllDecodeResult.Reason.TYPE, dropped("82 0A 0004"));
        assertEquals(BvllDecodeResult.Reason.LENGTH, dropped("81 0A 0009 0100"), "length beyond the datagram");
        assertEquals(BvllDecodeResult.Reason.LENGTH, dropped("81 0A 0004 0100"), "length short of the datagram");
        assertEquals(BvllDecodeResult.Reason.FUNCTION, dropped("81 0D 0004"));
        assertEquals(BvllDecodeResult.Reason.MALFORMED, dropped("81 04 0009 7F000001BA"), "Forwarded under 10");
        assertEquals(BvllDecodeResult.Reason.MALFORMED, dropped("81 00 0005 00"));
        assertEquals(BvllDecodeResult.Reason.MALFORMED, dropped("81 03 0007 7F0000"), "a partial BDT entry");
        assertEquals(BvllDecodeResult.Reason.MALFORMED, dropped("81 02 0005 00"), "Read-BDT with data");
        ByteString any = Hex.parse("81 07 000E 7F000114BAC1 003C 0055");
        for (int i = 0; i < any.size(); i++) {
            assertInstanceOf(BvllDecodeResult.Dropped.class, BvllCodec.decode(any.take(i)), "prefix " + i);
        }
    }

    @Test
    void aPlainNodeNaksEachBbmdFunctionWithItsOwnCodeAndNothingElse() {
        assertEquals(Optional.of(BvllResult.WRITE_BROADCAST_DISTRIBUTION_TABLE_NAK),
                BvllResult.nakFor(BvllFunction.WRITE_BROADCAST_DISTRIBUTION_TABLE));
        assertEquals(Optional.of(BvllResult.READ_BROADCAST_DISTRIBUTION_TABLE_NAK),
                BvllResult.nakFor(BvllFunction.READ_BROADCAST_DISTRIBUTION_TABLE));
        assertEquals(Optional.of(BvllResult.REGISTER_FOREIGN_DEVICE_NAK),
                BvllResult.nakFor(BvllFunction.REGISTER_FOREIGN_DEVICE));
        assertEquals(Optional.of(BvllResult.READ_FOREIGN_DEVICE_TABLE_NAK),
                BvllResult.nakFor(BvllFunction.READ_FOREIGN_DEVICE_TABLE));
        assertEquals(Optional.of(BvllResult.DELETE_FOREIGN_DEVICE_TABLE_ENTRY_NAK),
                BvllResult.nakFor(BvllFunction.DELETE_FOREIGN_DEVICE_TABLE_ENTRY));
        assertEquals(Optional.of(BvllResult.DISTRIBUTE_BROADCAST_TO_NETWORK_NAK),
                BvllResult.nakFor(BvllFunction.DISTRIBUTE_BROADCAST_TO_NETWORK));
        for (BvllFunction f : List.of(BvllFunction.BVLC_RESULT, BvllFunction.READ_BROADCAST_DISTRIBUTION_TABLE_ACK,
                BvllFunction.READ_FOREIGN_DEVICE_TABLE_ACK, BvllFunction.FORWARDED_NPDU,
                BvllFunction.ORIGINAL_UNICAST_NPDU, BvllFunction.ORIGINAL_BROADCAST_NPDU, BvllFunction.SECURE_BVLL)) {
            assertEquals(Optional.empty(), BvllResult.nakFor(f), f.toString());
        }
    }
}
