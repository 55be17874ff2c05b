package org.bacnetsc.network;

import org.apache.pekko.util.ByteString;

/**
 * One NPDU (Clause 6.2; digest §2): the control information, the optional destination (DNET, DADR, hop count) and
 * source (SNET, SADR), and either a network layer message or an APDU. Addresses are the raw MAC octets of the
 * network they belong to (6 for BACnet/IP and BACnet/SC); an empty DADR with a DNET is a broadcast on that network,
 * DNET 0xFFFF a global broadcast.
 *
 * @param expectingReply control bit 2
 * @param priority       control bits 1-0
 * @param dnet           the destination network (1-65535), or null for the local network
 * @param dadr           the destination address on {@code dnet} (empty: broadcast); null exactly when dnet is null
 * @param snet           the source network (1-65534), or null
 * @param sadr           the source address (1-255 octets); null exactly when snet is null
 * @param hopCount       0-255; present exactly when dnet is
 * @param message        the network layer message, or null for an APDU
 * @param apdu           the APDU, or null for a network layer message
 */
public record Npdu(boolean expectingReply, NetworkPriority priority, Integer dnet, ByteString dadr, Integer snet,
                   ByteString sadr, Integer hopCount, NetworkMessage message, ByteString apdu) {

    /** The global broadcast network number. */
    public static final int GLOBAL = 0xFFFF;
    /** The hop count an originator sets. */
    public static final int INITIAL_HOP_COUNT = 255;

    /** Validates the combination (an NPDU that cannot be encoded cannot be made). */
    public Npdu {
        if ((message == null) == (apdu == null)) {
            throw new IllegalArgumentException("an NPDU carries either a network layer message or an APDU");
        }
        if (priority == null) {
            throw new IllegalArgumentException("priority is required");
        }
        if ((dnet == null) != (dadr == null) || (dnet == null) != (hopCount == null)) {
            throw new IllegalArgumentException("DNET, DADR and hop count come together");
        }
        if (dnet != null && (dnet < 1 || dnet > GLOBAL)) {
            throw new IllegalArgumentException("DNET " + dnet + " is not 1-65535");
        }
        if (dnet != null && dnet == GLOBAL && !dadr.isEmpty()) {
            throw new IllegalArgumentException("a global broadcast has no DADR");
        }
        if (dadr != null && dadr.size() > 255) {
            throw new IllegalArgumentException("DADR of " + dadr.size() + " octets");
        }
        if (hopCount != null && (hopCount < 0 || hopCount > 255)) {
            throw new IllegalArgumentException("hop count " + hopCount + " is not 0-255");
        }
        if ((snet == null) != (sadr == null)) {
            throw new IllegalArgumentException("SNET and SADR come together");
        }
        if (snet != null && (snet < 1 || snet >= GLOBAL)) {
            throw new IllegalArgumentException("SNET " + snet + " is not 1-65534");
        }
        if (sadr != null && (sadr.isEmpty() || sadr.size() > 255)) {
            throw new IllegalArgumentException("SADR of " + sadr.size() + " octets");
        }
    }

    /** An APDU for the local network, normal priority. */
    public static Npdu local(ByteString apdu, boolean expectingReply) {
        return new Npdu(expectingReply, NetworkPriority.NORMAL, null, null, null, null, null, null, apdu);
    }

    /** A network layer message for the local network, normal priority. */
    public static Npdu local(NetworkMessage message) {
        return new Npdu(false, NetworkPriority.NORMAL, null, null, null, null, null, message, null);
    }

    /** Whether this carries a network layer message. */
    public boolean isNetworkMessage() {
        return message != null;
    }

    /** Whether a destination network is given. */
    public boolean hasDestination() {
        return dnet != null;
    }

    /** Whether a source network is given. */
    public boolean hasSource() {
        return snet != null;
    }

    /** The same with a destination (hop count as given). */
    public Npdu withDestination(int network, ByteString address, int hops) {
        return new Npdu(expectingReply, priority, network, address, snet, sadr, hops, message, apdu);
    }

    /** The same without destination and hop count (the last hop). */
    public Npdu withoutDestination() {
        return new Npdu(expectingReply, priority, null, null, snet, sadr, null, message, apdu);
    }

    /** The same with a source. */
    public Npdu withSource(int network, ByteString address) {
        return new Npdu(expectingReply, priority, dnet, dadr, network, address, hopCount, message, apdu);
    }

    /** The same with another hop count (requires a destination). */
    public Npdu withHopCount(int hops) {
        return new Npdu(expectingReply, priority, dnet, dadr, snet, sadr, hops, message, apdu);
    }
}
