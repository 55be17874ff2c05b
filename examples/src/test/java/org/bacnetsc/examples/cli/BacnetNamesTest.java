package org.bacnetsc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.service.ReadPropertyMultiple;
import org.junit.jupiter.api.Test;

/** How the tools read objects and properties from the command line, by name and by number, and name errors. */
class BacnetNamesTest {

    @Test
    void objectsByStandardNameAndByNumber() {
        assertEquals(new Value.ObjectId(56, 1), BacnetNames.parseObject("network-port,1"));
        assertEquals(new Value.ObjectId(56, 1), BacnetNames.parseObject("56,1"));
        assertEquals(new Value.ObjectId(8, 100), BacnetNames.parseObject("device,100"));
        assertEquals(new Value.ObjectId(56, 1), BacnetNames.parseObject("NETWORK_PORT,1"), "case and _ do not matter");
        assertEquals(new Value.ObjectId(0, 3), BacnetNames.parseObject("analog-input, 3"));
        assertEquals(new Value.ObjectId(130, 5), BacnetNames.parseObject("proprietary-130,5"));
        assertEquals(new Value.ObjectId(8, 4194303), BacnetNames.parseObject("device,4194303"), "the wildcard");
        assertEquals("network-port,1", BacnetNames.object(new Value.ObjectId(56, 1)));
        assertEquals("proprietary-130,5", BacnetNames.object(new Value.ObjectId(130, 5)));
        assertEquals(new Value.ObjectId(130, 5), BacnetNames.parseObject(BacnetNames.object(
                new Value.ObjectId(130, 5))), "what is printed reads back");
    }

    @Test
    void malformedObjectsSayWhatIsWrong() {
        for (String bad : List.of("network-port", "network-port,", ",1", "network-port,1,2", "no-such-type,1",
                "1024,1", "device,4194304", "device,-1", "device,x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BacnetNames.parseObject(bad), bad);
            assertTrue(e.getMessage().contains("object") && !e.getMessage().isBlank(), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BacnetNames.parseObject("1024,1"))
                .getMessage().contains("0-1023"));
    }

    @Test
    void propertiesByStandardNameAndByNumber() {
        assertEquals(4194318, BacnetNames.parseProperty("sc-hub-connector-state"));
        assertEquals(4194318, BacnetNames.parseProperty("SC_HUB_CONNECTOR_STATE"));
        assertEquals(4194318, BacnetNames.parseProperty("4194318"));
        assertEquals(77, BacnetNames.parseProperty("object-name"));
        assertEquals(PropertyIdentifier.ALL.code(), BacnetNames.parseProperty("all"));
        assertEquals(512, BacnetNames.parseProperty("property-512"));
        assertEquals(512, BacnetNames.parseProperty("512"));
        assertEquals("sc-hub-function-connection-status", BacnetNames.property(4194321));
        assertEquals("property-512", BacnetNames.property(512));
        assertEquals("object-list[3]", BacnetNames.property(76, 3L));
        for (String bad : List.of("no-such-property", "4294967296", "", "-1")) {
            assertThrows(IllegalArgumentException.class, () -> BacnetNames.parseProperty(bad), bad);
        }
    }

    @Test
    void propertyReferencesWithAnArrayIndex() {
        assertEquals(new BacnetNames.PropertyRef(76, 3L), BacnetNames.parsePropertyRef("object-list[3]"));
        assertEquals(new BacnetNames.PropertyRef(76, 0L), BacnetNames.parsePropertyRef("76[0]"));
        assertEquals(new BacnetNames.PropertyRef(77, null), BacnetNames.parsePropertyRef("object-name"));
        for (String bad : List.of("object-list[", "object-list[x]", "object-list[]", "[3]", "object-list[3")) {
            assertThrows(IllegalArgumentException.class, () -> BacnetNames.parsePropertyRef(bad), bad);
        }
    }

    @Test
    void rpmArgumentsAreObjectsWithAllByDefaultOrTheirProperties() {
        ReadPropertyMultiple r = RpmCommand.parse(List.of("network-port,1", "device,100:object-name,object-list[0],85",
                "56,2:all"));
        assertEquals(3, r.specs().size());
        assertEquals(new ReadPropertyMultiple.ReadAccessSpec(new Value.ObjectId(56, 1),
                List.of(new ReadPropertyMultiple.PropertyReference(8, null))), r.specs().get(0));
        assertEquals(new ReadPropertyMultiple.ReadAccessSpec(new Value.ObjectId(8, 100),
                List.of(new ReadPropertyMultiple.PropertyReference(77, null),
                        new ReadPropertyMultiple.PropertyReference(76, 0L),
                        new ReadPropertyMultiple.PropertyReference(85, null))), r.specs().get(1));
        assertEquals(8, r.specs().get(2).properties().get(0).property());
        assertThrows(IllegalArgumentException.class, () -> RpmCommand.parse(List.of("device,100:")));
        assertThrows(IllegalArgumentException.class, () -> RpmCommand.parse(List.of("device,100:object-name,")));
        assertThrows(IllegalArgumentException.class, () -> RpmCommand.parse(List.of("device:object-name")));
    }

    @Test
    void errorsRejectsAndAbortsByName() {
        assertEquals("property/unknown-property", BacnetNames.error(2, 32));
        assertEquals("object/unknown-object", BacnetNames.error(1, 31));
        assertEquals("communication/tcp-error", BacnetNames.error(7, 197), "an SC connection code");
        assertEquals("security/certificate-expired", BacnetNames.error(4, 200));
        assertEquals("object/success", BacnetNames.error(1, 84));
        assertEquals("9/99999", BacnetNames.error(9, 99999), "unknown numbers as numbers");
        assertEquals("unrecognized-service", BacnetNames.rejectReason(9));
        assertEquals("segmentation-not-supported", BacnetNames.abortReason(4));
        assertEquals("disconnected-with-errors", BacnetNames.connectionState(2));
    }
}
