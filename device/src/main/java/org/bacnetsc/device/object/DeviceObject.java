package org.bacnetsc.device.object;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bacnetsc.device.codec.Value;

/**
 * The Device object (Clause 12.11; digest section 4) of a database: every required property, the optional ones the
 * digest names for an SC device, and the protocol bit strings true to what the layer executes.
 */
public final class DeviceObject {

    /** Protocol_Revision: 24 is the first revision with Network_Type secure-connect (digest section 4). */
    public static final int PROTOCOL_REVISION = 24;
    /** Max_APDU_Length_Accepted on BACnet/SC: NPDU 1497 less the largest NPDU header. */
    public static final int MAX_APDU = 1476;
    /** Segmentation_Supported: 0 segmented-both. */
    public static final int SEGMENTED_BOTH = 0;
    /**
     * The confirmed and unconfirmed services the layer executes, as bits of Protocol_Services_Supported: AtomicReadFile
     * 6, ReadProperty 12, ReadPropertyMultiple 14, WriteProperty 15, DeviceCommunicationControl 17,
     * ReinitializeDevice 20, Who-Has 33, Who-Is 34 (I-Am and I-Have are only initiated: clear, digest 3.1).
     */
    static final int[] SERVICES_EXECUTED = {6, 12, 14, 15, 17, 20, 33, 34};
    /** The bit string's length for Protocol_Revision 24-28 (bacnet-stack bacdef.h). */
    static final int SERVICES_BITS = 49;
    /** Protocol_Object_Types_Supported's length from Protocol_Revision 24 (object types 0-64). */
    static final int OBJECT_TYPE_BITS = 65;

    private DeviceObject() {
    }

    static BacnetObject create(DeviceInfo info, ObjectDatabase db) {
        BacnetObject.Builder b = BacnetObject.builder(ObjectType.DEVICE.code(), info.instance(), info::name)
                .required(PropertyIdentifier.SYSTEM_STATUS, PropertyValue.enumerated(0))
                .required(PropertyIdentifier.VENDOR_NAME, PropertyValue.of(info.vendorName()))
                .required(PropertyIdentifier.VENDOR_IDENTIFIER, PropertyValue.unsigned(info.vendorId()))
                .required(PropertyIdentifier.MODEL_NAME, PropertyValue.of(info.modelName()))
                .required(PropertyIdentifier.FIRMWARE_REVISION, PropertyValue.of(info.firmwareRevision()))
                .required(PropertyIdentifier.APPLICATION_SOFTWARE_VERSION, PropertyValue.of(info.softwareVersion()))
                .required(PropertyIdentifier.PROTOCOL_VERSION, PropertyValue.unsigned(1))
                .required(PropertyIdentifier.PROTOCOL_REVISION, PropertyValue.unsigned(PROTOCOL_REVISION))
                .required(PropertyIdentifier.PROTOCOL_SERVICES_SUPPORTED,
                        PropertyValue.of(bits(SERVICES_BITS, SERVICES_EXECUTED)))
                .required(PropertyIdentifier.PROTOCOL_OBJECT_TYPES_SUPPORTED, () -> objectTypes(db))
                .required(PropertyIdentifier.OBJECT_LIST, () -> {
                    List<Value> ids = new ArrayList<>();
                    db.objects().forEach(o -> ids.add(o.id()));
                    return PropertyValue.array(ids);
                })
                .required(PropertyIdentifier.MAX_APDU_LENGTH_ACCEPTED, PropertyValue.unsigned(MAX_APDU))
                .required(PropertyIdentifier.SEGMENTATION_SUPPORTED, PropertyValue.enumerated(SEGMENTED_BOTH))
                .required(PropertyIdentifier.APDU_TIMEOUT, PropertyValue.unsigned(info.apduTimeoutMillis()))
                .required(PropertyIdentifier.NUMBER_OF_APDU_RETRIES, PropertyValue.unsigned(info.apduRetries()))
                .required(PropertyIdentifier.DEVICE_ADDRESS_BINDING, PropertyValue.encoded(
                        org.apache.pekko.util.ByteString.emptyByteString()))
                .required(PropertyIdentifier.DATABASE_REVISION, () -> PropertyValue.unsigned(db.revision()))
                .optional(PropertyIdentifier.MAX_SEGMENTS_ACCEPTED, PropertyValue.unsigned(info.maxSegmentsAccepted()))
                .optional(PropertyIdentifier.APDU_SEGMENT_TIMEOUT,
                        PropertyValue.unsigned(info.segmentTimeoutMillis()));
        if (!info.description().isEmpty()) {
            b.optional(PropertyIdentifier.DESCRIPTION, PropertyValue.of(info.description()));
        }
        if (!info.location().isEmpty()) {
            b.optional(PropertyIdentifier.LOCATION, PropertyValue.of(info.location()));
        }
        if (info.deviceUuid() != null) {
            // Device_UUID: optional in BACnet4J's table, present on every SC device [verify] (digest section 4)
            b.optional(PropertyIdentifier.DEVICE_UUID, PropertyValue.of(new Value.OctetString(info.deviceUuid())));
        }
        return b.build();
    }

    private static PropertyValue objectTypes(ObjectDatabase db) {
        int[] types = db.objects().stream().mapToInt(o -> o.id().objectType()).filter(t -> t < OBJECT_TYPE_BITS)
                .distinct().toArray();
        return PropertyValue.of(bits(OBJECT_TYPE_BITS, types));
    }

    /** A bit string of {@code length} bits with {@code set} true. */
    static Value.BitString bits(int length, int... set) {
        Boolean[] bits = new Boolean[length];
        Arrays.fill(bits, false);
        for (int i : set) {
            bits[i] = true;
        }
        return new Value.BitString(Arrays.asList(bits));
    }
}
