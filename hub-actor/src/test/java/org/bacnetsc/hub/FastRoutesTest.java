package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.FrameSink;
import org.junit.jupiter.api.Test;

/** The hub's socket-to-socket path: what it takes, what it leaves to the hub actor, and how it counts. */
class FastRoutesTest {

    static final Vmac A = Vmac.parse("02:00:00:00:00:0a");
    static final Vmac B = Vmac.parse("02:00:00:00:00:0b");
    static final ByteString NPDU = Hex.parse("01200000");

    /** A recipient's socket: records what it queued, answers with {@code answer}. */
    static final class Socket implements FrameSink {
        final List<ByteString> queued = new ArrayList<>();
        Offer answer = Offer.QUEUED;
        boolean congested;

        @Override
        public boolean congested() {
            return congested;
        }

        @Override
        public Offer offer(ByteString frame) {
            if (answer == Offer.QUEUED) {
                queued.add(frame);
            }
            return answer;
        }
    }

    static ByteString frame(BvlcMessage m) {
        return BvlcCodec.encode(m);
    }

    @Test
    void aPlainUnicastToAConnectedNodeGoesStraightToItsSocketRewrittenAsTheHubWould() {
        FastRoutes routes = new FastRoutes();
        Socket b = new Socket();
        routes.connected(B, new FastRoutes.Target(b, 1600));
        assertTrue(routes.from(A).take(frame(BvlcMessage.of(7, null, B, new Payload.EncapsulatedNpdu(NPDU)))));
        assertEquals(List.of(frame(BvlcMessage.of(7, A, null, new Payload.EncapsulatedNpdu(NPDU)))), b.queued);
        assertEquals(1, routes.unicastRouted.sum());
        assertEquals(1, routes.deliveries.sum());
    }

    @Test
    void broadcastsOptionsOriginatingVmacsOtherFunctionsAndUnknownVmacsAreLeftToTheHubActor() {
        FastRoutes routes = new FastRoutes();
        Socket b = new Socket();
        routes.connected(B, new FastRoutes.Target(b, 1600));
        List<ByteString> left = List.of(
                frame(BvlcMessage.of(1, null, Vmac.BROADCAST, new Payload.EncapsulatedNpdu(NPDU))),
                frame(BvlcMessage.of(2, null, Vmac.parse("02:00:00:00:00:0c"), new Payload.EncapsulatedNpdu(NPDU))),
                frame(BvlcMessage.of(3, A, B, new Payload.EncapsulatedNpdu(NPDU))),
                frame(new BvlcMessage(4, null, B, List.of(), List.of(new HeaderOption.SecurePath(false)),
                        new Payload.EncapsulatedNpdu(NPDU))),
                frame(BvlcMessage.of(5, null, B, Payload.AddressResolution.INSTANCE)),
                Hex.parse("0104000702000000000b"), // no NPDU: the hub actor NAKs it
                Hex.parse("01"));
        for (ByteString f : left) {
            assertFalse(routes.from(A).take(f), Hex.format(f));
        }
        assertEquals(List.of(), b.queued);
        assertEquals(0, routes.unicastRouted.sum());
    }

    @Test
    void aRecipientWhoseQueueIsHalfFullIsLeftToTheActorsWhoseCreditPacesTheSender() {
        FastRoutes routes = new FastRoutes();
        Socket b = new Socket();
        routes.connected(B, new FastRoutes.Target(b, 1600));
        ByteString f = frame(BvlcMessage.of(7, null, B, new Payload.EncapsulatedNpdu(NPDU)));
        b.congested = true;
        assertFalse(routes.from(A).take(f));
        b.congested = false;
        assertTrue(routes.from(A).take(f));
        assertEquals(1, b.queued.size());
    }

    @Test
    void aFrameLongerThanTheRecipientsMaxBvlcIsDroppedAndCounted() {
        FastRoutes routes = new FastRoutes();
        Socket b = new Socket();
        routes.connected(B, new FastRoutes.Target(b, 20));
        assertTrue(routes.from(A).take(frame(BvlcMessage.of(7, null, B, new Payload.EncapsulatedNpdu(
                ByteString.fromArray(new byte[30]))))));
        assertEquals(List.of(), b.queued);
        assertEquals(1, routes.droppedOversize.sum());
    }

    @Test
    void aRecipientWhoseSocketClosedIsCountedAndAFullQueueIsTheSocketsToCount() {
        FastRoutes routes = new FastRoutes();
        Socket b = new Socket();
        routes.connected(B, new FastRoutes.Target(b, 1600));
        ByteString f = frame(BvlcMessage.of(7, null, B, new Payload.EncapsulatedNpdu(NPDU)));
        b.answer = FrameSink.Offer.CLOSED;
        assertTrue(routes.from(A).take(f));
        assertEquals(1, routes.droppedRecipientGone.sum());
        b.answer = FrameSink.Offer.QUEUE_FULL;
        assertTrue(routes.from(A).take(f));
        assertEquals(0, routes.deliveries.sum());
        assertEquals(2, routes.unicastRouted.sum());
    }

    @Test
    void aVmacTakenOverByANewConnectionIsNotRemovedWhenTheOldOneLeaves() {
        FastRoutes routes = new FastRoutes();
        Socket old = new Socket();
        Socket replacement = new Socket();
        routes.connected(B, new FastRoutes.Target(old, 1600));
        routes.connected(B, new FastRoutes.Target(replacement, 1600));
        routes.gone(B, old);
        assertEquals(1, routes.size());
        assertTrue(routes.from(A).take(frame(BvlcMessage.of(7, null, B, new Payload.EncapsulatedNpdu(NPDU)))));
        assertEquals(1, replacement.queued.size());
        routes.gone(B, replacement);
        assertEquals(0, routes.size());
        assertFalse(routes.from(A).take(frame(BvlcMessage.of(8, null, B, new Payload.EncapsulatedNpdu(NPDU)))));
    }
}
