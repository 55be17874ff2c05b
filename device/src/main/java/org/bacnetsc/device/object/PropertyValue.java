package org.bacnetsc.device.object;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * What reading a property gives: its encoded value (one value, or a BACnetLIST's elements concatenated), a BACnetARRAY's
 * elements (each encoded; the object answers index 0 with the count and index n with element n), or an error.
 */
public sealed interface PropertyValue {

    /**
     * One value, or the elements of a LIST concatenated, as they go between the {@code [3]} tags of a
     * ReadProperty-ACK.
     *
     * @param data the application- or context-tagged octets
     */
    record Encoded(ByteString data) implements PropertyValue {
    }

    /**
     * A BACnetARRAY.
     *
     * @param elements each element's encoding
     */
    record Array(List<ByteString> elements) implements PropertyValue {
        /** Copies the list. */
        public Array {
            elements = List.copyOf(elements);
        }
    }

    /**
     * Reading failed.
     *
     * @param errorClass the error class (2 PROPERTY, ...)
     * @param errorCode  the error code (27 READ_ACCESS_DENIED, ...)
     */
    record Failure(long errorClass, long errorCode) implements PropertyValue {
    }

    /** One primitive value, application-tagged. */
    static PropertyValue of(Value v) {
        return new Encoded(Tags.application(v));
    }

    /** A UTF-8 CharacterString. */
    static PropertyValue of(String s) {
        return of(Value.CharacterString.utf8(s));
    }

    /** An Unsigned. */
    static PropertyValue unsigned(long v) {
        return of(new Value.Unsigned(v));
    }

    /** An Enumerated. */
    static PropertyValue enumerated(long v) {
        return of(new Value.Enumerated(v));
    }

    /** A Boolean. */
    static PropertyValue bool(boolean v) {
        return of(new Value.Bool(v));
    }

    /** Already encoded octets (a constructed value or a LIST's elements). */
    static PropertyValue encoded(ByteString data) {
        return new Encoded(data);
    }

    /** A LIST of primitive values. */
    static PropertyValue list(List<? extends Value> values) {
        ByteStringBuilder b = new ByteStringBuilder();
        values.forEach(v -> Tags.writeApplication(b, v));
        return new Encoded(b.result());
    }

    /** A BACnetARRAY of primitive values. */
    static PropertyValue array(List<? extends Value> values) {
        List<ByteString> out = new ArrayList<>(values.size());
        values.forEach(v -> out.add(Tags.application(v)));
        return new Array(out);
    }

    /** An error. */
    static PropertyValue failure(long errorClass, long errorCode) {
        return new Failure(errorClass, errorCode);
    }
}
