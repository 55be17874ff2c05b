package org.bacnetsc.device.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The service choices of Clause 21 and the strict lookup by choice octet. */
class ServiceChoiceTest {

    @Test
    void theServicesTheDeviceExecutesHaveTheDigestsChoices() {
        assertEquals(6, ConfirmedService.ATOMIC_READ_FILE.code());
        assertEquals(7, ConfirmedService.ATOMIC_WRITE_FILE.code());
        assertEquals(12, ConfirmedService.READ_PROPERTY.code());
        assertEquals(14, ConfirmedService.READ_PROPERTY_MULTIPLE.code());
        assertEquals(15, ConfirmedService.WRITE_PROPERTY.code());
        assertEquals(17, ConfirmedService.DEVICE_COMMUNICATION_CONTROL.code());
        assertEquals(20, ConfirmedService.REINITIALIZE_DEVICE.code());
        assertEquals(0, UnconfirmedService.I_AM.code());
        assertEquals(1, UnconfirmedService.I_HAVE.code());
        assertEquals(7, UnconfirmedService.WHO_HAS.code());
        assertEquals(8, UnconfirmedService.WHO_IS.code());
    }

    @Test
    void everyConstantIsFoundByItsOwnCodeAndNothingElseIs() {
        int found = 0;
        for (int code = -1; code <= 256; code++) {
            Optional<ConfirmedService> c = ConfirmedService.of(code);
            if (c.isPresent()) {
                assertEquals(code, c.get().code());
                found++;
            }
        }
        assertEquals(ConfirmedService.values().length, found);
        found = 0;
        for (int code = -1; code <= 256; code++) {
            Optional<UnconfirmedService> u = UnconfirmedService.of(code);
            if (u.isPresent()) {
                assertEquals(code, u.get().code());
                found++;
            }
        }
        assertEquals(UnconfirmedService.values().length, found);
    }

    @Test
    void removedAndReservedChoicesAreUnknown() {
        // readPropertyConditional (13), authenticate (24), requestKey (25) were removed from the standard
        assertEquals(Optional.empty(), ConfirmedService.of(13));
        assertEquals(Optional.empty(), ConfirmedService.of(24));
        assertEquals(Optional.empty(), ConfirmedService.of(25));
        assertEquals(Optional.empty(), ConfirmedService.of(34));
        assertEquals(Optional.empty(), UnconfirmedService.of(15));
        assertEquals(Optional.of(ConfirmedService.DELETE_OBJECT), ConfirmedService.of(11));
    }
}
