package org.bacnetsc.network;

import java.util.List;
import org.apache.pekko.util.ByteString;

/** A network layer message (Clause 6.4; digest §5): one record per message type. */
public sealed interface NetworkMessage {

    /** Its Message Type octet. */
    int type();

    /**
     * Who-Is-Router-To-Network (0x00).
     *
     * @param dnet the network asked for, or null for every network
     */
    record WhoIsRouterToNetwork(Integer dnet) implements NetworkMessage {
        @Override
        public int type() {
            return NetworkMessageType.WHO_IS_ROUTER_TO_NETWORK.code();
        }
    }

    /**
     * I-Am-Router-To-Network (0x01).
     *
     * @param dnets one or more networks reachable through the sender
     */
    record IAmRouterToNetwork(List<Integer> dnets) implements NetworkMessage {
        /** Copies the list. */
        public IAmRouterToNetwork {
            dnets = List.copyOf(dnets);
        }

        @Override
        public int type() {
            return NetworkMessageType.I_AM_ROUTER_TO_NETWORK.code();
        }
    }

    /**
     * I-Could-Be-Router-To-Network (0x02).
     *
     * @param dnet             the network
     * @param performanceIndex lower is better
     */
    record ICouldBeRouterToNetwork(int dnet, int performanceIndex) implements NetworkMessage {
        @Override
        public int type() {
            return NetworkMessageType.I_COULD_BE_ROUTER_TO_NETWORK.code();
        }
    }

    /**
     * Reject-Message-To-Network (0x03).
     *
     * @param reason the reason code as sent (see {@link RejectReason#find})
     * @param dnet   the network that could not be reached
     */
    record RejectMessageToNetwork(int reason, int dnet) implements NetworkMessage {
        /** With a known reason. */
        public RejectMessageToNetwork(RejectReason reason, int dnet) {
            this(reason.code(), dnet);
        }

        @Override
        public int type() {
            return NetworkMessageType.REJECT_MESSAGE_TO_NETWORK.code();
        }
    }

    /**
     * Router-Busy-To-Network (0x04).
     *
     * @param dnets the networks, empty for all reached through the sender
     */
    record RouterBusyToNetwork(List<Integer> dnets) implements NetworkMessage {
        /** Copies the list. */
        public RouterBusyToNetwork {
            dnets = List.copyOf(dnets);
        }

        @Override
        public int type() {
            return NetworkMessageType.ROUTER_BUSY_TO_NETWORK.code();
        }
    }

    /**
     * Router-Available-To-Network (0x05).
     *
     * @param dnets the networks, empty for all reached through the sender
     */
    record RouterAvailableToNetwork(List<Integer> dnets) implements NetworkMessage {
        /** Copies the list. */
        public RouterAvailableToNetwork {
            dnets = List.copyOf(dnets);
        }

        @Override
        public int type() {
            return NetworkMessageType.ROUTER_AVAILABLE_TO_NETWORK.code();
        }
    }

    /**
     * One entry of Initialize-Routing-Table(-Ack).
     *
     * @param dnet     the network
     * @param portId   the port (0 in an Initialize-Routing-Table: delete the entry)
     * @param portInfo the port information octets (often empty)
     */
    record RoutingTableEntry(int dnet, int portId, ByteString portInfo) {
    }

    /**
     * Initialize-Routing-Table (0x06).
     *
     * @param entries the entries; empty asks for the whole table
     */
    record InitializeRoutingTable(List<RoutingTableEntry> entries) implements NetworkMessage {
        /** Copies the list. */
        public InitializeRoutingTable {
            entries = List.copyOf(entries);
        }

        @Override
        public int type() {
            return NetworkMessageType.INITIALIZE_ROUTING_TABLE.code();
        }
    }

    /**
     * Initialize-Routing-Table-Ack (0x07).
     *
     * @param entries the table (answer to a query) or nothing
     */
    record InitializeRoutingTableAck(List<RoutingTableEntry> entries) implements NetworkMessage {
        /** Copies the list. */
        public InitializeRoutingTableAck {
            entries = List.copyOf(entries);
        }

        @Override
        public int type() {
            return NetworkMessageType.INITIALIZE_ROUTING_TABLE_ACK.code();
        }
    }

    /**
     * Establish-Connection-To-Network (0x08), PTP only.
     *
     * @param dnet            the network
     * @param terminationTime seconds, 0 = permanent
     */
    record EstablishConnectionToNetwork(int dnet, int terminationTime) implements NetworkMessage {
        @Override
        public int type() {
            return NetworkMessageType.ESTABLISH_CONNECTION_TO_NETWORK.code();
        }
    }

    /**
     * Disconnect-Connection-To-Network (0x09), PTP only.
     *
     * @param dnet the network
     */
    record DisconnectConnectionToNetwork(int dnet) implements NetworkMessage {
        @Override
        public int type() {
            return NetworkMessageType.DISCONNECT_CONNECTION_TO_NETWORK.code();
        }
    }

    /** What-Is-Network-Number (0x12). */
    enum WhatIsNetworkNumber implements NetworkMessage {
        INSTANCE;

        @Override
        public int type() {
            return NetworkMessageType.WHAT_IS_NETWORK_NUMBER.code();
        }
    }

    /**
     * Network-Number-Is (0x13).
     *
     * @param network    the network number
     * @param configured whether it is configured (flag non-zero) rather than learned (0); BACpypes3 writes 3
     */
    record NetworkNumberIs(int network, boolean configured) implements NetworkMessage {
        @Override
        public int type() {
            return NetworkMessageType.NETWORK_NUMBER_IS.code();
        }
    }

    /**
     * A proprietary message (type 0x80-0xFF).
     *
     * @param type     the message type
     * @param vendorId the vendor
     * @param data     what follows the vendor ID
     */
    record Proprietary(int type, int vendorId, ByteString data) implements NetworkMessage {
    }

    /**
     * A message type we do not interpret: Clause 24 security messages (0x0A-0x11, ignored) and reserved types
     * (0x14-0x7F, a router answers Reject reason 3).
     *
     * @param type the message type
     * @param data what follows it
     */
    record Unknown(int type, ByteString data) implements NetworkMessage {
        /** Whether the type is reserved (0x14-0x7F), as opposed to a Clause 24 security message. */
        public boolean reserved() {
            return type >= 0x14 && type < NetworkMessageType.FIRST_PROPRIETARY;
        }
    }
}
