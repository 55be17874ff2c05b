package org.bacnetsc.bip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Hex;
import org.junit.jupiter.api.Test;

/** The BBMD's decisions (Annex J.4, J.5; digest §10), with addresses as data only. */
class BbmdTest {

    static final BipAddress SELF = BipAddress.parse("127.0.1.1:47808");
    static final BipAddress LOCAL_BROADCAST = BipAddress.parse("127.0.1.255:47808");
    static final BipAddress PEER_TWO_HOP = BipAddress.parse("127.0.2.1:47808");
    static final BipAddress PEER_ONE_HOP = BipAddress.parse("127.0.3.1:47808");
    static final BipAddress LOCAL_NODE = BipAddress.parse("127.0.1.7:47808");
    static final BipAddress FD = BipAddress.parse("127.9.9.9:47900");
    static final BipAddress FD2 = BipAddress.parse("127.9.9.10:47900");
    static final ByteString NPDU = Hex.parse("01001008");
    static final Instant T0 = Instant.parse("2026-12-02T00:00:00Z");

    private static Bbmd bbmd(int maxFds) {
        return new Bbmd(SELF, LOCAL_BROADCAST, List.of(new Bvll.BdtEntry(SELF, 0xFFFFFFFFL),
                new Bvll.BdtEntry(PEER_TWO_HOP, 0xFFFFFFFFL), new Bvll.BdtEntry(PEER_ONE_HOP, 0xFFFFFF00L)), maxFds);
    }

    @Test
    void aLocalBroadcastGoesToEveryPeerByItsMaskAndToEveryForeignDevice() {
        Bbmd b = bbmd(10);
        b.received(FD, new Bvll.RegisterForeignDevice(60), T0);
        assertEquals(List.of(new Bbmd.Deliver(NPDU, LOCAL_NODE, true),
                new Bbmd.Send(PEER_TWO_HOP, new Bvll.Forwarded(LOCAL_NODE, NPDU)),
                new Bbmd.Send(BipAddress.parse("127.0.3.255:47808"), new Bvll.Forwarded(LOCAL_NODE, NPDU)),
                new Bbmd.Send(FD, new Bvll.Forwarded(LOCAL_NODE, NPDU))),
                b.received(LOCAL_NODE, new Bvll.OriginalBroadcast(NPDU), T0));
    }

    @Test
    void aForwardedNpduFromATwoHopPeerIsRebroadcastLocallyAndSentToForeignDevices() {
        Bbmd b = bbmd(10);
        b.received(FD, new Bvll.RegisterForeignDevice(60), T0);
        BipAddress origin = BipAddress.parse("127.0.2.44:47808");
        assertEquals(List.of(new Bbmd.Deliver(NPDU, origin, true),
                new Bbmd.Send(LOCAL_BROADCAST, new Bvll.Forwarded(origin, NPDU)),
                new Bbmd.Send(FD, new Bvll.Forwarded(origin, NPDU))),
                b.received(PEER_TWO_HOP, new Bvll.Forwarded(origin, NPDU), T0));
        // from a one-hop peer the local network heard the directed broadcast itself
        assertEquals(List.of(new Bbmd.Deliver(NPDU, origin, true), new Bbmd.Send(FD, new Bvll.Forwarded(origin,
                NPDU))), b.received(PEER_ONE_HOP, new Bvll.Forwarded(origin, NPDU), T0));
    }

    @Test
    void foreignDevicesRegisterForTheirTtlPlusGraceAndAFullTableRefusesWithNak0x0030() {
        Bbmd b = bbmd(1);
        assertEquals(List.of(new Bbmd.Send(FD, new Bvll.Result(BvllResult.SUCCESSFUL_COMPLETION))),
                b.received(FD, new Bvll.RegisterForeignDevice(60), T0));
        assertEquals(List.of(new Bbmd.Send(FD2, new Bvll.Result(BvllResult.REGISTER_FOREIGN_DEVICE_NAK))),
                b.received(FD2, new Bvll.RegisterForeignDevice(60), T0));
        assertEquals(1, b.registrationsRefused());
        assertEquals(List.of(new Bvll.FdtEntry(FD, 60, 80)), b.fdt(T0.plusSeconds(10)));
        assertEquals(List.of(), b.fdt(T0.plusSeconds(90)), "expired after TTL + 30 s");
        assertEquals(List.of(new Bbmd.Send(FD2, new Bvll.Result(BvllResult.SUCCESSFUL_COMPLETION))),
                b.received(FD2, new Bvll.RegisterForeignDevice(60), T0.plusSeconds(90)), "room again");
    }

