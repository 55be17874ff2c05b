package org.bacnetsc.router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.network.NetworkMessage;
import org.bacnetsc.network.Npdu;
import org.bacnetsc.network.RejectReason;

/**
 * The routing rules of a BACnet router (Clause 6; digest §4, §6, §7) as pure decisions, without I/O or actors: the
 * routing table (directly connected networks from configuration, learned networks with their next-hop MAC) and, for
 * each NPDU received on a port, the NPDUs to send. Not thread-safe: one router actor owns it.
 */
public final class RoutingCore {

    /** Learned routes kept at most (bac-py keeps 2,048). */
    public static final int MAX_LEARNED = 2048;

    /**
     * A route: the port and, for a network behind another router, that router's MAC.
     *
     * @param port    the port
     * @param nextHop the next router's MAC, or null when directly connected
     */
    public record Route(int port, ByteString nextHop) {
    }

    private final Map<Integer, Integer> networkOfPort;
    private final Map<Integer, ByteString> macOfPort;
    private final Map<Integer, Route> learned = new LinkedHashMap<>();

    /**
     * @param networkOfPort each port's network number (must differ)
     * @param macOfPort     each port's own MAC on its network
     */
    public RoutingCore(Map<Integer, Integer> networkOfPort, Map<Integer, ByteString> macOfPort) {
        this.networkOfPort = Map.copyOf(networkOfPort);
        this.macOfPort = Map.copyOf(macOfPort);
        if (networkOfPort.values().stream().distinct().count() != networkOfPort.size()) {
            throw new IllegalArgumentException("two ports carry the same network number: " + networkOfPort);
        }
    }

    /** The route to a network, or null. */
    public Route route(int dnet) {
        for (Map.Entry<Integer, Integer> p : networkOfPort.entrySet()) {
            if (p.getValue() == dnet) {
                return new Route(p.getKey(), null);
            }
        }
        return learned.get(dnet);
    }

    /**
     * One row of the routing table.
     *
     * @param network the network number
     * @param port    the port it is reached through
     * @param nextHop the next router's MAC, or null when directly connected
     */
    public record TableEntry(int network, int port, ByteString nextHop) {
    }

    /** The routing table: directly connected networks, then learned ones, by network number. */
    public List<TableEntry> table() {
        List<TableEntry> out = new ArrayList<>();
        networkOfPort.forEach((p, n) -> out.add(new TableEntry(n, p, null)));
        learned.forEach((n, r) -> out.add(new TableEntry(n, r.port(), r.nextHop())));
        out.sort(java.util.Comparator.comparingInt(TableEntry::network));
        return out;
    }

    /** Networks reachable through ports other than {@code port}, sorted. */
    public List<Integer> reachableExcept(int port) {
        List<Integer> out = new ArrayList<>();
        networkOfPort.forEach((p, n) -> {
            if (p != port) {
                out.add(n);
            }
        });
        learned.forEach((n, r) -> {
            if (r.port() != port) {
                out.add(n);
            }
        });
        out.sort(Integer::compare);
        return out;
    }

    /** At start: on every port, I-Am-Router-To-Network for the networks behind the others, and Network-Number-Is. */
    public List<RouteAction> startup() {
        List<RouteAction> out = new ArrayList<>();
        for (int port : networkOfPort.keySet().stream().sorted().toList()) {
            List<Integer> others = reachableExcept(port);
            if (!others.isEmpty()) {
                out.add(new RouteAction.Send(port, null, Npdu.local(new NetworkMessage.IAmRouterToNetwork(others))));
            }
            out.add(new RouteAction.Send(port, null, Npdu.local(new NetworkMessage.NetworkNumberIs(
                    networkOfPort.get(port), true))));
        }
        return out;
    }

