package org.bacnetsc.device.service;

import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * ReadProperty-Request (confirmed 12): {@code [0]} ObjectIdentifier, {@code [1]} Enumerated property, {@code [2]}
 * Unsigned array index (optional). Its ACK is {@link ReadPropertyAck}.
 *
 * @param object     the object (instance 4194303 of a device: the receiving device itself)
 * @param property   the property identifier
 * @param arrayIndex the array index (0 = the element count), or null for the whole property
 */
public record ReadProperty(Value.ObjectId object, long property, Long arrayIndex) {

    /** Checks that the object is there. */
    public ReadProperty {
        Objects.requireNonNull(object, "object");
    }

    /** The service data. */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeContext(b, 0, object);
        Tags.writeContext(b, 1, new Value.Enumerated(property));
        if (arrayIndex != null) {
            Tags.writeContext(b, 2, new Value.Unsigned(arrayIndex));
        }
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<ReadProperty> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            Value.ObjectId object = r.objectId(0, "ReadProperty object identifier");
            long property = r.enumerated(1, "ReadProperty property identifier");
            Long index = r.isContext(2) ? r.unsigned(2, "ReadProperty array index") : null;
            return new ReadProperty(object, property, index);
        });
    }
}
