package org.bacnetsc.device.service;

import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * WriteProperty-Request (confirmed 15): {@code [0]} object, {@code [1]} property, {@code [2]} array index
 * (optional), {@code [3]} opening value {@code [3]} closing, {@code [4]} Unsigned priority 1-16 (optional; outside:
 * Reject 6). The answer is a SimpleACK. The value is not interpreted here (its character set included): the
 * property decides, and answers errors such as PROPERTY/INVALID_DATA_TYPE.
 *
 * @param object     the object
 * @param property   the property identifier
 * @param arrayIndex the array index, or null
 * @param value      the raw encoding between the {@code [3]} tags, balanced; empty is legal (an empty list)
 * @param priority   1-16, or null
 */
public record WriteProperty(Value.ObjectId object, long property, Long arrayIndex, ByteString value,
                            Integer priority) {

    /** Checks the object, the value's tags and the priority's range. */
    public WriteProperty {
        Objects.requireNonNull(object, "object");
        Reader.checkBalanced(value, "WriteProperty value");
        if (priority != null) {
            Reader.check(priority, 1, 16, "WriteProperty priority");
        }
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
        if (priority != null) {
            Tags.writeContext(b, 4, new Value.Unsigned(priority));
        }
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<WriteProperty> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            Value.ObjectId object = r.objectId(0, "WriteProperty object identifier");
            long property = r.enumerated(1, "WriteProperty property identifier");
            Long index = r.isContext(2) ? r.unsigned(2, "WriteProperty array index") : null;
            ByteString value = r.constructed(3, "WriteProperty value");
            Integer priority = r.isContext(4)
                    ? (int) Reader.inRange(r.unsigned(4, "WriteProperty priority"), 1, 16, "WriteProperty priority")
                    : null;
            return new WriteProperty(object, property, index, value, priority);
        });
    }
}
