package org.bacnetsc.device.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * ReadPropertyMultiple-Request (confirmed 14): one or more {@link ReadAccessSpec}s, each {@code [0]} object,
 * {@code [1]} opening, one or more {@link PropertyReference}s ({@code [0]} property, {@code [1]} array index
 * optional), {@code [1]} closing. No spec, or a spec without a property, is missing data (5). Its ACK is
 * {@link ReadPropertyMultipleAck}.
 *
 * @param specs the objects and their properties, at least one
 */
public record ReadPropertyMultiple(List<ReadAccessSpec> specs) {

    /** Copies the list and checks that it is not empty. */
    public ReadPropertyMultiple {
        specs = List.copyOf(specs);
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("ReadPropertyMultiple: at least one read access specification");
        }
    }

    /**
     * One object and the properties read from it.
     *
     * @param object     the object (ALL/REQUIRED/OPTIONAL are property identifiers 8/105/80)
     * @param properties at least one
     */
    public record ReadAccessSpec(Value.ObjectId object, List<PropertyReference> properties) {
        /** Copies the list and checks that it is not empty. */
        public ReadAccessSpec {
            Objects.requireNonNull(object, "object");
            properties = List.copyOf(properties);
            if (properties.isEmpty()) {
                throw new IllegalArgumentException("read access specification of " + object + ": no property");
            }
        }
    }

    /**
     * BACnetPropertyReference.
     *
     * @param property   the property identifier
     * @param arrayIndex the array index, or null
     */
    public record PropertyReference(long property, Long arrayIndex) {
    }

    /** The service data. */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        for (ReadAccessSpec spec : specs) {
            Tags.writeContext(b, 0, spec.object());
            Tags.writeOpening(b, 1);
            for (PropertyReference p : spec.properties()) {
                Tags.writeContext(b, 0, new Value.Enumerated(p.property()));
                if (p.arrayIndex() != null) {
                    Tags.writeContext(b, 1, new Value.Unsigned(p.arrayIndex()));
                }
            }
            Tags.writeClosing(b, 1);
        }
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<ReadPropertyMultiple> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            List<ReadAccessSpec> specs = new ArrayList<>();
            do {
                Value.ObjectId object = r.objectId(0, "ReadPropertyMultiple object identifier");
                r.open(1, "ReadPropertyMultiple list of property references");
                List<PropertyReference> properties = new ArrayList<>();
                do {
                    long property = r.enumerated(0, "ReadPropertyMultiple property identifier");
                    Long index = r.isContext(1) ? r.unsigned(1, "ReadPropertyMultiple array index") : null;
                    properties.add(new PropertyReference(property, index));
                } while (!r.isClosing(1));
                r.close(1, "ReadPropertyMultiple list of property references");
                specs.add(new ReadAccessSpec(object, properties));
            } while (!r.atEnd());
            return new ReadPropertyMultiple(specs);
        });
    }
}
