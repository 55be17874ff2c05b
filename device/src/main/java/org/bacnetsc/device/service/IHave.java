package org.bacnetsc.device.service;

import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * I-Have (unconfirmed 1): A:ObjectIdentifier device, A:ObjectIdentifier object, A:CharacterString object name.
 *
 * @param device the answering device
 * @param object the object it has
 * @param name   the object's name
 */
public record IHave(Value.ObjectId device, Value.ObjectId object, String name) {

    /** Checks that every field is there. */
    public IHave {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(name, "name");
    }

    /** The service data (the name in UTF-8). */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeApplication(b, device);
        Tags.writeApplication(b, object);
        Tags.writeApplication(b, Value.CharacterString.utf8(name));
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<IHave> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> new IHave(r.objectId("I-Have device identifier"),
                r.objectId("I-Have object identifier"), r.string("I-Have object name")));
    }
}