    /**
     * The decisions for one NPDU received on {@code port} from {@code mac}.
     *
     * @param broadcast whether it arrived as a datalink broadcast
     */
    public List<RouteAction> received(int port, ByteString mac, Npdu npdu, boolean broadcast) {
        int arrival = networkOfPort.get(port);
        if (npdu.hasSource() && networkOfPort.containsValue(npdu.snet())) {
            return List.of(new RouteAction.Drop("source_is_a_local_network"));
        }
        if (!npdu.hasDestination()) {
            return local(port, mac, npdu, broadcast);
        }
        int dnet = npdu.dnet();
        if (dnet == Npdu.GLOBAL) {
            List<RouteAction> out = new ArrayList<>(local(port, mac, npdu.withoutDestination(), true));
            if (npdu.hopCount() - 1 <= 0) {
                out.add(new RouteAction.Drop("hop_count"));
                return out;
            }
            Npdu onward = withSource(npdu, arrival, mac).withHopCount(npdu.hopCount() - 1);
            for (int q : networkOfPort.keySet().stream().sorted().toList()) {
                if (q != port) {
                    out.add(new RouteAction.Send(q, null, onward));
                }
            }
            return out;
        }
        if (dnet == arrival) {
            return List.of(new RouteAction.Drop("arrival_network"));
        }
        Route r = route(dnet);
        if (r == null) {
            return List.of(new RouteAction.Hold(dnet, port, mac, npdu));
        }
        if (r.port() == port) {
            return List.of(new RouteAction.Drop("arrival_port"));
        }
        return forward(npdu, port, arrival, mac, r);
    }

    private List<RouteAction> forward(Npdu npdu, int port, int arrival, ByteString mac, Route r) {
        if (r.nextHop() == null) {
            // the last hop: DNET, DADR and hop count go; a hop count that arrived as 0 is not forwarded
            if (npdu.hopCount() == 0) {
                return List.of(new RouteAction.Drop("hop_count"));
            }
            Npdu last = withSource(npdu, arrival, mac).withoutDestination();
            ByteString dadr = npdu.dadr();
            if (!dadr.isEmpty() && dadr.equals(macOfPort.get(r.port()))) {
                return List.of(new RouteAction.Deliver(port, mac, last)); // for the router's own address on that network
            }
            return List.of(new RouteAction.Send(r.port(), dadr.isEmpty() ? null : dadr, last));
        }
        if (npdu.hopCount() - 1 <= 0) {
            return List.of(new RouteAction.Drop("hop_count"));
        }
        return List.of(new RouteAction.Send(r.port(), r.nextHop(),
                withSource(npdu, arrival, mac).withHopCount(npdu.hopCount() - 1)));
    }

    private static Npdu withSource(Npdu npdu, int arrival, ByteString mac) {
        return npdu.hasSource() ? npdu : npdu.withSource(arrival, mac);
    }

