package org.bacnetsc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Hex;
import org.junit.jupiter.api.Test;

/** The NPDU layout of Clause 6.2 and the network layer messages of 6.4, octet by octet (digest §2, §5). */
class NpduCodecTest {

    private static Npdu decoded(String hex) {
        NpduDecodeResult r = NpduCodec.decode(Hex.parse(hex));
        return assertInstanceOf(NpduDecodeResult.Decoded.class, r, r.toString()).npdu();
    }

    private static NpduDecodeResult.Dropped dropped(String hex) {
        NpduDecodeResult r = NpduCodec.decode(Hex.parse(hex));
        return assertInstanceOf(NpduDecodeResult.Dropped.class, r, r.toString());
    }

    private static void roundTrip(Npdu n, String hex) {
        assertEquals(Hex.parse(hex), NpduCodec.encode(n), "encoding of " + n);
        assertEquals(n, decoded(hex));
    }

    static final ByteString BIP_MAC = Hex.parse("7F000001BAC0"); // 127.0.0.1:47808
    static final ByteString VMAC = Hex.parse("020000000A01");

    @Test
    void aLocalApduIsVersionControlAndTheApdu() {
        // Who-Is (unconfirmed request), no addresses
        roundTrip(Npdu.local(Hex.parse("1008"), false), "01 00 1008");
        roundTrip(Npdu.local(Hex.parse("0005"), true), "01 04 0005");
    }

    @Test
    void destinationThenSourceThenHopCountInThatOrder() {
        Npdu n = new Npdu(true, NetworkPriority.NORMAL, 2, VMAC, 1, BIP_MAC, 254, null, Hex.parse("0005010C"));
        roundTrip(n, "01 2C 0002 06 020000000A01 0001 06 7F000001BAC0 FE 0005010C");
    }

    @Test
    void remoteAndGlobalBroadcastsHaveAnEmptyDadr() {
        roundTrip(new Npdu(false, NetworkPriority.NORMAL, 5, ByteString.emptyByteString(), null, null, 255, null,
                Hex.parse("1008")), "01 20 0005 00 FF 1008");
        roundTrip(new Npdu(false, NetworkPriority.NORMAL, 0xFFFF, ByteString.emptyByteString(), null, null, 255,
                null, Hex.parse("1008")), "01 20 FFFF 00 FF 1008");
    }

    @Test
    void priorityBitsAreCarried() {
        for (NetworkPriority p : NetworkPriority.values()) {
            Npdu n = new Npdu(false, p, null, null, null, null, null, null, Hex.parse("10"));
            assertEquals(p.bits(), NpduCodec.encode(n).apply(1) & 0x03);
            assertEquals(n, decoded(Hex.format(NpduCodec.encode(n))));
        }
    }

    @Test
    void everyNetworkLayerMessageRoundTrips() {
        roundTrip(Npdu.local(new NetworkMessage.WhoIsRouterToNetwork(null)), "01 80 00");
        roundTrip(Npdu.local(new NetworkMessage.WhoIsRouterToNetwork(7)), "01 80 00 0007");
        roundTrip(Npdu.local(new NetworkMessage.IAmRouterToNetwork(List.of(1, 2))), "01 80 01 0001 0002");
        roundTrip(Npdu.local(new NetworkMessage.ICouldBeRouterToNetwork(3, 9)), "01 80 02 0003 09");
        roundTrip(Npdu.local(new NetworkMessage.RejectMessageToNetwork(RejectReason.NOT_ROUTER_TO_DNET, 9)),
                "01 80 03 01 0009");
        roundTrip(Npdu.local(new NetworkMessage.RouterBusyToNetwork(List.of())), "01 80 04");
        roundTrip(Npdu.local(new NetworkMessage.RouterAvailableToNetwork(List.of(4))), "01 80 05 0004");
        roundTrip(Npdu.local(new NetworkMessage.InitializeRoutingTable(List.of())), "01 80 06 00");
        roundTrip(Npdu.local(new NetworkMessage.InitializeRoutingTableAck(List.of(
                new NetworkMessage.RoutingTableEntry(1, 1, ByteString.emptyByteString()),
                new NetworkMessage.RoutingTableEntry(2, 2, Hex.parse("AABB"))))),
                "01 80 07 02 0001 01 00 0002 02 02 AABB");
        roundTrip(Npdu.local(new NetworkMessage.EstablishConnectionToNetwork(6, 0)), "01 80 08 0006 00");
        roundTrip(Npdu.local(new NetworkMessage.DisconnectConnectionToNetwork(6)), "01 80 09 0006");
        roundTrip(Npdu.local(NetworkMessage.WhatIsNetworkNumber.INSTANCE), "01 80 12");
        roundTrip(Npdu.local(new NetworkMessage.NetworkNumberIs(2001, true)), "01 80 13 07D1 01");
        roundTrip(Npdu.local(new NetworkMessage.Proprietary(0x80, 260, Hex.parse("01"))), "01 80 80 0104 01");
    }

    @Test
    void aNetworkMessageForAnotherNetworkCarriesAddressesAndHopCountBeforeTheType() {
        roundTrip(new Npdu(true, NetworkPriority.NORMAL, 9, ByteString.emptyByteString(), 1, BIP_MAC, 255,
                new NetworkMessage.WhoIsRouterToNetwork(9), null), "01 AC 0009 00 0001 06 7F000001BAC0 FF 00 0009");
    }

