package org.bacnetsc.cluster;

/** Marker of the messages that cross cluster members; bound to Jackson CBOR in {@code reference.conf}. */
public interface CborSerializable {
}
