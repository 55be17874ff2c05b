package org.bacnetsc.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcFunction;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.junit.jupiter.api.Test;

class InboundCheckTest {

    static final Vmac PEER = Vmac.parse("02:00:00:00:00:02");
    static final Vmac OTHER = Vmac.parse("02:00:00:00:00:03");
    static final int MAX = 1497;

    private static ByteString npdu(int id, Vmac originating, Vmac destination) {
        return BvlcCodec.encode(BvlcMessage.of(id, originating, destination,
                new Payload.EncapsulatedNpdu(ByteString.fromArray(new byte[] {1, 0, 0x10, 8}))));
    }

    private static InboundCheck.Verdict check(ByteString frame, LinkRole role, boolean acceptOwn) {
        return InboundCheck.check(frame, MAX, role, PEER, acceptOwn);
    }

    private static BvlcMessage nakOf(InboundCheck.Verdict v) {
        return assertInstanceOf(InboundCheck.Invalid.class, v).nak().orElseThrow();
    }

    @Test
    void aValidHubBoundUnicastIsHandedOnAsDecoded() {
        ByteString frame = npdu(7, null, OTHER);
        assertEquals(new InboundCheck.Valid((BvlcMessage) BvlcCodec.decode(frame), false),
                check(frame, LinkRole.HUB_FUNCTION, false));
    }

    @Test
    void aFrameLongerThanOurMaxBvlcIsDroppedUnreadAndOneOfExactlyThatLengthIsRead() {
        byte[] big = new byte[MAX + 1];
        assertEquals(new InboundCheck.Oversize(MAX + 1), check(ByteString.fromArray(big), LinkRole.HUB_FUNCTION,
                false));
        InboundCheck.Verdict atMax = check(ByteString.fromArray(new byte[MAX]), LinkRole.HUB_FUNCTION, false);
        assertInstanceOf(InboundCheck.Invalid.class, atMax, "decoded (and refused as garbage), not dropped unread");
    }

    @Test
    void thePeersOwnOriginatingVmacOnAHubBoundFrameIsStrippedOnlyWhereTolerated() {
        ByteString frame = npdu(8, PEER, OTHER);
        InboundCheck.Valid v = assertInstanceOf(InboundCheck.Valid.class, check(frame, LinkRole.HUB_FUNCTION, true));
        assertTrue(v.strippedOwnOriginatingVmac());
        assertEquals(null, v.message().originating());
        assertEquals(OTHER, v.message().destination());

        BvlcMessage nak = nakOf(check(frame, LinkRole.HUB_FUNCTION, false));
        Payload.BvlcResult r = (Payload.BvlcResult) nak.payload();
        assertEquals(BvlcFunction.ENCAPSULATED_NPDU.code(), r.resultFor());
        assertEquals(ErrorCode.HEADER_ENCODING_ERROR.code(), r.errorCode());
        assertEquals(8, nak.messageId());
        assertEquals(null, nak.destination(), "the hub's own NAK carries no VMACs");
    }

    @Test
    void anotherNodesOriginatingVmacIsNeverTolerated() {
        BvlcMessage nak = nakOf(check(npdu(9, OTHER, OTHER), LinkRole.HUB_FUNCTION, true));
        assertEquals(ErrorCode.HEADER_ENCODING_ERROR.code(), ((Payload.BvlcResult) nak.payload()).errorCode());
    }

    @Test
    void aNodeAnswersABadHubDeliveredUnicastToItsOriginatorAndDropsOneWithoutAnOriginator() {
        BvlcMessage nak = nakOf(check(npdu(10, OTHER, PEER), LinkRole.HUB_CONNECTOR, false));
        assertEquals(OTHER, nak.destination(), "a NAK through the hub needs a Destination: the sender");
        assertEquals(10, nak.messageId());

        InboundCheck.Invalid noOriginator = assertInstanceOf(InboundCheck.Invalid.class,
                check(npdu(11, null, PEER), LinkRole.HUB_CONNECTOR, false));
        assertEquals(Optional.empty(), noOriginator.nak(), "nobody to address a NAK to");
        assertEquals(ErrorCode.HEADER_ENCODING_ERROR, noOriginator.failure().errorCode());
    }

    @Test
    void aBroadcastThatFailsIsNeverAnswered() {
        InboundCheck.Invalid v = assertInstanceOf(InboundCheck.Invalid.class,
                check(npdu(12, OTHER, Vmac.BROADCAST), LinkRole.DIRECT, false));
        assertEquals(Optional.empty(), v.nak());
    }

    @Test
    void aTruncatedHeaderIsDroppedWithoutAnAnswer() {
        InboundCheck.Invalid v = assertInstanceOf(InboundCheck.Invalid.class,
                check(ByteString.fromArray(new byte[] {1}), LinkRole.DIRECT, false));
        assertEquals(Optional.empty(), v.nak(), v.toString());
    }
}
