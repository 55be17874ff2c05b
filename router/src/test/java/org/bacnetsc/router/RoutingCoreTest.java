package org.bacnetsc.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.network.NetworkMessage;
import org.bacnetsc.network.NetworkPriority;
import org.bacnetsc.network.Npdu;
import org.bacnetsc.network.RejectReason;
import org.junit.jupiter.api.Test;

/** The routing rules of a BACnet/IP (port 1, network 1) to BACnet/SC (port 2, network 2) router (digest §4-§7). */
class RoutingCoreTest {

    static final int BIP = 1;
    static final int SC = 2;
    static final ByteString BIP_SELF = Hex.parse("7F000001BAC0");
    static final ByteString SC_SELF = Hex.parse("02000000AA01");
    static final ByteString BIP_DEVICE = Hex.parse("7F000001BAC5");
    static final ByteString SC_DEVICE = Hex.parse("020000000B01");
    static final ByteString OTHER_ROUTER = Hex.parse("7F000001BAC9");
    static final ByteString APDU = Hex.parse("0005010C0C020003E91955"); // a confirmed ReadProperty
    static final ByteString EMPTY = ByteString.emptyByteString();

    private static RoutingCore core() {
        return new RoutingCore(Map.of(BIP, 1, SC, 2), Map.of(BIP, BIP_SELF, SC, SC_SELF));
    }

    private static Npdu to(int dnet, ByteString dadr, int hops) {
        return new Npdu(true, NetworkPriority.NORMAL, dnet, dadr, null, null, hops, null, APDU);
    }

    @Test
    void twoPortsWithOneNetworkNumberCannotBeConfigured() {
        assertThrows(IllegalArgumentException.class, () -> new RoutingCore(Map.of(1, 5, 2, 5), Map.of()));
    }

    @Test
    void atStartEachPortHearsIAmRouterForTheOtherNetworksAndItsNetworkNumber() {
        assertEquals(List.of(
                new RouteAction.Send(BIP, null, Npdu.local(new NetworkMessage.IAmRouterToNetwork(List.of(2)))),
                new RouteAction.Send(BIP, null, Npdu.local(new NetworkMessage.NetworkNumberIs(1, true))),
                new RouteAction.Send(SC, null, Npdu.local(new NetworkMessage.IAmRouterToNetwork(List.of(1)))),
                new RouteAction.Send(SC, null, Npdu.local(new NetworkMessage.NetworkNumberIs(2, true)))),
                core().startup());
    }

    @Test
    void theLastHopRemovesTheDestinationAndHopCountAndAddsTheSource() {
        assertEquals(List.of(new RouteAction.Send(SC, SC_DEVICE, new Npdu(true, NetworkPriority.NORMAL, null, null,
                        1, BIP_DEVICE, null, null, APDU))),
                core().received(BIP, BIP_DEVICE, to(2, SC_DEVICE, 255), false));
    }

    @Test
    void aRemoteBroadcastBecomesALocalBroadcastOnTheDestinationNetwork() {
        assertEquals(List.of(new RouteAction.Send(SC, null, new Npdu(true, NetworkPriority.NORMAL, null, null, 1,
                BIP_DEVICE, null, null, APDU))), core().received(BIP, BIP_DEVICE, to(2, EMPTY, 255), true));
    }

    @Test
    void anExistingSourceIsKeptAndTheReplyPathWorksBackwards() {
        // an SC device answers the BIP device through the router: DNET 1, DADR its B/IP address
        Npdu answer = new Npdu(false, NetworkPriority.NORMAL, 1, BIP_DEVICE, null, null, 255, null, APDU);
        assertEquals(List.of(new RouteAction.Send(BIP, BIP_DEVICE, new Npdu(false, NetworkPriority.NORMAL, null, null,
                2, SC_DEVICE, null, null, APDU))), core().received(SC, SC_DEVICE, answer, false));
    }

    @Test
    void aGlobalBroadcastIsProcessedLocallyAndForwardedOnEveryOtherPortWithTheHopCountDecremented() {
        Npdu whoIs = new Npdu(false, NetworkPriority.NORMAL, Npdu.GLOBAL, EMPTY, null, null, 255, null,
                Hex.parse("1008"));
        assertEquals(List.of(new RouteAction.Deliver(BIP, BIP_DEVICE, Npdu.local(Hex.parse("1008"), false)),
                new RouteAction.Send(SC, null, new Npdu(false, NetworkPriority.NORMAL, Npdu.GLOBAL, EMPTY, 1,
                        BIP_DEVICE, 254, null, Hex.parse("1008")))),
                core().received(BIP, BIP_DEVICE, whoIs, true));
    }

    @Test
    void hopCountsEndTheJourney() {
        Npdu tired = new Npdu(false, NetworkPriority.NORMAL, Npdu.GLOBAL, EMPTY, null, null, 1, null,
                Hex.parse("1008"));
        assertEquals(new RouteAction.Drop("hop_count"), core().received(BIP, BIP_DEVICE, tired, true).get(1));
        assertEquals(List.of(new RouteAction.Drop("hop_count")), core().received(BIP, BIP_DEVICE,
                to(2, SC_DEVICE, 0), false));
    }

