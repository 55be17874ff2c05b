package org.bacnetsc.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bacnetsc.codec.DeviceUuid;
import org.junit.jupiter.api.Test;

class ClaimTest {

    static final String M1 = "pekko://bsc-hub@127.0.0.1:25520";
    static final String M2 = "pekko://bsc-hub@127.0.0.1:25521";
    static final DeviceUuid A = DeviceUuid.parse("11111111-2222-3333-4444-555555555555");
    static final DeviceUuid B = DeviceUuid.parse("66666666-7777-8888-9999-000000000000");

    @Test
    void aClaimSurvivesItsTextForm() {
        Claim c = new Claim(M1, A, 1_700_000_000_123L);
        assertEquals("pekko://bsc-hub@127.0.0.1:25520|11111111-2222-3333-4444-555555555555|1700000000123", c.text());
        assertEquals(c, Claim.parse(c.text()));
    }

    @Test
    void theEarlierAdmissionWinsAVmacAndTiesGoToTheLowerMember() {
        Claim early = new Claim(M2, A, 100);
        Claim late = new Claim(M1, B, 101);
        assertTrue(early.winsVmacOver(late));
        assertFalse(late.winsVmacOver(early));
        Claim tieLow = new Claim(M1, A, 100);
        Claim tieHigh = new Claim(M2, B, 100);
        assertTrue(tieLow.winsVmacOver(tieHigh));
        assertFalse(tieHigh.winsVmacOver(tieLow));
    }

    @Test
    void theLaterAdmissionWinsADeviceThatMovedAndTiesGoToTheLowerMember() {
        Claim old = new Claim(M1, A, 100);
        Claim moved = new Claim(M2, A, 200);
        assertTrue(moved.winsDeviceOver(old));
        assertFalse(old.winsDeviceOver(moved));
        assertTrue(new Claim(M1, A, 300).winsDeviceOver(new Claim(M2, A, 300)));
    }
}
