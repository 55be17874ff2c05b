package org.bacnetsc.device.service;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * The access-method CHOICE that AtomicReadFile-ACK and AtomicWriteFile-Request share: {@code [0]} opening A:Signed
 * start A:OctetString data {@code [0]} closing (stream), or {@code [1]} opening A:Signed start-record A:Unsigned
 * record count, that many A:OctetStrings {@code [1]} closing (record).
 */
final class FileAccess {

    private FileAccess() {
    }

    /**
     * The choice, read.
     *
     * @param stream true for stream access
     * @param start  the start position or record
     * @param data   one element for stream access, the records for record access
     */
    record Data(boolean stream, long start, List<ByteString> data) {
    }

    /** Checks that stream access carries exactly one data element; gives the copied list. */
    static List<ByteString> check(boolean stream, List<ByteString> data, String what) {
        List<ByteString> copy = List.copyOf(data);
        if (stream && copy.size() != 1) {
            throw new IllegalArgumentException(what + ": stream access carries exactly one octet string, got "
                    + copy.size());
        }
        return copy;
    }

    static void write(ByteStringBuilder b, boolean stream, long start, List<ByteString> data) {
        int n = stream ? 0 : 1;
        Tags.writeOpening(b, n);
        Tags.writeApplication(b, new Value.Signed(start));
        if (!stream) {
            Tags.writeApplication(b, new Value.Unsigned(data.size()));
        }
        for (ByteString d : data) {
            Tags.writeApplication(b, new Value.OctetString(d));
        }
        Tags.writeClosing(b, n);
    }

    static Data read(Reader r, String what) {
        if (r.isOpening(0)) {
            r.open(0, what + " stream access");
            long start = r.signed(what + " file start position");
            ByteString data = r.octets(what + " file data");
            r.close(0, what + " stream access");
            return new Data(true, start, List.of(data));
        }
        if (r.isOpening(1)) {
            r.open(1, what + " record access");
            long start = r.signed(what + " file start record");
            long count = r.unsigned(what + " record count");
            List<ByteString> records = new ArrayList<>();
            // each record takes at least one octet: a count beyond the data ends the loop as missing data
            for (long i = 0; Long.compareUnsigned(i, count) < 0; i++) {
                records.add(r.octets(what + " file record data " + i));
            }
            r.close(1, what + " record access (after " + Long.toUnsignedString(count) + " records)");
            return new Data(false, start, records);
        }
        throw r.unexpected(what + " stream access [0] or record access [1]");
    }
}
