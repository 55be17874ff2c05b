package org.bacnetsc.router;

import org.apache.pekko.util.ByteString;
import org.bacnetsc.network.Npdu;

/** What the routing rules decide for one NPDU (digest §4-§7); the router actor carries it out. */
public sealed interface RouteAction {

    /**
     * Send an NPDU on a port.
     *
     * @param port the port
     * @param mac  the destination MAC on that port's network, or null for a local broadcast there
     * @param npdu the NPDU as rewritten
     */
    record Send(int port, ByteString mac, Npdu npdu) implements RouteAction {
    }

    /**
     * For the router's own application entity (an APDU addressed to it or broadcast).
     *
     * @param port      the arrival port
     * @param sourceMac the datalink source
     * @param npdu      the NPDU
     */
    record Deliver(int port, ByteString sourceMac, Npdu npdu) implements RouteAction {
    }

    /**
     * An NPDU for a network not in the table: hold it while Who-Is-Router-To-Network asks the other ports; forward it
     * when a route is learned, else answer it with {@link RoutingCore#unreachable}.
     *
     * @param dnet      the network
     * @param port      the arrival port
     * @param sourceMac the datalink source
     * @param npdu      the NPDU as received
     */
    record Hold(int dnet, int port, ByteString sourceMac, Npdu npdu) implements RouteAction {
    }

    /**
     * Dropped, and why (for the counters).
     *
     * @param reason a short reason key, e.g. "hop_count", "arrival_network"
     */
    record Drop(String reason) implements RouteAction {
    }
}
