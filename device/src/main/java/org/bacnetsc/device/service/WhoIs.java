package org.bacnetsc.device.service;

import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * Who-Is (unconfirmed 8): {@code [0]} low limit, {@code [1]} high limit, both or neither (device instances
 * 0-4194303). Only one limit decodes as Bad 5: the digest's reading "Who-Is with only one limit: ignore" [best].
 *
 * @param low  the lowest device instance asked for, or null for all devices
 * @param high the highest, null exactly when {@code low} is
 */
public record WhoIs(Long low, Long high) {

    /** The highest device instance (also the wildcard). */
    public static final long MAX_INSTANCE = 4194303;

    /** Checks both-or-neither and the ranges. */
    public WhoIs {
        if ((low == null) != (high == null)) {
            throw new IllegalArgumentException("Who-Is limits: both or neither");
        }
        if (low != null) {
            Reader.check(low, 0, MAX_INSTANCE, "Who-Is low limit");
            Reader.check(high, 0, MAX_INSTANCE, "Who-Is high limit");
        }
    }

    /** A Who-Is for every device. */
    public static WhoIs all() {
        return new WhoIs(null, null);
    }

    /** Whether a device of instance {@code instance} answers: no range, or low <= instance <= high. */
    public boolean matches(int instance) {
        return low == null || low <= instance && instance <= high;
    }

    /** The service data. */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        if (low != null) {
            Tags.writeContext(b, 0, new Value.Unsigned(low));
            Tags.writeContext(b, 1, new Value.Unsigned(high));
        }
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<WhoIs> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            if (r.atEnd()) {
                return all();
            }
            if (r.isContext(1)) {
                throw Reader.stop(ServiceDecode.MISSING_REQUIRED_PARAMETER, "Who-Is with a high limit only");
            }
            long low = r.unsigned(0, "Who-Is low limit");
            long high = r.unsigned(1, "Who-Is high limit");
            return new WhoIs(Reader.inRange(low, 0, MAX_INSTANCE, "Who-Is low limit"),
                    Reader.inRange(high, 0, MAX_INSTANCE, "Who-Is high limit"));
        });
    }
}
