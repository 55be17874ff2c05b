package org.bacnetsc.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One test per row of the digest §6 table, plus who gets a NAK and who is dropped. */
class DecodeFailureTest {

    static final String DEST = "12aabbccddee";
    static final String ORIG = "021122334455";

    private static DecodeFailure fail(String hex) {
        return assertInstanceOf(DecodeFailure.class, BvlcCodec.decode(Hex.parse(hex)));
    }

    private static void assertNakedWith(ErrorCode code, int function, int messageId, DecodeFailure f) {
        assertEquals(code, f.errorCode());
        assertEquals(function, f.functionCode());
        assertEquals(messageId, f.messageId());
        assertFalse(f.silentDrop(), "a unicast request is answered with a NAK");
        BvlcMessage nak = f.nak().orElseThrow();
        assertEquals(messageId, nak.messageId());
        assertEquals(null, nak.originating());
        assertEquals(null, nak.destination());
        Payload.BvlcResult r = (Payload.BvlcResult) nak.payload();
        assertEquals(function, r.resultFor());
        assertTrue(r.isNak());
        assertEquals(f.errorClass().code(), r.errorClass());
        assertEquals(code.code(), r.errorCode());
        assertEquals(f.errorHeaderMarker(), r.errorHeaderMarker());
        // The NAK itself decodes cleanly.
        assertEquals(nak, BvlcCodec.decode(BvlcCodec.encode(nak)));
    }

    private static void assertDropped(ErrorCode code, DecodeFailure f) {
        assertEquals(code, f.errorCode());
        assertTrue(f.silentDrop());
        assertEquals(Optional.empty(), f.nak());
    }

    @Test
    void fewerThanFourOctetsAreDroppedSilently() {
        for (String hex : List.of("", "01", "0100", "010000")) {
            DecodeFailure f = fail(hex);
            assertDropped(ErrorCode.MESSAGE_INCOMPLETE, f);
            assertEquals(-1, f.messageId());
        }
    }

    @Test
    void truncatedOriginatingVmacIsMessageIncomplete147() {
        assertNakedWith(ErrorCode.MESSAGE_INCOMPLETE, 1, 7, fail("01 08 0007 0211223344"));
    }

    @Test
    void truncatedDestinationVmacIsMessageIncomplete147() {
        assertNakedWith(ErrorCode.MESSAGE_INCOMPLETE, 2, 7, fail("02 04 0007 12aabb"));
    }

    @Test
    void truncatedOptionIsMessageIncomplete147WithItsMarker() {
        DecodeFailure f = fail("01 06 0007 " + DEST + " bf 0007 022b");
        assertNakedWith(ErrorCode.MESSAGE_INCOMPLETE, 1, 7, f);
        assertEquals(0xBF, f.errorHeaderMarker());
        DecodeFailure listEnds = fail("01 06 0007 " + DEST + " 81");
        assertEquals(ErrorCode.MESSAGE_INCOMPLETE, listEnds.errorCode());
    }

    @Test
    void truncatedPayloadIsMessageIncomplete147() {
        assertNakedWith(ErrorCode.MESSAGE_INCOMPLETE, 6, 0x1234,
                fail("06 00 1234 021122334455 123e4567e89b12d3a456426614174000 0640 05"));
    }

    @Test
    void unknownFunctionIsNakedWithBvlcFunctionUnknown143() {
        assertNakedWith(ErrorCode.BVLC_FUNCTION_UNKNOWN, 0x0D, 0x0102, fail("0d 00 0102"));
        assertNakedWith(ErrorCode.BVLC_FUNCTION_UNKNOWN, 0xFF, 0x0102, fail("ff 04 0102 " + DEST + " 00"));
    }

    @Test
    void unknownProprietaryFunctionIs144AndDroppedBecauseProprietaryMessagesAreNeverNaked() {
        BvlcMessage m = assertInstanceOf(BvlcMessage.class, BvlcCodec.decode(Hex.parse("0c 04 0003 " + DEST
                + " 022b 09")));
        DecodeFailure f = DecodeFailure.refuse(m, ErrorCode.BVLC_PROPRIETARY_FUNCTION_UNKNOWN, "vendor 555 fn 9");
        assertDropped(ErrorCode.BVLC_PROPRIETARY_FUNCTION_UNKNOWN, f);
    }

    @Test
    void malformedOptionIsHeaderEncodingError145WithItsMarker() {
        DecodeFailure securePathWithData = fail("01 05 0009 " + DEST + " 21 0000 01");
        assertNakedWith(ErrorCode.HEADER_ENCODING_ERROR, 1, 9, securePathWithData);
        assertEquals(0x21, securePathWithData.errorHeaderMarker());
        DecodeFailure shortProprietary = fail("01 06 0009 " + DEST + " 3f 0002 022b 01");
        assertNakedWith(ErrorCode.HEADER_ENCODING_ERROR, 1, 9, shortProprietary);
        assertEquals(0x3F, shortProprietary.errorHeaderMarker());
        DecodeFailure proprietaryWithoutData = fail("01 06 0009 " + DEST + " 1f 01");
        assertEquals(ErrorCode.HEADER_ENCODING_ERROR, proprietaryWithoutData.errorCode());
    }