    @Test
    void nothingGoesBackOntoTheArrivalNetworkAndSpoofedLocalSourcesAreDropped() {
        assertEquals(List.of(new RouteAction.Drop("arrival_network")), core().received(BIP, BIP_DEVICE,
                to(1, BIP_DEVICE, 255), false));
        Npdu spoofed = new Npdu(false, NetworkPriority.NORMAL, 2, SC_DEVICE, 2, SC_DEVICE, 255, null, APDU);
        assertEquals(List.of(new RouteAction.Drop("source_is_a_local_network")), core().received(BIP, BIP_DEVICE,
                spoofed, false));
    }

    @Test
    void anUnknownNetworkIsHeldAndThenRejectedWithReason1UnlessItWasABroadcast() {
        RoutingCore core = core();
        RouteAction.Hold hold = (RouteAction.Hold) core.received(BIP, BIP_DEVICE, to(77, SC_DEVICE, 255), false)
                .get(0);
        assertEquals(77, hold.dnet());
        assertEquals(List.of(new RouteAction.Send(BIP, BIP_DEVICE, Npdu.local(
                new NetworkMessage.RejectMessageToNetwork(RejectReason.NOT_ROUTER_TO_DNET, 77)))),
                core.unreachable(hold));
        RouteAction.Hold broadcast = (RouteAction.Hold) core.received(BIP, BIP_DEVICE, to(77, EMPTY, 255), true)
                .get(0);
        assertEquals(List.of(new RouteAction.Drop("unknown_network_broadcast")), core.unreachable(broadcast));
    }

    @Test
    void iAmRouterTeachesARouteThroughAnotherRouterAndIsPassedOn() {
        RoutingCore core = core();
        assertEquals(List.of(new RouteAction.Send(SC, null, Npdu.local(
                new NetworkMessage.IAmRouterToNetwork(List.of(9))))),
                core.received(BIP, OTHER_ROUTER, Npdu.local(new NetworkMessage.IAmRouterToNetwork(List.of(9, 2))),
                        true));
        assertEquals(new RoutingCore.Route(BIP, OTHER_ROUTER), core.route(9));
        // routed to the next router with the destination kept, the hop count decremented and the source added
        assertEquals(List.of(new RouteAction.Send(BIP, OTHER_ROUTER, new Npdu(true, NetworkPriority.NORMAL, 9,
                SC_DEVICE, 2, SC_DEVICE, 254, null, APDU))), core.received(SC, SC_DEVICE, to(9, SC_DEVICE, 255),
                false));
        assertEquals(List.of(1, 9), core.reachableExcept(SC));
    }

    @Test
    void whoIsRouterToNetworkIsAnsweredAsALocalBroadcastOrAskedOnTheOtherPorts() {
        RoutingCore core = core();
        assertEquals(List.of(new RouteAction.Send(BIP, null, Npdu.local(
                new NetworkMessage.IAmRouterToNetwork(List.of(2))))),
                core.received(BIP, BIP_DEVICE, Npdu.local(new NetworkMessage.WhoIsRouterToNetwork(null)), true));
        assertEquals(List.of(new RouteAction.Send(BIP, null, Npdu.local(
                new NetworkMessage.IAmRouterToNetwork(List.of(2))))),
                core.received(BIP, BIP_DEVICE, Npdu.local(new NetworkMessage.WhoIsRouterToNetwork(2)), true));
        assertEquals(List.of(new RouteAction.Send(SC, null, Npdu.local(new NetworkMessage.WhoIsRouterToNetwork(5))
                .withSource(1, BIP_DEVICE))),
                core.received(BIP, BIP_DEVICE, Npdu.local(new NetworkMessage.WhoIsRouterToNetwork(5)), true));
    }

    @Test
    void networkNumbersRoutingTablesAndUnknownMessageTypesAreAnswered() {
        RoutingCore core = core();
        assertEquals(List.of(new RouteAction.Send(SC, null, Npdu.local(new NetworkMessage.NetworkNumberIs(2, true)))),
                core.received(SC, SC_DEVICE, Npdu.local(NetworkMessage.WhatIsNetworkNumber.INSTANCE), true));
        assertEquals(List.of(new RouteAction.Send(BIP, BIP_DEVICE, Npdu.local(
                new NetworkMessage.InitializeRoutingTableAck(List.of(
                        new NetworkMessage.RoutingTableEntry(1, BIP, EMPTY),
                        new NetworkMessage.RoutingTableEntry(2, SC, EMPTY)))))),
                core.received(BIP, BIP_DEVICE, Npdu.local(new NetworkMessage.InitializeRoutingTable(List.of())),
                        false));
        assertEquals(List.of(new RouteAction.Send(BIP, BIP_DEVICE, Npdu.local(
                new NetworkMessage.RejectMessageToNetwork(RejectReason.UNKNOWN_NETWORK_MESSAGE, 1)))),
                core.received(BIP, BIP_DEVICE, Npdu.local(new NetworkMessage.Unknown(0x20, EMPTY)), false));
    }

    @Test
    void anApduForTheRoutersOwnAddressIsDeliveredToItsApplication() {
        // the arrival port is reported (the router's application answers through the network layer)
        assertEquals(List.of(new RouteAction.Deliver(BIP, BIP_DEVICE, new Npdu(true, NetworkPriority.NORMAL, null,
                null, 1, BIP_DEVICE, null, null, APDU))), core().received(BIP, BIP_DEVICE, to(2, SC_SELF, 255),
                false));
        assertEquals(List.of(new RouteAction.Deliver(BIP, BIP_DEVICE, Npdu.local(APDU, true))),
                core().received(BIP, BIP_DEVICE, Npdu.local(APDU, true), false));
    }
}
