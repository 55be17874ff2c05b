package org.bacnetsc.device.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.junit.jupiter.api.Test;

/**
 * The object model's rules: what a builder refuses, how a read answers (arrays, failures, read functions that
 * throw), the database's identity and name uniqueness, Database_Revision and the wildcard, and the names of types
 * and properties.
 */
class BacnetObjectTest {

    static BacnetObject analogInput(int instance, String name) {
        return BacnetObject.builder(ObjectType.ANALOG_INPUT, instance, name)
                .required(PropertyIdentifier.PRESENT_VALUE, PropertyValue.of(new Value.Real(21.5f)))
                .required(PropertyIdentifier.STATUS_FLAGS, PropertyValue.of(new Value.BitString(
                        List.of(false, false, false, false))))
                .required(PropertyIdentifier.EVENT_STATE, PropertyValue.enumerated(0))
                .required(PropertyIdentifier.OUT_OF_SERVICE, PropertyValue.bool(false))
                .required(PropertyIdentifier.UNITS, PropertyValue.enumerated(62))
                .optional(PropertyIdentifier.DESCRIPTION, PropertyValue.of("outside air"))
                .build();
    }

    static ObjectDatabase database() {
        return new ObjectDatabase(DeviceInfo.of(1001, "Device 1001"));
    }

    static ByteString encoded(PropertyValue v) {
        return assertInstanceOf(PropertyValue.Encoded.class, v).data();
    }

    static void assertFailure(long errorClass, long errorCode, PropertyValue v) {
        assertEquals(new PropertyValue.Failure(errorClass, errorCode), v);
    }

    // ------------------------------------------------------------------------------------------------ builder

    @Test
    void theBuilderRefusesTheObjectsOwnPropertiesAndTheSpecialOnes() {
        for (PropertyIdentifier own : List.of(PropertyIdentifier.OBJECT_IDENTIFIER, PropertyIdentifier.OBJECT_NAME,
                PropertyIdentifier.OBJECT_TYPE, PropertyIdentifier.PROPERTY_LIST, PropertyIdentifier.ALL,
                PropertyIdentifier.REQUIRED, PropertyIdentifier.OPTIONAL)) {
            BacnetObject.Builder b = BacnetObject.builder(ObjectType.ANALOG_VALUE, 1, "av");
            assertThrows(IllegalArgumentException.class, () -> b.required(own, PropertyValue.unsigned(1)),
                    own.toString());
            assertThrows(IllegalArgumentException.class, () -> b.optional(own, PropertyValue.unsigned(1)),
                    own.toString());
            assertThrows(IllegalArgumentException.class, () -> b.add(new Property(own.code(), false,
                    () -> PropertyValue.unsigned(1))), own.toString());
        }
    }

    @Test
    void theBuilderRefusesAPropertyAddedTwice() {
        BacnetObject.Builder b = BacnetObject.builder(ObjectType.ANALOG_VALUE, 1, "av")
                .required(PropertyIdentifier.PRESENT_VALUE, PropertyValue.of(new Value.Real(1f)));
        assertThrows(IllegalArgumentException.class,
                () -> b.required(PropertyIdentifier.PRESENT_VALUE, PropertyValue.of(new Value.Real(2f))));
        assertThrows(IllegalArgumentException.class,
                () -> b.optional(PropertyIdentifier.PRESENT_VALUE, PropertyValue.of(new Value.Real(2f))));
        assertThrows(IllegalArgumentException.class,
                () -> b.add(new Property(85, true, () -> PropertyValue.unsigned(1))));
        // proprietary properties by number, twice as well
        b.add(new Property(512, false, () -> PropertyValue.unsigned(7)));
        assertThrows(IllegalArgumentException.class, () -> b.add(new Property(512, false,
                () -> PropertyValue.unsigned(8))));
        // the first one stays
        assertEquals(Tags.application(new Value.Real(1f)), encoded(b.build().read(85, null)));
        assertEquals(Tags.application(new Value.Unsigned(7)), encoded(b.build().read(512, null)));
    }

