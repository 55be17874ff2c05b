package org.bacnetsc.device.service;

import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * AtomicReadFile-Request (confirmed 6): A:ObjectIdentifier file, then {@code [0]} opening A:Signed start position
 * A:Unsigned octet count {@code [0]} closing (stream access), or {@code [1]} opening A:Signed start record
 * A:Unsigned record count {@code [1]} closing (record access). Its ACK is {@link AtomicReadFileAck}.
 *
 * @param file          the File object
 * @param streamAccess  true for stream access, false for record access
 * @param start         the start position (octets) or start record; negative values are the executor's to refuse
 * @param count         octets or records asked for (Unsigned, read as unsigned)
 */
public record AtomicReadFile(Value.ObjectId file, boolean streamAccess, long start, long count) {

    /** Checks that the file is there. */
    public AtomicReadFile {
        Objects.requireNonNull(file, "file");
    }

    /** The service data. */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeApplication(b, file);
        int n = streamAccess ? 0 : 1;
        Tags.writeOpening(b, n);
        Tags.writeApplication(b, new Value.Signed(start));
        Tags.writeApplication(b, new Value.Unsigned(count));
        Tags.writeClosing(b, n);
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<AtomicReadFile> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            Value.ObjectId file = r.objectId("AtomicReadFile file identifier");
            boolean stream;
            if (r.isOpening(0)) {
                stream = true;
            } else if (r.isOpening(1)) {
                stream = false;
            } else {
                throw r.unexpected("AtomicReadFile stream access [0] or record access [1]");
            }
            int n = stream ? 0 : 1;
            String what = stream ? "AtomicReadFile stream access" : "AtomicReadFile record access";
            r.open(n, what);
            long start = r.signed(stream ? "AtomicReadFile file start position" : "AtomicReadFile file start record");
            long count = r.unsigned(stream ? "AtomicReadFile octet count" : "AtomicReadFile record count");
            r.close(n, what);
            return new AtomicReadFile(file, stream, start, count);
        });
    }
}