    @Test
    void networkNumberIsTakesAnyNonZeroFlagAsConfigured() {
        // BACpypes3 writes its quality enum (configured = 3)
        assertEquals(new NetworkMessage.NetworkNumberIs(5, true),
                decoded("01 80 13 0005 03").message());
        assertEquals(new NetworkMessage.NetworkNumberIs(5, false), decoded("01 80 13 0005 00").message());
    }

    @Test
    void unknownRejectReasonsAndSecurityAndReservedTypesAreKeptNotRejected() {
        assertEquals(new NetworkMessage.RejectMessageToNetwork(77, 1), decoded("01 80 03 4D 0001").message());
        NetworkMessage.Unknown security = assertInstanceOf(NetworkMessage.Unknown.class,
                decoded("01 80 0A 0102").message());
        assertEquals(0x0A, security.type());
        assertTrue(!security.reserved());
        NetworkMessage.Unknown reserved = assertInstanceOf(NetworkMessage.Unknown.class,
                decoded("01 80 14").message());
        assertTrue(reserved.reserved());
        roundTrip(Npdu.local(reserved), "01 80 14");
    }

    @Test
    void reservedControlBitsAreIgnored() {
        assertEquals(Npdu.local(Hex.parse("1008"), false), decoded("01 50 1008"));
    }

    @Test
    void malformedFramesAreDroppedWithTheirReasonAndNeverThrow() {
        assertEquals(NpduDecodeResult.Reason.VERSION, dropped("02 00 1008").reason());
        assertEquals(NpduDecodeResult.Reason.TRUNCATED, dropped("").reason());
        assertEquals(NpduDecodeResult.Reason.TRUNCATED, dropped("01").reason());
        assertEquals(NpduDecodeResult.Reason.TRUNCATED, dropped("01 20 0002").reason());
        assertEquals(NpduDecodeResult.Reason.TRUNCATED, dropped("01 20 0002 06 0200").reason());
        assertEquals(NpduDecodeResult.Reason.TRUNCATED, dropped("01 20 0002 00").reason(), "no hop count");
        assertEquals(NpduDecodeResult.Reason.INVALID_DNET, dropped("01 20 0000 00 FF").reason());
        assertEquals(NpduDecodeResult.Reason.INVALID_SNET, dropped("01 08 0000 01 05 10").reason());
        assertEquals(NpduDecodeResult.Reason.INVALID_SNET, dropped("01 08 FFFF 01 05 10").reason());
        assertEquals(NpduDecodeResult.Reason.INVALID_SLEN, dropped("01 08 0001 00 10").reason());
        assertEquals(NpduDecodeResult.Reason.INVALID_DADR, dropped("01 20 FFFF 01 05 FF 10").reason());
        assertEquals(NpduDecodeResult.Reason.TRUNCATED, dropped("01 80").reason(), "no message type");
        assertEquals(NpduDecodeResult.Reason.TRUNCATED, dropped("01 80 80 01").reason(), "half a vendor ID");
        assertEquals(NpduDecodeResult.Reason.MALFORMED_MESSAGE, dropped("01 80 01").reason(),
                "I-Am-Router without DNET");
        assertEquals(NpduDecodeResult.Reason.MALFORMED_MESSAGE, dropped("01 80 01 000100").reason());
        assertEquals(NpduDecodeResult.Reason.MALFORMED_MESSAGE, dropped("01 80 00 0001 02").reason());
        assertEquals(NpduDecodeResult.Reason.TRUNCATED, dropped("01 80 06 02 0001 01 00").reason());
        assertEquals(NpduDecodeResult.Reason.TRUNCATED, dropped("01 80 13 0005").reason());
        // every prefix of a valid NPDU is dropped, never thrown
        ByteString full = Hex.parse("01 AC 0009 00 0001 06 7F000001BAC0 FF 00 0009");
        for (int i = 0; i < full.size() - 2; i++) {
            assertInstanceOf(NpduDecodeResult.Dropped.class, NpduCodec.decode(full.take(i)), "prefix " + i);
        }
    }

    @Test
    void anNpduThatCannotBeEncodedCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new Npdu(false, NetworkPriority.NORMAL, 0,
                ByteString.emptyByteString(), null, null, 255, null, Hex.parse("10")));
        assertThrows(IllegalArgumentException.class, () -> new Npdu(false, NetworkPriority.NORMAL, 5,
                ByteString.emptyByteString(), null, null, null, null, Hex.parse("10")), "DNET without hop count");
        assertThrows(IllegalArgumentException.class, () -> new Npdu(false, NetworkPriority.NORMAL, null, null,
                0xFFFF, BIP_MAC, null, null, Hex.parse("10")));
        assertThrows(IllegalArgumentException.class, () -> new Npdu(false, NetworkPriority.NORMAL, null, null,
                1, ByteString.emptyByteString(), null, null, Hex.parse("10")));
        assertThrows(IllegalArgumentException.class, () -> new Npdu(false, NetworkPriority.NORMAL, null, null,
                null, null, null, null, null));
    }

    @Test
    void routerRewritesKeepEverythingElse() {
        Npdu in = new Npdu(true, NetworkPriority.URGENT, 2, VMAC, null, null, 255, null, Hex.parse("0005"));
        Npdu forwarded = in.withSource(1, BIP_MAC).withoutDestination();
        assertEquals(new Npdu(true, NetworkPriority.URGENT, null, null, 1, BIP_MAC, null, null, Hex.parse("0005")),
                forwarded);
        assertEquals(254, in.withHopCount(in.hopCount() - 1).hopCount());
    }
}