    @Test
    void instancesOutside0To4194302AreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BacnetObject.builder(ObjectType.FILE, -1, "f"));
        assertThrows(IllegalArgumentException.class, () -> BacnetObject.builder(ObjectType.FILE, 4194303, "f"));
        assertThrows(IllegalArgumentException.class, () -> BacnetObject.builder(ObjectType.FILE, Integer.MAX_VALUE,
                "f"));
        assertThrows(IllegalArgumentException.class, () -> BacnetObject.builder(1024, 1, () -> "too big a type"));
        assertEquals(new Value.ObjectId(10, 0), BacnetObject.builder(ObjectType.FILE, 0, "f").build().id());
        assertEquals(new Value.ObjectId(10, 4194302), BacnetObject.builder(ObjectType.FILE, 4194302, "f").build()
                .id());
        assertEquals(new Value.ObjectId(1023, 5), BacnetObject.builder(1023, 5, () -> "proprietary").build().id());
        assertThrows(IllegalArgumentException.class, () -> new DeviceInfo(4194303, "d", "v", 1, "m", "f", "s", "", "",
                3000, 3, 2000, 128, null, ""));
    }

    // ------------------------------------------------------------------------------------------------ reads

    @Test
    void theOwnPropertiesAreAlwaysThere() {
        BacnetObject ai = analogInput(3, "OAT");
        assertEquals(Tags.application(new Value.ObjectId(0, 3)), encoded(ai.read(75, null)));
        assertEquals(Tags.application(Value.CharacterString.utf8("OAT")), encoded(ai.read(77, null)));
        assertEquals(Tags.application(new Value.Enumerated(0)), encoded(ai.read(79, null)));
        assertTrue(ai.has(75) && ai.has(77) && ai.has(79) && ai.has(371) && ai.has(85));
        assertFalse(ai.has(8) || ai.has(105) || ai.has(80) || ai.has(87));
        assertEquals(List.of(75L, 77L, 79L, 85L, 111L, 36L, 81L, 117L, 28L, 371L), ai.propertyIds());
        assertEquals(List.of(75L, 77L, 79L, 85L, 111L, 36L, 81L, 117L, 371L), ai.requiredIds());
        assertEquals(List.of(28L), ai.optionalIds());
        assertEquals(List.of(75L, 77L, 79L, 85L, 111L, 36L, 81L, 117L, 28L), ai.allIds());
    }

    @Test
    void theNameIsReadEachTime() {
        AtomicReference<String> name = new AtomicReference<>("before");
        BacnetObject o = BacnetObject.builder(5, 1, name::get).build();
        assertEquals("before", o.name());
        name.set("after");
        assertEquals("after", o.name());
        assertEquals(Tags.application(Value.CharacterString.utf8("after")), encoded(o.read(77, null)));
    }

    @Test
    void aReadFunctionThatThrowsIsAnsweredDeviceOther() {
        BacnetObject o = BacnetObject.builder(ObjectType.ANALOG_VALUE, 1, "av")
                .required(PropertyIdentifier.PRESENT_VALUE, () -> {
                    throw new IllegalStateException("sensor gone");
                })
                .required(PropertyIdentifier.STATUS_FLAGS, () -> null)
                .required(PropertyIdentifier.PRIORITY_ARRAY, () -> {
                    throw new ArithmeticException();
                })
                .build();
        assertFailure(ErrorCodes.DEVICE, ErrorCodes.OTHER, o.read(85, null));
        assertFailure(ErrorCodes.DEVICE, ErrorCodes.OTHER, o.read(85, 1L));
        assertFailure(ErrorCodes.DEVICE, ErrorCodes.OTHER, o.read(111, null));
        assertFailure(ErrorCodes.DEVICE, ErrorCodes.OTHER, o.read(87, 0L));
    }

    @Test
    void aReadFunctionsFailureIsAnsweredAsItIs() {
        BacnetObject o = BacnetObject.builder(ObjectType.ANALOG_VALUE, 1, "av")
                .required(PropertyIdentifier.PRESENT_VALUE,
                        PropertyValue.failure(ErrorCodes.PROPERTY, ErrorCodes.READ_ACCESS_DENIED))
                .build();
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.READ_ACCESS_DENIED, o.read(85, null));
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.READ_ACCESS_DENIED, o.read(85, 3L));
    }

    @Test
    void arraysAnswerIndexZeroWithTheirSizeAndAnIndexPastTheEndInvalidArrayIndex() {
        BacnetObject o = BacnetObject.builder(ObjectType.ANALOG_VALUE, 1, "av")
                .required(PropertyIdentifier.PRIORITY_ARRAY, PropertyValue.array(List.of(new Value.Real(1f),
                        Value.Null.INSTANCE, new Value.Real(3f))))
                .required(PropertyIdentifier.PRESENT_VALUE, PropertyValue.of(new Value.Real(1f)))
                .required(PropertyIdentifier.UNITS, PropertyValue.array(List.of()))
                .build();
        assertEquals(Tags.application(new Value.Unsigned(3)), encoded(o.read(87, 0L)));
        assertEquals(Tags.application(new Value.Real(1f)), encoded(o.read(87, 1L)));
        assertEquals(Tags.application(Value.Null.INSTANCE), encoded(o.read(87, 2L)));
        assertEquals(Tags.application(new Value.Real(3f)), encoded(o.read(87, 3L)));
        assertEquals(Tags.application(new Value.Real(1f)).concat(Tags.application(Value.Null.INSTANCE))
                .concat(Tags.application(new Value.Real(3f))), encoded(o.read(87, null)));
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX, o.read(87, 4L));
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX, o.read(87, -1L));
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX, o.read(87, Long.MAX_VALUE));
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.PROPERTY_IS_NOT_AN_ARRAY, o.read(85, 0L));
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.PROPERTY_IS_NOT_AN_ARRAY, o.read(85, 1L));
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.UNKNOWN_PROPERTY, o.read(28, null));
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.UNKNOWN_PROPERTY, o.read(28, 0L));
        // an empty array
        assertEquals(Tags.application(new Value.Unsigned(0)), encoded(o.read(117, 0L)));
        assertEquals(ByteString.emptyByteString(), encoded(o.read(117, null)));
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX, o.read(117, 1L));
        // Property_List is an array too
        assertEquals(Tags.application(new Value.Unsigned(3)), encoded(o.read(371, 0L)));
        assertEquals(Tags.application(new Value.Enumerated(85)), encoded(o.read(371, 2L)));
        assertFailure(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX, o.read(371, 4L));
    }

    @Test
    void aFileObjectHasContentAndOtherObjectsHaveNone() {
        BacnetObject file = FileObject.create(1, "f", "text/plain", () -> ByteString.fromString("abc"), () -> null);
        assertEquals(Optional.of(ByteString.fromString("abc")), file.content());
        assertEquals(Optional.empty(), analogInput(1, "ai").content());
        BacnetObject broken = FileObject.create(2, "g", "text/plain", () -> {
            throw new IllegalStateException();
        }, () -> null);
        assertEquals(Optional.empty(), broken.content());
        // an unknown modification date is an unspecified BACnetDateTime
        assertEquals("A4 FF FF FF FF B4 FF FF FF FF", hex(encoded(file.read(71, null))));
    }

    // ------------------------------------------------------------------------------------------------ database

    @Test
    void theDatabaseRefusesASecondObjectWithAnIdentifierOrNameInUse() {
        ObjectDatabase db = database();
        db.add(analogInput(1, "OAT"));
        assertThrows(IllegalArgumentException.class, () -> db.add(analogInput(1, "other name")));
        assertThrows(IllegalArgumentException.class, () -> db.add(analogInput(2, "OAT")));
        // the Device object's identifier and name are taken too
        assertThrows(IllegalArgumentException.class, () -> db.add(BacnetObject.builder(ObjectType.DEVICE, 1001,
                "another device").build()));
        assertThrows(IllegalArgumentException.class, () -> db.add(analogInput(3, "Device 1001")));
        assertEquals(2, db.objects().size());
        assertEquals(2, db.revision(), "refused adds change nothing");
        // the same instance on another type is another identifier
        db.add(BacnetObject.builder(ObjectType.ANALOG_VALUE, 1, "AV 1").build());
        assertEquals(3, db.objects().size());
    }

    @Test
    void removeTakesTheObjectAwayButNeverTheDeviceObject() {
        ObjectDatabase db = database();
        BacnetObject ai = analogInput(1, "OAT");
        db.add(ai);
        assertSame(ai, db.find(new Value.ObjectId(0, 1)).orElseThrow());
        assertTrue(db.remove(new Value.ObjectId(0, 1)));
        assertFalse(db.find(new Value.ObjectId(0, 1)).isPresent());
        assertFalse(db.findByName("OAT").isPresent());
        assertFalse(db.remove(new Value.ObjectId(0, 1)));
        assertFalse(db.remove(new Value.ObjectId(8, 1001)));
        assertSame(db.device(), db.find(new Value.ObjectId(8, 1001)).orElseThrow());
        // a removed object's identifier and name are free again
        db.add(analogInput(1, "OAT"));
        assertEquals(2, db.objects().size());
    }

    @Test
    void databaseRevisionStartsAt1AndIncrementsForEachObjectAddedOrRemoved() {
        ObjectDatabase db = database();
        assertEquals(1, db.revision());
        db.add(analogInput(1, "a"));
        assertEquals(2, db.revision());
        db.add(analogInput(2, "b"));
        assertEquals(3, db.revision());
        db.remove(new Value.ObjectId(0, 1));
        assertEquals(4, db.revision());
        db.remove(new Value.ObjectId(0, 1));
        assertEquals(4, db.revision(), "removing nothing changes nothing");
        // the Device object's Database_Revision reads it
        assertEquals(Tags.application(new Value.Unsigned(4)), encoded(db.device().read(155, null)));
    }

    @Test
    void theWildcardInstanceFindsTheDeviceObjectOnly() {
        ObjectDatabase db = database();
        db.add(analogInput(1, "a"));
        assertSame(db.device(), db.find(new Value.ObjectId(8, ObjectDatabase.WILDCARD)).orElseThrow());
        assertSame(db.device(), db.find(new Value.ObjectId(8, 1001)).orElseThrow());
        assertFalse(db.find(new Value.ObjectId(8, 1002)).isPresent());
        assertFalse(db.find(new Value.ObjectId(0, ObjectDatabase.WILDCARD)).isPresent());
        assertEquals(new Value.ObjectId(8, 1001), db.device().id());
        assertEquals(1001, db.instance());
    }

    @Test
    void objectsListsTheDeviceObjectFirstThenTheOthersInTheOrderAdded() {
        ObjectDatabase db = database();
        db.add(analogInput(2, "b"));
        db.add(analogInput(1, "a"));
        assertEquals(List.of(new Value.ObjectId(8, 1001), new Value.ObjectId(0, 2), new Value.ObjectId(0, 1)),
                db.objects().stream().map(BacnetObject::id).toList());
        assertSame(db.device(), db.findByName("Device 1001").orElseThrow());
        assertEquals(new Value.ObjectId(0, 1), db.findByName("a").orElseThrow().id());
        assertFalse(db.findByName("A").isPresent(), "names match exactly");
    }

    // ------------------------------------------------------------------------------------------------ names

    @Test
    void objectTypeNamedAcceptsTheStandardTheConstantAndTheCamelCaseSpelling() {
        for (String name : List.of("network-port", "NETWORK_PORT", "networkPort", "Network Port", "NetworkPort")) {
            assertEquals(Optional.of(ObjectType.NETWORK_PORT), ObjectType.named(name), name);
        }
        assertEquals(Optional.of(ObjectType.DEVICE), ObjectType.named("device"));
        assertEquals(Optional.of(ObjectType.FILE), ObjectType.named("FILE"));
        assertEquals(Optional.of(ObjectType.ANALOG_INPUT), ObjectType.named("analogInput"));
        assertEquals(Optional.empty(), ObjectType.named("network-ports"));
        assertEquals(Optional.empty(), ObjectType.named(""));
        assertEquals("network-port", ObjectType.NETWORK_PORT.standardName());
        assertEquals(56, ObjectType.NETWORK_PORT.code());
        assertEquals("network-port", ObjectType.nameOf(56));
        assertEquals("proprietary-128", ObjectType.nameOf(128));
        assertEquals(Optional.empty(), ObjectType.of(65));
        assertEquals(Optional.empty(), ObjectType.of(-1));
        for (ObjectType t : ObjectType.values()) {
            assertEquals(Optional.of(t), ObjectType.of(t.code()));
            assertEquals(Optional.of(t), ObjectType.named(t.standardName()));
        }
    }

    @Test
    void propertyIdentifierNamedAcceptsTheStandardTheConstantAndTheCamelCaseSpelling() {
        for (String name : List.of("network-type", "NETWORK_TYPE", "networkType")) {
            assertEquals(Optional.of(PropertyIdentifier.NETWORK_TYPE), PropertyIdentifier.named(name), name);
        }
        for (String name : List.of("sc-hub-connector-state", "SC_HUB_CONNECTOR_STATE", "scHubConnectorState")) {
            assertEquals(Optional.of(PropertyIdentifier.SC_HUB_CONNECTOR_STATE), PropertyIdentifier.named(name),
                    name);
        }
        assertEquals(Optional.empty(), PropertyIdentifier.named("network-port"), "an object type, no property");
        assertEquals("sc-hub-connector-state", PropertyIdentifier.SC_HUB_CONNECTOR_STATE.standardName());
        assertEquals("property-5000", PropertyIdentifier.nameOf(5000));
        assertEquals("object-list", PropertyIdentifier.nameOf(76));
        for (PropertyIdentifier p : PropertyIdentifier.values()) {
            assertEquals(Optional.of(p), PropertyIdentifier.of(p.code()));
            assertEquals(Optional.of(p), PropertyIdentifier.named(p.standardName()));
        }
    }

    static String hex(ByteString b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.size(); i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02X", b.apply(i) & 0xFF));
        }
        return s.toString();
    }
}
