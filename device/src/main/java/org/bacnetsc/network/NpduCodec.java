package org.bacnetsc.network;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * The NPDU codec (Clause 6.2, 6.4; digest §2, §5): pure functions over bytes. {@link #decode} never throws: a frame
 * that is not a well-formed NPDU comes back as {@link NpduDecodeResult.Dropped} with the reason. Reserved control bits
 * are ignored (nobody rejects them). All multi-octet fields are big-endian.
 */
public final class NpduCodec {

    /** The one protocol version. */
    public static final int VERSION = 0x01;

    private static final int NETWORK_MESSAGE = 0x80;
    private static final int DESTINATION = 0x20;
    private static final int SOURCE = 0x08;
    private static final int EXPECTING_REPLY = 0x04;

    private NpduCodec() {
    }

    /** Thrown inside the decoder only, turned into a Dropped result. */
    private static final class Drop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient NpduDecodeResult.Dropped result;

        Drop(NpduDecodeResult.Reason reason, String detail) {
            super(detail, null, false, false);
            this.result = new NpduDecodeResult.Dropped(reason, detail);
        }
    }

    /** A cursor over the frame. */
    private static final class Reader {
        private final ByteString b;
        private int i;

        Reader(ByteString b) {
            this.b = b;
        }

        int u8(String field) {
            need(1, field);
            return b.apply(i++) & 0xFF;
        }

        int u16(String field) {
            need(2, field);
            int v = (b.apply(i) & 0xFF) << 8 | b.apply(i + 1) & 0xFF;
            i += 2;
            return v;
        }

        ByteString bytes(int n, String field) {
            need(n, field);
            ByteString s = b.slice(i, i + n);
            i += n;
            return s;
        }

        ByteString rest() {
            ByteString s = b.drop(i);
            i = b.size();
            return s;
        }

        int left() {
            return b.size() - i;
        }

        void need(int n, String field) {
            if (b.size() - i < n) {
                throw new Drop(NpduDecodeResult.Reason.TRUNCATED, field + " needs " + n + " octets at offset " + i
                        + ", " + (b.size() - i) + " left");
            }
        }
    }

    /** Decodes one NPDU. */
    public static NpduDecodeResult decode(ByteString frame) {
        try {
            return new NpduDecodeResult.Decoded(read(new Reader(frame)));
        } catch (Drop d) {
            return d.result;
        }
    }

    private static Npdu read(Reader r) {
        int version = r.u8("version");
        if (version != VERSION) {
            throw new Drop(NpduDecodeResult.Reason.VERSION, "protocol version " + version + " (not 1)");
        }
        int control = r.u8("control");
        Integer dnet = null;
        ByteString dadr = null;
        if ((control & DESTINATION) != 0) {
            dnet = r.u16("DNET");
            if (dnet == 0) {
                throw new Drop(NpduDecodeResult.Reason.INVALID_DNET, "DNET 0");
            }
            int dlen = r.u8("DLEN");
            if (dnet == Npdu.GLOBAL && dlen != 0) {
                throw new Drop(NpduDecodeResult.Reason.INVALID_DADR, "global broadcast (DNET 0xFFFF) with DLEN "
                        + dlen);
            }
            dadr = r.bytes(dlen, "DADR");
        }
        Integer snet = null;
        ByteString sadr = null;
        if ((control & SOURCE) != 0) {
            snet = r.u16("SNET");
            if (snet == 0 || snet == Npdu.GLOBAL) {
                throw new Drop(NpduDecodeResult.Reason.INVALID_SNET, "SNET " + snet);
            }
            int slen = r.u8("SLEN");
            if (slen == 0) {
                throw new Drop(NpduDecodeResult.Reason.INVALID_SLEN, "SLEN 0");
            }
            sadr = r.bytes(slen, "SADR");
        }
        Integer hops = dnet == null ? null : r.u8("hop count");
        boolean expecting = (control & EXPECTING_REPLY) != 0;
        NetworkPriority priority = NetworkPriority.ofBits(control);
        if ((control & NETWORK_MESSAGE) != 0) {
            return new Npdu(expecting, priority, dnet, dadr, snet, sadr, hops, message(r), null);
        }
        return new Npdu(expecting, priority, dnet, dadr, snet, sadr, hops, null, r.rest());
    }

    private static NetworkMessage message(Reader r) {
        int type = r.u8("message type");
        if (type >= NetworkMessageType.FIRST_PROPRIETARY) {
            return new NetworkMessage.Proprietary(type, r.u16("vendor ID"), r.rest());
        }
        NetworkMessageType t = NetworkMessageType.find(type).orElse(null);
        if (t == null) {
            return new NetworkMessage.Unknown(type, r.rest());
        }
        NetworkMessage m = switch (t) {
            case WHO_IS_ROUTER_TO_NETWORK -> new NetworkMessage.WhoIsRouterToNetwork(r.left() == 0 ? null
                    : r.u16("DNET"));
            case I_AM_ROUTER_TO_NETWORK -> {
                List<Integer> dnets = networks(r, t);
                if (dnets.isEmpty()) {
                    throw new Drop(NpduDecodeResult.Reason.MALFORMED_MESSAGE, "I-Am-Router-To-Network without DNET");
                }
                yield new NetworkMessage.IAmRouterToNetwork(dnets);
            }
            case I_COULD_BE_ROUTER_TO_NETWORK -> new NetworkMessage.ICouldBeRouterToNetwork(r.u16("DNET"),
                    r.u8("performance index"));
            case REJECT_MESSAGE_TO_NETWORK -> new NetworkMessage.RejectMessageToNetwork(r.u8("reject reason"),
                    r.u16("DNET"));
            case ROUTER_BUSY_TO_NETWORK -> new NetworkMessage.RouterBusyToNetwork(networks(r, t));
            case ROUTER_AVAILABLE_TO_NETWORK -> new NetworkMessage.RouterAvailableToNetwork(networks(r, t));
            case INITIALIZE_ROUTING_TABLE -> new NetworkMessage.InitializeRoutingTable(entries(r));
            case INITIALIZE_ROUTING_TABLE_ACK -> new NetworkMessage.InitializeRoutingTableAck(entries(r));
            case ESTABLISH_CONNECTION_TO_NETWORK -> new NetworkMessage.EstablishConnectionToNetwork(r.u16("DNET"),
                    r.u8("termination time"));
            case DISCONNECT_CONNECTION_TO_NETWORK -> new NetworkMessage.DisconnectConnectionToNetwork(r.u16("DNET"));
            case WHAT_IS_NETWORK_NUMBER -> NetworkMessage.WhatIsNetworkNumber.INSTANCE;
            case NETWORK_NUMBER_IS -> new NetworkMessage.NetworkNumberIs(r.u16("network number"),
                    r.u8("flag") != 0);
        };
        if (r.left() != 0) {
            throw new Drop(NpduDecodeResult.Reason.MALFORMED_MESSAGE, t + " with " + r.left()
                    + " octets after its data");
        }
        return m;
    }

    private static List<Integer> networks(Reader r, NetworkMessageType t) {
        if (r.left() % 2 != 0) {
            throw new Drop(NpduDecodeResult.Reason.MALFORMED_MESSAGE, t + ": " + r.left()
                    + " octets are not a list of 2-octet network numbers");
        }
        List<Integer> dnets = new ArrayList<>();
        while (r.left() > 0) {
            dnets.add(r.u16("DNET"));
        }
        return dnets;
    }

    private static List<NetworkMessage.RoutingTableEntry> entries(Reader r) {
        int count = r.u8("number of ports");
        List<NetworkMessage.RoutingTableEntry> list = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int dnet = r.u16("DNET");
            int port = r.u8("port ID");
            int len = r.u8("port info length");
            list.add(new NetworkMessage.RoutingTableEntry(dnet, port, r.bytes(len, "port info")));
        }
        return list;
    }

    /** Encodes an NPDU. */
    public static ByteString encode(Npdu n) {
        ByteStringBuilder b = new ByteStringBuilder();
        int control = n.priority().bits();
        if (n.isNetworkMessage()) {
            control |= NETWORK_MESSAGE;
        }
        if (n.hasDestination()) {
            control |= DESTINATION;
        }
        if (n.hasSource()) {
            control |= SOURCE;
        }
        if (n.expectingReply()) {
            control |= EXPECTING_REPLY;
        }
        b.putByte((byte) VERSION).putByte((byte) control);
        if (n.hasDestination()) {
            u16(b, n.dnet());
            b.putByte((byte) n.dadr().size()).append(n.dadr());
        }
        if (n.hasSource()) {
            u16(b, n.snet());
            b.putByte((byte) n.sadr().size()).append(n.sadr());
        }
        if (n.hasDestination()) {
            b.putByte((byte) n.hopCount().intValue());
        }
        if (n.isNetworkMessage()) {
            write(b, n.message());
        } else {
            b.append(n.apdu());
        }
        return b.result();
    }

    private static void write(ByteStringBuilder b, NetworkMessage m) {
        b.putByte((byte) m.type());
        if (m instanceof NetworkMessage.WhoIsRouterToNetwork w) {
            if (w.dnet() != null) {
                u16(b, w.dnet());
            }
        } else if (m instanceof NetworkMessage.IAmRouterToNetwork i) {
            i.dnets().forEach(d -> u16(b, d));
        } else if (m instanceof NetworkMessage.ICouldBeRouterToNetwork c) {
            u16(b, c.dnet());
            b.putByte((byte) c.performanceIndex());
        } else if (m instanceof NetworkMessage.RejectMessageToNetwork j) {
            b.putByte((byte) j.reason());
            u16(b, j.dnet());
        } else if (m instanceof NetworkMessage.RouterBusyToNetwork x) {
            x.dnets().forEach(d -> u16(b, d));
        } else if (m instanceof NetworkMessage.RouterAvailableToNetwork x) {
            x.dnets().forEach(d -> u16(b, d));
        } else if (m instanceof NetworkMessage.InitializeRoutingTable t) {
            entries(b, t.entries());
        } else if (m instanceof NetworkMessage.InitializeRoutingTableAck t) {
            entries(b, t.entries());
        } else if (m instanceof NetworkMessage.EstablishConnectionToNetwork e) {
            u16(b, e.dnet());
            b.putByte((byte) e.terminationTime());
        } else if (m instanceof NetworkMessage.DisconnectConnectionToNetwork d) {
            u16(b, d.dnet());
        } else if (m instanceof NetworkMessage.NetworkNumberIs x) {
            u16(b, x.network());
            b.putByte((byte) (x.configured() ? 1 : 0));
        } else if (m instanceof NetworkMessage.Proprietary p) {
            u16(b, p.vendorId());
            b.append(p.data());
        } else if (m instanceof NetworkMessage.Unknown u) {
            b.append(u.data());
        }
        // What-Is-Network-Number has no data.
    }

    private static void entries(ByteStringBuilder b, List<NetworkMessage.RoutingTableEntry> entries) {
        b.putByte((byte) entries.size());
        for (NetworkMessage.RoutingTableEntry e : entries) {
            u16(b, e.dnet());
            b.putByte((byte) e.portId()).putByte((byte) e.portInfo().size()).append(e.portInfo());
        }
    }

    private static void u16(ByteStringBuilder b, int v) {
        b.putByte((byte) (v >> 8)).putByte((byte) v);
    }
}
