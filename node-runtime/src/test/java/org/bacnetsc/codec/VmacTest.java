package org.bacnetsc.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VmacTest {

    @Test
    void random48HasLowNibble0010InOctetZeroAndRandomOtherBits() {
        Random random = new Random(42);
        Set<Vmac> seen = new HashSet<>();
        int highNibbles = 0;
        for (int i = 0; i < 1000; i++) {
            Vmac v = Vmac.random48(random);
            assertEquals(0x2, v.octet(0) & 0x0F, v.toString());
            assertTrue(v.isRandom48());
            assertFalse(v.isBroadcast() || v.isUnset());
            highNibbles |= 1 << (v.octet(0) >>> 4);
            seen.add(v);
        }
        assertEquals(1000, seen.size());
        assertEquals(0xFFFF, highNibbles, "all 16 high nibbles of octet 0 occur");
    }

    @Test
    void parsesAndPrintsLowercaseColonForm() {
        Vmac v = Vmac.parse("92:7B:F7:1A:96:A2");
        assertEquals("92:7b:f7:1a:96:a2", v.toString());
        assertEquals(v, Vmac.parse("927bf71a96a2"));
        assertEquals(v, Vmac.of(v.toBytes()));
        assertEquals("ff:ff:ff:ff:ff:ff", Vmac.BROADCAST.toString());
        assertTrue(Vmac.BROADCAST.isBroadcast());
        assertTrue(Vmac.UNSET.isUnset());
    }

    @Test
    void rejectsWhatIsNotAVmac() {
        assertThrows(IllegalArgumentException.class, () -> Vmac.parse("92:7B:F7:1A:96"));
        assertThrows(IllegalArgumentException.class, () -> Vmac.parse("zz:7B:F7:1A:96:A2"));
        assertThrows(IllegalArgumentException.class, () -> new Vmac(1L << 48));
        assertThrows(IllegalArgumentException.class, () -> Vmac.of(new byte[5]));
    }

    @Test
    void deviceUuidPrintsLowercase8_4_4_4_12() {
        DeviceUuid u = DeviceUuid.parse("123E4567-E89B-12D3-A456-426614174000");
        assertEquals("123e4567-e89b-12d3-a456-426614174000", u.toString());
        assertThrows(IllegalArgumentException.class, () -> DeviceUuid.parse("not-a-uuid"));
    }

    @Test
    void enumsLookUpTheirWireNumbersStrictly() {
        assertEquals(ErrorCode.NODE_DUPLICATE_VMAC, ErrorCode.of(151));
        assertEquals(ErrorCode.HTTP_UNEXPECTED_RESPONSE_CODE, ErrorCode.of(152));
        assertEquals(ErrorCode.HTTP_ERROR, ErrorCode.of(165));
        assertEquals(ErrorCode.WEBSOCKET_ERROR, ErrorCode.of(179));
        assertEquals(ErrorCode.TLS_ERROR, ErrorCode.of(188));
        assertEquals(ErrorCode.TCP_CONNECTION_REFUSED, ErrorCode.of(194));
        assertEquals(ErrorCode.UNKNOWN_SECURITY_KEY, ErrorCode.of(204));
        assertTrue(ErrorCode.find(113).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ErrorCode.of(273));
        assertEquals(ErrorClass.COMMUNICATION, ErrorClass.of(7));
        assertTrue(ErrorClass.find(8).isEmpty());
        assertEquals(BvlcFunction.PROPRIETARY_MESSAGE, BvlcFunction.of(0x0C));
        assertTrue(BvlcFunction.find(0x0D).isEmpty());
    }
}
