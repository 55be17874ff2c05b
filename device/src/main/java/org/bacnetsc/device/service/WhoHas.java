package org.bacnetsc.device.service;

import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * Who-Has (unconfirmed 7): optional {@code [0]} low and {@code [1]} high device instance limits (both or neither,
 * as Who-Is), then the object asked for: {@code [2]} ObjectIdentifier or {@code [3]} CharacterString name.
 *
 * @param low    the lowest device instance asked, or null for all devices
 * @param high   the highest, null exactly when {@code low} is
 * @param object the object's identifier, or null when asked by name
 * @param name   the object's name, or null when asked by identifier
 */
public record WhoHas(Long low, Long high, Value.ObjectId object, String name) {

    /** Checks both-or-neither limits and exactly one of object and name. */
    public WhoHas {
        if ((low == null) != (high == null)) {
            throw new IllegalArgumentException("Who-Has limits: both or neither");
        }
        if (low != null) {
            Reader.check(low, 0, WhoIs.MAX_INSTANCE, "Who-Has low limit");
            Reader.check(high, 0, WhoIs.MAX_INSTANCE, "Who-Has high limit");
        }
        if ((object == null) == (name == null)) {
            throw new IllegalArgumentException("Who-Has: an object identifier or a name, exactly one");
        }
    }

    /** Whether a device of instance {@code instance} is in the range (no range: every device). */
    public boolean matches(int instance) {
        return low == null || low <= instance && instance <= high;
    }

    /** The service data (a name in UTF-8). */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        if (low != null) {
            Tags.writeContext(b, 0, new Value.Unsigned(low));
            Tags.writeContext(b, 1, new Value.Unsigned(high));
        }
        if (object != null) {
            Tags.writeContext(b, 2, object);
        } else {
            Tags.writeContext(b, 3, Value.CharacterString.utf8(name));
        }
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<WhoHas> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            Long low = null;
            Long high = null;
            if (r.isContext(0)) {
                low = Reader.inRange(r.unsigned(0, "Who-Has low limit"), 0, WhoIs.MAX_INSTANCE, "Who-Has low limit");
                if (!r.isContext(1)) {
                    throw Reader.stop(ServiceDecode.MISSING_REQUIRED_PARAMETER, "Who-Has with a low limit only");
                }
                high = Reader.inRange(r.unsigned(1, "Who-Has high limit"), 0, WhoIs.MAX_INSTANCE,
                        "Who-Has high limit");
            } else if (r.isContext(1)) {
                throw Reader.stop(ServiceDecode.MISSING_REQUIRED_PARAMETER, "Who-Has with a high limit only");
            }
            if (r.isContext(2)) {
                return new WhoHas(low, high, r.objectId(2, "Who-Has object identifier"), null);
            }
            if (r.isContext(3)) {
                return new WhoHas(low, high, null, r.string(3, "Who-Has object name"));
            }
            throw r.unexpected("Who-Has object identifier [2] or name [3]");
        });
    }
}
