package org.bacnetsc.device.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * ReadPropertyMultiple-ACK (ComplexACK of confirmed 14): one or more {@link ReadAccessResult}s, each {@code [0]}
 * object, {@code [1]} opening, per property {@code [2]} property, {@code [3]} array index (optional), then
 * {@code [4]} opening value {@code [4]} closing or {@code [5]} opening A:Enumerated class A:Enumerated code
 * {@code [5]} closing; {@code [1]} closing. A result's list may be empty ({@code 1E 1F}: OPTIONAL of an object
 * without optional properties, addendum 135-2016bl-2).
 *
 * @param results at least one
 */
public record ReadPropertyMultipleAck(List<ReadAccessResult> results) {

    /** Copies the list and checks that it is not empty. */
    public ReadPropertyMultipleAck {
        results = List.copyOf(results);
        if (results.isEmpty()) {
            throw new IllegalArgumentException("ReadPropertyMultiple-ACK: at least one read access result");
        }
    }

    /**
     * One object's results.
     *
     * @param object  the object
     * @param results its properties' values or errors, possibly none
     */
    public record ReadAccessResult(Value.ObjectId object, List<ResultElement> results) {
        /** Copies the list. */
        public ReadAccessResult {
            Objects.requireNonNull(object, "object");
            results = List.copyOf(results);
        }
    }

    /**
     * One property's value or error.
     *
     * @param property   the property identifier
     * @param arrayIndex the array index, or null
     * @param value      the raw encoding between the {@code [4]} tags (balanced, like ReadProperty-ACK's), or null
     * @param error      the property access error, or null; exactly one of value and error
     */
    public record ResultElement(long property, Long arrayIndex, ByteString value, ScTypes.ErrorValue error) {
        /** Checks that exactly one of value and error is there, and that a value's tags are balanced. */
        public ResultElement {
            if ((value == null) == (error == null)) {
                throw new IllegalArgumentException("a result element has a value or an error, exactly one");
            }
            if (value != null) {
                Reader.checkBalanced(value, "read result value");
            }
        }

        /** A value. */
        public static ResultElement value(long property, Long arrayIndex, ByteString value) {
            return new ResultElement(property, arrayIndex, value, null);
        }

        /** An error. */
        public static ResultElement error(long property, Long arrayIndex, long errorClass, long errorCode) {
            return new ResultElement(property, arrayIndex, null, new ScTypes.ErrorValue(errorClass, errorCode));
        }
    }

    /** The service data. */
    public ByteString encode() {
        ByteStringBuilder b = ByteString.newBuilder();
        for (ReadAccessResult result : results) {
            writeResult(b, result);
        }
        return b.result();
    }

    /** Appends one ReadAccessResult (also the unit an ACK that must fit is built from). */
    public static void writeResult(ByteStringBuilder b, ReadAccessResult result) {
        Tags.writeContext(b, 0, result.object());
        Tags.writeOpening(b, 1);
        for (ResultElement e : result.results()) {
            Tags.writeContext(b, 2, new Value.Enumerated(e.property()));
            if (e.arrayIndex() != null) {
                Tags.writeContext(b, 3, new Value.Unsigned(e.arrayIndex()));
            }
            if (e.value() != null) {
                Tags.writeOpening(b, 4);
                b.append(e.value());
                Tags.writeClosing(b, 4);
            } else {
                ScTypes.writeError(b, 5, e.error());
            }
        }
        Tags.writeClosing(b, 1);
    }

    /** Decodes the service data. */
    public static ServiceDecode<ReadPropertyMultipleAck> decode(ByteString serviceData) {
        return Reader.run(serviceData, r -> {
            List<ReadAccessResult> results = new ArrayList<>();
            do {
                Value.ObjectId object = r.objectId(0, "RPM-ACK object identifier");
                r.open(1, "RPM-ACK list of results");
                List<ResultElement> elements = new ArrayList<>();
                while (!r.isClosing(1)) {
                    elements.add(element(r));
                }
                r.close(1, "RPM-ACK list of results");
                results.add(new ReadAccessResult(object, elements));
            } while (!r.atEnd());
            return new ReadPropertyMultipleAck(results);
        });
    }

    private static ResultElement element(Reader r) {
        long property = r.enumerated(2, "RPM-ACK property identifier");
        Long index = r.isContext(3) ? r.unsigned(3, "RPM-ACK array index") : null;
        if (r.isOpening(4)) {
            return ResultElement.value(property, index, r.constructed(4, "RPM-ACK property value"));
        }
        if (r.isOpening(5)) {
            r.open(5, "RPM-ACK property access error");
            long errorClass = r.enumerated("RPM-ACK error class");
            long errorCode = r.enumerated("RPM-ACK error code");
            r.close(5, "RPM-ACK property access error");
            return ResultElement.error(property, index, errorClass, errorCode);
        }
        throw r.unexpected("RPM-ACK property value [4] or error [5]");
    }
}
