package org.bacnetsc.device.service;

import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * AtomicWriteFile-ACK (ComplexACK of confirmed 7): {@code [0]} Signed actual start position (stream access) or
 * {@code [1]} Signed actual start record (record access).
 *
 * @param streamAccess true for stream access
 * @param start        where the data was written
 */
public record AtomicWriteFileAck(boolean streamAccess, long start) {

    /** The service data. */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeContext(b, streamAccess ? 0 : 1, new Value.Signed(start));
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<AtomicWriteFileAck> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            if (r.isContext(0)) {
                return new AtomicWriteFileAck(true, r.signed(0, "AtomicWriteFile-ACK file start position"));
            }
            if (r.isContext(1)) {
                return new AtomicWriteFileAck(false, r.signed(1, "AtomicWriteFile-ACK file start record"));
            }
            throw r.unexpected("AtomicWriteFile-ACK start position [0] or start record [1]");
        });
    }
}
