package org.bacnetsc.cluster;

import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The frames that cross hub members, as their raw bytes: a unicast is its destination VMAC (8 octets), the sender's
 * clock (8) and the frame; a broadcast the clock and the frame. No JSON or CBOR tree of the frame is built or read.
 */
public final class MemberRouterSerializer extends SerializerWithStringManifest {

    /** Our serializer id (Pekko reserves 0-40). */
    static final int IDENTIFIER = 73_010;
    private static final String UNICAST = "U";
    private static final String BROADCAST = "B";

    /** Created by Pekko's serialization extension. */
    public MemberRouterSerializer(ExtendedActorSystem system) {
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof MemberRouter.Unicast) {
            return UNICAST;
        }
        if (o instanceof MemberRouter.Broadcast) {
            return BROADCAST;
        }
        throw new IllegalArgumentException("not a member router message: " + o.getClass());
    }

    @Override
    public byte[] toBinary(Object o) {
        if (o instanceof MemberRouter.Unicast u) {
            return ByteBuffer.allocate(16 + u.frame().length).putLong(u.vmac()).putLong(u.sentAtMillis())
                    .put(u.frame()).array();
        }
        if (o instanceof MemberRouter.Broadcast b) {
            return ByteBuffer.allocate(8 + b.frame().length).putLong(b.sentAtMillis()).put(b.frame()).array();
        }
        throw new IllegalArgumentException("not a member router message: " + o.getClass());
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            if (UNICAST.equals(manifest)) {
                long vmac = b.getLong();
                long sentAt = b.getLong();
                byte[] frame = new byte[b.remaining()];
                b.get(frame);
                return new MemberRouter.Unicast(vmac, frame, sentAt);
            }
            if (BROADCAST.equals(manifest)) {
                long sentAt = b.getLong();
                byte[] frame = new byte[b.remaining()];
                b.get(frame);
                return new MemberRouter.Broadcast(frame, sentAt);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new NotSerializableException("member router message " + manifest + " of " + bytes.length
                    + " octets is too short");
        }
        throw new NotSerializableException("unknown member router manifest " + manifest);
    }
}