    @Test
    void vmacFlagsWrongForTheLinkAreHeaderEncodingError145() {
        BvlcMessage hubBoundWithoutDestination = BvlcMessage.of(5, new Payload.EncapsulatedNpdu(Hex.parse("01")));
        assertNakedWith(ErrorCode.HEADER_ENCODING_ERROR, 1, 5,
                LinkRole.HUB_FUNCTION.checkVmacs(hubBoundWithoutDestination).orElseThrow());
        BvlcMessage connectWithVmac = BvlcMessage.of(5, null, Vmac.parse(DEST),
                new Payload.ConnectRequest(Vmac.parse(ORIG), DeviceUuid.random(), 1600, 1497));
        for (LinkRole role : LinkRole.values()) {
            assertNakedWith(ErrorCode.HEADER_ENCODING_ERROR, 6, 5, role.checkVmacs(connectWithVmac).orElseThrow());
        }
        BvlcMessage directWithOrig = BvlcMessage.of(5, Vmac.parse(ORIG), null, Payload.AddressResolution.INSTANCE);
        assertNakedWith(ErrorCode.HEADER_ENCODING_ERROR, 2, 5,
                LinkRole.DIRECT.checkVmacs(directWithOrig).orElseThrow());
        BvlcMessage hubDeliveredWithoutOrig = BvlcMessage.of(5, null, null, Payload.AddressResolution.INSTANCE);
        assertTrue(LinkRole.HUB_CONNECTOR.checkVmacs(hubDeliveredWithoutOrig).isPresent());
        BvlcMessage hubOwnNak = BvlcMessage.of(5, Payload.BvlcResult.nak(1, ErrorCode.OTHER, ""));
        assertEquals(Optional.empty(), LinkRole.HUB_CONNECTOR.checkVmacs(hubOwnNak));
        // a node's connection-level NAK (for the hub's Heartbeat-Request) has no VMACs either; one for an
        // Encapsulated-NPDU is routed, so it needs its Destination
        BvlcMessage nodeNakForHeartbeat = BvlcMessage.of(5, Payload.BvlcResult.nak(0x0A, ErrorCode.OTHER, ""));
        assertEquals(Optional.empty(), LinkRole.HUB_FUNCTION.checkVmacs(nodeNakForHeartbeat));
        assertDropped(ErrorCode.HEADER_ENCODING_ERROR, LinkRole.HUB_FUNCTION.checkVmacs(hubOwnNak).orElseThrow());
        BvlcMessage hubBroadcast = BvlcMessage.of(5, Vmac.parse(ORIG), Vmac.BROADCAST,
                new Payload.EncapsulatedNpdu(Hex.parse("01")));
        assertEquals(Optional.empty(), LinkRole.HUB_CONNECTOR.checkVmacs(hubBroadcast));
        assertEquals(Optional.empty(), LinkRole.HUB_FUNCTION.checkVmacs(hubBroadcast.withVmacs(null,
                Vmac.BROADCAST)));
        // A broadcast in the wrong shape is dropped, not NAKed.
        assertDropped(ErrorCode.HEADER_ENCODING_ERROR,
                LinkRole.DIRECT.checkVmacs(hubBroadcast).orElseThrow());
    }

    @Test
    void unknownMustUnderstandDestinationOptionIsHeaderNotUnderstood146WithMarkerAsReceived() {
        BvlcMessage m = assertInstanceOf(BvlcMessage.class,
                BvlcCodec.decode(Hex.parse("01 06 0011 " + DEST + " c3 02 01")));
        DecodeFailure f = BvlcCodec.checkDestinationOptions(m).orElseThrow();
        assertNakedWith(ErrorCode.HEADER_NOT_UNDERSTOOD, 1, 0x11, f);
        assertEquals(0xC3, f.errorHeaderMarker(), "More bit included, exactly as received");
        BvlcMessage ignorable = assertInstanceOf(BvlcMessage.class,
                BvlcCodec.decode(Hex.parse("01 06 0011 " + DEST + " 83 02 01")));
        assertEquals(Optional.empty(), BvlcCodec.checkDestinationOptions(ignorable));
    }

    @Test
    void requiredPayloadMissingIsPayloadExpected149() {
        assertNakedWith(ErrorCode.PAYLOAD_EXPECTED, 1, 3, fail("01 04 0003 " + DEST));
        assertNakedWith(ErrorCode.PAYLOAD_EXPECTED, 6, 3, fail("06 00 0003"));
        assertDropped(ErrorCode.PAYLOAD_EXPECTED, fail("00 00 0003"));
    }

