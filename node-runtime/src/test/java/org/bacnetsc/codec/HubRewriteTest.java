package org.bacnetsc.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class HubRewriteTest {

    static final Vmac SENDER = Vmac.parse("02:11:22:33:44:55");
    static final Vmac TARGET = Vmac.parse("12:aa:bb:cc:dd:ee");

    private static BvlcMessage decode(ByteString frame) {
        return assertInstanceOf(BvlcMessage.class, BvlcCodec.decode(frame));
    }

    @Test
    void unicastRemovesDestinationAndInsertsOriginatingKeepingIdOptionsAndPayload() {
        ByteString in = Hex.parse(SpecVectorsTest.NPDU_EXAMPLE);
        BvlcMessage original = decode(in);
        ByteString out = HubRewrite.toNode(in, SENDER);
        assertEquals(original.withVmacs(SENDER, null), decode(out));
        assertEquals(in.size(), out.size());
        assertEquals(in.drop(10), out.drop(10), "options and payload are the same octets");
    }

    @Test
    void framesAboveAndBelowTheCopyLimitAreRewrittenAlike() {
        for (int npdu : new int[] {1, HubRewrite.COPY_LIMIT - 10, HubRewrite.COPY_LIMIT, HubRewrite.COPY_LIMIT + 1,
                1497}) {
            byte[] octets = new byte[npdu];
            for (int i = 0; i < npdu; i++) {
                octets[i] = (byte) (i * 31 + 7);
            }
            BvlcMessage original = BvlcMessage.of(0x1234, null, TARGET,
                    new Payload.EncapsulatedNpdu(ByteString.fromArray(octets)));
            ByteString in = BvlcCodec.encode(original);
            ByteString out = HubRewrite.toNode(in, SENDER);
            assertEquals(original.withVmacs(SENDER, null), decode(out), "NPDU of " + npdu);
            assertEquals(in.drop(10), out.drop(10), "NPDU of " + npdu);
        }
    }

    @Test
    void broadcastInsertsOriginatingAndKeepsDestination() {
        BvlcMessage original = new BvlcMessage(0x77, null, Vmac.BROADCAST,
                List.of(new HeaderOption.Proprietary(false, 1, 2, Hex.parse("aa"))), List.of(),
                new Payload.EncapsulatedNpdu(Hex.parse("0100")));
        ByteString out = HubRewrite.toNode(BvlcCodec.encode(original), SENDER);
        assertEquals(original.withVmacs(SENDER, Vmac.BROADCAST), decode(out));
        assertEquals("010e0077" + "021122334455" + "ffffffffffff", Hex.format(out.take(16)));
    }

    @Test
    void anOriginatingVmacOnTheHubBoundFrameIsReplacedNotDuplicated() {
        BvlcMessage bacPyStyle = BvlcMessage.of(1, SENDER, TARGET, new Payload.EncapsulatedNpdu(Hex.parse("01")));
        ByteString out = HubRewrite.toNode(BvlcCodec.encode(bacPyStyle), SENDER);
        assertEquals(bacPyStyle.withVmacs(SENDER, null), decode(out));
        BvlcMessage bacPyBroadcast = bacPyStyle.withVmacs(SENDER, Vmac.BROADCAST);
        assertEquals(bacPyBroadcast, decode(HubRewrite.toNode(BvlcCodec.encode(bacPyBroadcast), SENDER)));
    }

    @Test
    void destinationIsReadFromTheHeader() {
        assertEquals(TARGET, HubRewrite.destination(BvlcCodec.encode(
                BvlcMessage.of(1, SENDER, TARGET, Payload.AddressResolution.INSTANCE))));
        assertEquals(null, HubRewrite.destination(BvlcCodec.encode(
                BvlcMessage.of(1, Payload.HeartbeatRequest.INSTANCE))));
    }

    @Test
    void aFrameWithoutDestinationCannotBeForwarded() {
        assertThrows(IllegalArgumentException.class, () -> HubRewrite.toNode(
                BvlcCodec.encode(BvlcMessage.of(1, Payload.HeartbeatRequest.INSTANCE)), SENDER));
    }
}
