package org.bacnetsc.device.service;

import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * ReadProperty-ACK (ComplexACK of confirmed 12): {@code [0]} ObjectIdentifier, {@code [1]} property, {@code [2]}
 * array index (when asked), {@code [3]} opening, the value, {@code [3]} closing.
 *
 * @param object     the object (its real identifier, also when asked as device 4194303)
 * @param property   the property identifier
 * @param arrayIndex the array index asked for, or null
 * @param value      the raw encoding between the {@code [3]} tags: application-tagged values and/or constructed
 *                   context-tagged data, nested opening/closing pairs of any numbers; empty for an empty list
 */
public record ReadPropertyAck(Value.ObjectId object, long property, Long arrayIndex, ByteString value) {

    /** Checks that the object is there and the value is a sequence of complete, balanced tags. */
    public ReadPropertyAck {
        Objects.requireNonNull(object, "object");
        Reader.checkBalanced(value, "ReadProperty-ACK value");
    }

    /** The service data. */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeContext(b, 0, object);
        Tags.writeContext(b, 1, new Value.Enumerated(property));
        if (arrayIndex != null) {
            Tags.writeContext(b, 2, new Value.Unsigned(arrayIndex));
        }
        Tags.writeOpening(b, 3);
        b.append(value);
        Tags.writeClosing(b, 3);
        return b.result();
    }

    /** Decodes the service data; the value ends at the {@code [3]} closing tag that matches by nesting depth. */
    public static ServiceDecode<ReadPropertyAck> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            Value.ObjectId object = r.objectId(0, "ReadProperty-ACK object identifier");
            long property = r.enumerated(1, "ReadProperty-ACK property identifier");
            Long index = r.isContext(2) ? r.unsigned(2, "ReadProperty-ACK array index") : null;
            ByteString value = r.constructed(3, "ReadProperty-ACK value");
            return new ReadPropertyAck(object, property, index, value);
        });
    }
}