    @Test
    void messageLongerThanItsFixedLayoutIsUnexpectedData150() {
        assertNakedWith(ErrorCode.UNEXPECTED_DATA, 0x0A, 3, fail("0a 00 0003 00"));
        assertNakedWith(ErrorCode.UNEXPECTED_DATA, 0x05, 3, fail("05 04 0003 " + DEST + " 00"));
        assertNakedWith(ErrorCode.UNEXPECTED_DATA, 0x02, 3, fail("02 04 0003 " + DEST + " 00"));
        assertNakedWith(ErrorCode.UNEXPECTED_DATA, 0x06, 3,
                fail("06 00 0003 021122334455 123e4567e89b12d3a456426614174000 0640 05d9 00"));
        assertDropped(ErrorCode.UNEXPECTED_DATA, fail("00 00 0003 01 00 00"));
        assertDropped(ErrorCode.UNEXPECTED_DATA, fail("04 00 0003 00 00 0640 05d9 00"));
    }

    @Test
    void dataOptionsOnAnotherFunctionAreInconsistentParameters7() {
        assertNakedWith(ErrorCode.INCONSISTENT_PARAMETERS, 0x0A, 3, fail("0a 01 0003 01"));
    }

    @Test
    void nulInsideErrorDetailsIsInconsistentParameters7AndDropped() {
        assertDropped(ErrorCode.INCONSISTENT_PARAMETERS, fail("00 00 0003 01 01 00 0007 0091 41 00 42"));
    }

    @Test
    void fieldsOutOfRangeAreParameterOutOfRange80() {
        assertNakedWith(ErrorCode.PARAMETER_OUT_OF_RANGE, 1, 3, fail("01 14 0003 " + DEST + " 01"));
        assertDropped(ErrorCode.PARAMETER_OUT_OF_RANGE, fail("00 00 0003 01 02"));
        assertDropped(ErrorCode.PARAMETER_OUT_OF_RANGE, fail("04 00 0003 03 00 0640 05d9"));
        assertDropped(ErrorCode.PARAMETER_OUT_OF_RANGE, fail("04 00 0003 00 02 0640 05d9"));
    }

    @Test
    void connectRequestWithVmacInUseIsNakedWithNodeDuplicateVmac151AndTheRequestsId() {
        BvlcMessage request = BvlcMessage.of(0x4242,
                new Payload.ConnectRequest(Vmac.parse(ORIG), DeviceUuid.random(), 1600, 1497));
        DecodeFailure f = DecodeFailure.refuse(request, ErrorCode.NODE_DUPLICATE_VMAC, "VMAC in use");
        assertNakedWith(ErrorCode.NODE_DUPLICATE_VMAC, 6, 0x4242, f);
        assertEquals("00 00 4242 06 01 00 0007 0097", spaced(BvlcCodec.encode(f.nak().orElseThrow()
                .withMessageId(0x4242)).take(11)));
    }

    @Test
    void addressResolutionAtANodeWithoutDirectConnectionsIsOptionalFunctionalityNotSupported45() {
        BvlcMessage request = BvlcMessage.of(0x21, Vmac.parse(ORIG), null, Payload.AddressResolution.INSTANCE);
        DecodeFailure f = DecodeFailure.refuse(request, ErrorCode.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED, "");
        assertNakedWith(ErrorCode.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED, 2, 0x21, f);
        // Over a hub connection the node addresses the NAK to the requester.
        assertEquals(Vmac.parse(ORIG), f.nak(f.originating()).orElseThrow().destination());
    }

    @Test
    void broadcastsAndResponsesAreNeverNaked() {
        assertDropped(ErrorCode.PAYLOAD_EXPECTED, fail("01 04 0003 ffffffffffff"));
        assertDropped(ErrorCode.MESSAGE_INCOMPLETE, fail("07 00 0003 0011"));
        assertDropped(ErrorCode.UNEXPECTED_DATA, fail("09 00 0003 00"));
        assertDropped(ErrorCode.UNEXPECTED_DATA, fail("0b 00 0003 00"));
        assertDropped(ErrorCode.MESSAGE_INCOMPLETE, fail("0c 00 0003 00"));
    }

    @Test
    void failureCarriesTheVmacsItCouldRead() {
        DecodeFailure f = fail("01 0c 0003 " + ORIG + " " + DEST);
        assertEquals(Vmac.parse(ORIG), f.originating());
        assertEquals(Vmac.parse(DEST), f.destination());
    }

    @Test
    void tooManyOptionsIsAResourceLimit() {
        StringBuilder hex = new StringBuilder("01 05 0003 " + DEST);
        for (int i = 0; i < BvlcCodec.MAX_OPTIONS_PER_LIST; i++) {
            hex.append(" 85");
        }
        hex.append(" 05 01");
        DecodeFailure f = fail(hex.toString());
        assertEquals(ErrorClass.RESOURCES, f.errorClass());
        assertEquals(ErrorCode.OUT_OF_MEMORY, f.errorCode());
    }

    private static String spaced(org.apache.pekko.util.ByteString b) {
        String h = Hex.format(b);
        return h.substring(0, 2) + " " + h.substring(2, 4) + " " + h.substring(4, 8) + " " + h.substring(8, 10) + " "
                + h.substring(10, 12) + " " + h.substring(12, 14) + " " + h.substring(14, 18) + " "
                + h.substring(18, 22);
    }
}
