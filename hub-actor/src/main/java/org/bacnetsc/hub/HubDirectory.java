package org.bacnetsc.hub;

import java.util.Collection;
import org.apache.pekko.actor.typed.ActorRef;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.Connection;
import org.bacnetsc.connection.FrameSink;

/**
 * The hub's routing tables (digest §9, §10): VMAC to connection, UUID to connection, and the reservations taken at
 * Connect-Request. Behind this interface so that a cluster-wide directory can replace the local one.
 */
public interface HubDirectory {

    /** The outcome of an admission check. */
    sealed interface Admission permits Admit, Replace, Duplicate {
    }

    /** The peer is new: its VMAC is now reserved for it. */
    enum Admit implements Admission {
        INSTANCE
    }

    /**
     * The peer's UUID belongs to an existing connection (a reconnect): the VMAC now points to the new connection and
     * the old one is to be disconnected.
     *
     * @param previous the old connection
     */
    record Replace(ActorRef<Connection.Command> previous) implements Admission {
    }

    /**
     * The VMAC is used by another device.
     *
     * @param holder the connection holding it
     */
    record Duplicate(ActorRef<Connection.Command> holder) implements Admission {
    }

    /**
     * A routing entry.
     *
     * @param connection the connection
     * @param vmac       the peer's VMAC
     * @param uuid       the peer's Device UUID
     * @param maxBvlc    the peer's Max-BVLC (0 while only reserved)
     * @param connected  whether the handshake completed
     * @param sink       the connection's socket for routed frames once connected, or null (then
     *                   {@link Connection.Forward} to the connection)
     */
    record Entry(ActorRef<Connection.Command> connection, Vmac vmac, DeviceUuid uuid, int maxBvlc,
                 boolean connected, FrameSink sink) {
    }

    /** Checks UUID first, then VMAC (digest §9), and reserves the VMAC when the peer may connect. */
    Admission admit(ActorRef<Connection.Command> connection, Vmac vmac, DeviceUuid uuid);

    /**
     * The handshake of a reserved connection completed.
     *
     * @param sink where routed frames for it go, or null
     */
    void connected(ActorRef<Connection.Command> connection, int maxBvlc, FrameSink sink);

    /** The connection is gone; its entries are removed unless they already point to a newer connection. */
    void remove(ActorRef<Connection.Command> connection);

    /** The connected entry for a VMAC, or null. */
    Entry lookup(Vmac vmac);

    /** The entry of a connection, or null. */
    Entry entryOf(ActorRef<Connection.Command> connection);

    /** Every connected entry. */
    Collection<Entry> connected();

    /**
     * Hands a node-ready unicast for a VMAC that is not connected here to the member that holds it (clustered hub).
     *
     * @return whether another member holds the VMAC
     */
    default boolean forwardUnicast(Vmac destination, org.apache.pekko.util.ByteString frame) {
        return false;
    }

    /**
     * Hands a node-ready broadcast to every other member (clustered hub).
     *
     * @return how many members it was handed to
     */
    default int forwardBroadcast(org.apache.pekko.util.ByteString frame) {
        return 0;
    }
}