    /** An NPDU for this router's network on {@code port}: its application, or its network layer. */
    private List<RouteAction> local(int port, ByteString mac, Npdu npdu, boolean broadcast) {
        if (!npdu.isNetworkMessage()) {
            return List.of(new RouteAction.Deliver(port, mac, npdu));
        }
        NetworkMessage m = npdu.message();
        List<RouteAction> out = new ArrayList<>();
        if (m instanceof NetworkMessage.WhoIsRouterToNetwork w) {
            whoIsRouter(port, mac, npdu, w, out);
        } else if (m instanceof NetworkMessage.IAmRouterToNetwork i) {
            List<Integer> news = new ArrayList<>();
            for (int d : i.dnets()) {
                Route known = route(d);
                if ((known == null || known.nextHop() != null) && learn(d, new Route(port, mac))) {
                    news.add(d);
                }
            }
            if (!news.isEmpty()) {
                for (int q : networkOfPort.keySet().stream().sorted().toList()) {
                    if (q != port) {
                        out.add(new RouteAction.Send(q, null, Npdu.local(new NetworkMessage.IAmRouterToNetwork(
                                news))));
                    }
                }
            }
        } else if (m == NetworkMessage.WhatIsNetworkNumber.INSTANCE) {
            if (!npdu.hasSource()) {
                out.add(new RouteAction.Send(port, null, Npdu.local(new NetworkMessage.NetworkNumberIs(
                        networkOfPort.get(port), true))));
            }
        } else if (m instanceof NetworkMessage.InitializeRoutingTable t) {
            if (!t.entries().isEmpty()) {
                for (NetworkMessage.RoutingTableEntry e : t.entries()) {
                    if (e.portId() == 0) {
                        learned.remove(e.dnet());
                    }
                }
                out.add(reply(port, mac, npdu, new NetworkMessage.InitializeRoutingTableAck(List.of())));
            } else {
                List<NetworkMessage.RoutingTableEntry> table = new ArrayList<>();
                networkOfPort.forEach((p, n) -> table.add(new NetworkMessage.RoutingTableEntry(n, p,
                        ByteString.emptyByteString())));
                table.sort((a, b) -> Integer.compare(a.dnet(), b.dnet()));
                out.add(reply(port, mac, npdu, new NetworkMessage.InitializeRoutingTableAck(table)));
            }
        } else if (m instanceof NetworkMessage.Unknown u && u.reserved()) {
            out.add(reply(port, mac, npdu, new NetworkMessage.RejectMessageToNetwork(
                    RejectReason.UNKNOWN_NETWORK_MESSAGE, networkOfPort.get(port))));
        } else {
            out.add(new RouteAction.Drop("ignored_network_message"));
        }
        return out;
    }

    private void whoIsRouter(int port, ByteString mac, Npdu npdu, NetworkMessage.WhoIsRouterToNetwork w,
                             List<RouteAction> out) {
        if (w.dnet() == null) {
            List<Integer> others = reachableExcept(port);
            if (!others.isEmpty()) {
                out.add(new RouteAction.Send(port, null, Npdu.local(new NetworkMessage.IAmRouterToNetwork(others))));
            }
            return;
        }
        Route r = route(w.dnet());
        if (r != null && r.port() != port) {
            out.add(new RouteAction.Send(port, null, Npdu.local(new NetworkMessage.IAmRouterToNetwork(
                    List.of(w.dnet())))));
        } else if (r == null) {
            Npdu ask = withSource(npdu, networkOfPort.get(port), mac);
            for (int q : networkOfPort.keySet().stream().sorted().toList()) {
                if (q != port) {
                    out.add(new RouteAction.Send(q, null, ask));
                }
            }
        }
    }

    /** A reply to the sender of {@code to}: routed back to its SNET/SADR when it had one, else to its MAC. */
    private RouteAction reply(int port, ByteString mac, Npdu to, NetworkMessage m) {
        Npdu local = Npdu.local(m);
        if (to.hasSource()) {
            return new RouteAction.Send(port, mac, local.withDestination(to.snet(), to.sadr(),
                    Npdu.INITIAL_HOP_COUNT));
        }
        return new RouteAction.Send(port, mac, local);
    }

    private boolean learn(int dnet, Route r) {
        if (!r.equals(learned.get(dnet)) && (learned.containsKey(dnet) || learned.size() < MAX_LEARNED)) {
            learned.put(dnet, r);
            return true;
        }
        return false;
    }

    /**
     * The answer to a held NPDU whose network was not found (digest §6.4): Reject-Message-To-Network reason 1 to its
     * originator, routed back to its SNET/SADR when it had one, else to its datalink source; nothing for a
     * broadcast (never reject what arrived as a broadcast).
     */
    public List<RouteAction> unreachable(RouteAction.Hold h) {
        if (h.npdu().dadr().isEmpty()) {
            return List.of(new RouteAction.Drop("unknown_network_broadcast"));
        }
        return List.of(reply(h.port(), h.sourceMac(), h.npdu(),
                new NetworkMessage.RejectMessageToNetwork(RejectReason.NOT_ROUTER_TO_DNET, h.dnet())));
    }
}
