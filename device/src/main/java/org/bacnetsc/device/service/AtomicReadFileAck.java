package org.bacnetsc.device.service;

import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * AtomicReadFile-ACK (ComplexACK of confirmed 6): A:Boolean end-of-file, then {@code [0]} opening A:Signed start
 * position A:OctetString data {@code [0]} closing (stream access), or {@code [1]} opening A:Signed start record
 * A:Unsigned record count, that many A:OctetStrings {@code [1]} closing (record access). A record count that differs
 * from the records present does not decode.
 *
 * @param endOfFile    whether the data reaches the end of the file
 * @param streamAccess true for stream access
 * @param start        the start position or start record
 * @param data         exactly one element for stream access; the records for record access
 */
public record AtomicReadFileAck(boolean endOfFile, boolean streamAccess, long start, List<ByteString> data) {

    /** Copies the list; stream access carries exactly one element. */
    public AtomicReadFileAck {
        data = FileAccess.check(streamAccess, data, "AtomicReadFile-ACK");
    }

    /** A stream-access ACK. */
    public static AtomicReadFileAck stream(boolean endOfFile, long start, ByteString data) {
        return new AtomicReadFileAck(endOfFile, true, start, List.of(data));
    }

    /** The service data. */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeApplication(b, new Value.Bool(endOfFile));
        FileAccess.write(b, streamAccess, start, data);
        return b.result();
    }

    /** Decodes the service data. */
    public static ServiceDecode<AtomicReadFileAck> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            boolean eof = r.bool("AtomicReadFile-ACK end-of-file");
            FileAccess.Data d = FileAccess.read(r, "AtomicReadFile-ACK");
            return new AtomicReadFileAck(eof, d.stream(), d.start(), d.data());
        });
    }
}
