package org.bacnetsc.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Forwarded frames cross members as raw bytes: the binding is ours, the bytes are the frame plus 16 or 8 octets. */
class MemberRouterSerializerTest {

    static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static Object roundTrip(Object m, int expectedLength) throws Exception {
        Serialization s = SerializationExtension.get(KIT.system().classicSystem());
        org.apache.pekko.serialization.Serializer serializer = s.findSerializerFor(m);
        assertInstanceOf(MemberRouterSerializer.class, serializer);
        byte[] bytes = serializer.toBinary(m);
        assertEquals(expectedLength, bytes.length);
        return s.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, m)).get();
    }

    @Test
    void aUnicastIsItsVmacClockAndFrame() throws Exception {
        byte[] frame = {1, 2, 3, 4, 5};
        MemberRouter.Unicast u = assertInstanceOf(MemberRouter.Unicast.class,
                roundTrip(new MemberRouter.Unicast(0x0200_0000_0a01L, frame, 123456789L), 16 + frame.length));
        assertEquals(0x0200_0000_0a01L, u.vmac());
        assertEquals(123456789L, u.sentAtMillis());
        assertArrayEquals(frame, u.frame());
    }

    @Test
    void aBroadcastIsItsClockAndFrame() throws Exception {
        byte[] frame = new byte[1600];
        frame[1599] = 9;
        MemberRouter.Broadcast b = assertInstanceOf(MemberRouter.Broadcast.class,
                roundTrip(new MemberRouter.Broadcast(frame, 42L), 8 + frame.length));
        assertEquals(42L, b.sentAtMillis());
        assertArrayEquals(frame, b.frame());
    }

    @Test
    void aTruncatedOrUnknownMessageIsRefused() {
        MemberRouterSerializer s = new MemberRouterSerializer(null);
        assertThrows(java.io.NotSerializableException.class, () -> s.fromBinary(new byte[3], "U"));
        assertThrows(java.io.NotSerializableException.class, () -> s.fromBinary(new byte[20], "X"));
    }
}
