package org.bacnetsc.device.service;

import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * I-Am (unconfirmed 0): A:ObjectIdentifier device, A:Unsigned max-APDU accepted, A:Enumerated segmentation
 * supported, A:Unsigned16 vendor ID.
 *
 * @param device       the device's identifier
 * @param maxApdu      Max_APDU_Length_Accepted (Unsigned, read as unsigned)
 * @param segmentation Segmentation_Supported: 0 both, 1 transmit, 2 receive, 3 none
 * @param vendorId     0-65535
 */
public record IAm(Value.ObjectId device, long maxApdu, int segmentation, int vendorId) {

    /** Checks the fields. */
    public IAm {
        Objects.requireNonNull(device, "device");
        Reader.check(segmentation, 0, Integer.MAX_VALUE, "segmentation");
        Reader.check(vendorId, 0, 0xFFFF, "vendor ID");
    }

    /** The service data. */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeApplication(b, device);
        Tags.writeApplication(b, new Value.Unsigned(maxApdu));
        Tags.writeApplication(b, new Value.Enumerated(segmentation));
        Tags.writeApplication(b, new Value.Unsigned(vendorId));
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<IAm> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            Value.ObjectId device = r.objectId("I-Am device identifier");
            long maxApdu = r.unsigned("I-Am max-APDU");
            long segmentation = Reader.inRange(r.enumerated("I-Am segmentation"), 0, Integer.MAX_VALUE,
                    "I-Am segmentation");
            long vendor = Reader.inRange(r.unsigned("I-Am vendor ID"), 0, 0xFFFF, "I-Am vendor ID");
            return new IAm(device, maxApdu, (int) segmentation, (int) vendor);
        });
    }
}