    @Test
    void distributeBroadcastFromARegisteredDeviceReachesAllButItAndAnUnregisteredOneIsNaked() {
        Bbmd b = bbmd(10);
        b.received(FD, new Bvll.RegisterForeignDevice(60), T0);
        b.received(FD2, new Bvll.RegisterForeignDevice(60), T0);
        assertEquals(List.of(new Bbmd.Deliver(NPDU, FD, true),
                new Bbmd.Send(LOCAL_BROADCAST, new Bvll.Forwarded(FD, NPDU)),
                new Bbmd.Send(PEER_TWO_HOP, new Bvll.Forwarded(FD, NPDU)),
                new Bbmd.Send(BipAddress.parse("127.0.3.255:47808"), new Bvll.Forwarded(FD, NPDU)),
                new Bbmd.Send(FD2, new Bvll.Forwarded(FD, NPDU))),
                b.received(FD, new Bvll.DistributeBroadcast(NPDU), T0));
        assertEquals(List.of(new Bbmd.Send(LOCAL_NODE, new Bvll.Result(
                BvllResult.DISTRIBUTE_BROADCAST_TO_NETWORK_NAK))),
                b.received(LOCAL_NODE, new Bvll.DistributeBroadcast(NPDU), T0));
    }

    @Test
    void tablesAreReadDeletedAndNeverWrittenFromTheWire() {
        Bbmd b = bbmd(10);
        b.received(FD, new Bvll.RegisterForeignDevice(300), T0);
        assertEquals(List.of(new Bbmd.Send(LOCAL_NODE, new Bvll.ReadFdtAck(List.of(new Bvll.FdtEntry(FD, 300, 330))))),
                b.received(LOCAL_NODE, Bvll.ReadFdt.INSTANCE, T0));
        assertTrue(b.received(LOCAL_NODE, Bvll.ReadBdt.INSTANCE, T0).get(0) instanceof Bbmd.Send s
                && s.bvll() instanceof Bvll.ReadBdtAck a && a.entries().size() == 3);
        assertEquals(List.of(new Bbmd.Send(LOCAL_NODE, new Bvll.Result(
                BvllResult.WRITE_BROADCAST_DISTRIBUTION_TABLE_NAK))),
                b.received(LOCAL_NODE, new Bvll.WriteBdt(List.of()), T0));
        assertEquals(List.of(new Bbmd.Send(FD, new Bvll.Result(BvllResult.SUCCESSFUL_COMPLETION))),
                b.received(FD, new Bvll.DeleteFdtEntry(FD), T0));
        assertEquals(List.of(new Bbmd.Send(FD, new Bvll.Result(BvllResult.DELETE_FOREIGN_DEVICE_TABLE_ENTRY_NAK))),
                b.received(FD, new Bvll.DeleteFdtEntry(FD), T0));
    }

    @Test
    void ourOwnBroadcastGoesLocalAndToPeersAndForeignDevices() {
        Bbmd b = bbmd(10);
        b.received(FD, new Bvll.RegisterForeignDevice(60), T0);
        assertEquals(List.of(new Bbmd.Send(LOCAL_BROADCAST, new Bvll.OriginalBroadcast(NPDU)),
                new Bbmd.Send(PEER_TWO_HOP, new Bvll.Forwarded(SELF, NPDU)),
                new Bbmd.Send(BipAddress.parse("127.0.3.255:47808"), new Bvll.Forwarded(SELF, NPDU)),
                new Bbmd.Send(FD, new Bvll.Forwarded(SELF, NPDU))), b.broadcast(NPDU, T0));
    }
}
