package org.bacnetsc.device.service;

import java.util.List;
import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * AtomicWriteFile-Request (confirmed 7): A:ObjectIdentifier file, then {@code [0]} opening A:Signed start position
 * (-1 = append) A:OctetString data {@code [0]} closing (stream access), or {@code [1]} opening A:Signed start record
 * A:Unsigned record count, that many A:OctetStrings {@code [1]} closing (record access). Its ACK is
 * {@link AtomicWriteFileAck}.
 *
 * @param file         the File object
 * @param streamAccess true for stream access
 * @param start        the start position or start record (-1: append)
 * @param data         exactly one element for stream access; the records for record access
 */
public record AtomicWriteFile(Value.ObjectId file, boolean streamAccess, long start, List<ByteString> data) {

    /** Copies the list; stream access carries exactly one element. */
    public AtomicWriteFile {
        Objects.requireNonNull(file, "file");
        data = FileAccess.check(streamAccess, data, "AtomicWriteFile");
    }

    /** A stream-access write. */
    public static AtomicWriteFile stream(Value.ObjectId file, long start, ByteString data) {
        return new AtomicWriteFile(file, true, start, List.of(data));
    }

    /** The service data. */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeApplication(b, file);
        FileAccess.write(b, streamAccess, start, data);
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<AtomicWriteFile> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            Value.ObjectId file = r.objectId("AtomicWriteFile file identifier");
            FileAccess.Data d = FileAccess.read(r, "AtomicWriteFile");
            return new AtomicWriteFile(file, d.stream(), d.start(), d.data());
        });
    }
}
