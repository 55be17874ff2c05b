package org.bacnetsc.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.bip.BipAddress;
import org.bacnetsc.bip.Bvll;
import org.bacnetsc.bip.BvllCodec;
import org.bacnetsc.bip.BvllDecodeResult;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.network.NetworkMessage;
import org.bacnetsc.network.NetworkPriority;
import org.bacnetsc.network.Npdu;
import org.bacnetsc.network.NpduCodec;
import org.bacnetsc.network.NpduDecodeResult;
import org.bacnetsc.network.RejectReason;
import org.bacnetsc.node.ReceivedNpdu;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router end to end: a BACnet/IP device (a UDP socket on 127.0.0.1), the router (network 1 on BACnet/IP,
 * network 2 on BACnet/SC), a hub and an SC device, over real UDP and real mutual TLS 1.3.
 */
class RouterTest {

    static final ActorTestKit KIT = ActorTestKit.create("router");
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static Npdu npdu(ByteString bytes) {
        return assertInstanceOf(NpduDecodeResult.Decoded.class, NpduCodec.decode(bytes)).npdu();
    }

    /** The next BVLL message the B/IP device receives. */
    private static Bvll receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[1600], 1600);
        s.receive(p);
        return assertInstanceOf(BvllDecodeResult.Decoded.class, BvllCodec.decode(ByteString.fromArray(
                Arrays.copyOf(p.getData(), p.getLength())))).bvll();
    }

    private static void send(DatagramSocket s, Bvll m, BipAddress to) throws Exception {
        byte[] b = BvllCodec.encode(m).toArray();
        s.send(new DatagramPacket(b, b.length, to.socketAddress()));
    }

    @Test
    void bipAndScDevicesReachEachOtherThroughTheRouterAndAnUnknownNetworkIsRejected() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        ScNode scDevice = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 1).stateDir(dir.resolve("d"))
                .reconnect(Duration.ofSeconds(2), Duration.ofSeconds(2)).start(KIT.system());
        TestProbe<ReceivedNpdu> atScDevice = KIT.createTestProbe();
        scDevice.subscribe(atScDevice.ref());
        ScNode scPort = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 2).stateDir(dir.resolve("r"))
                .reconnect(Duration.ofSeconds(2), Duration.ofSeconds(2)).start(KIT.system());
        ScHub[] hubs = {hub};
        try (DatagramSocket bipDevice = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            bipDevice.setSoTimeout(10_000);
            BipAddress device = BipAddress.of((InetSocketAddress) bipDevice.getLocalSocketAddress());
            ActorRef<Router.Command> router = KIT.spawn(Router.create(new Router.Settings(1,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), device, null, 2,
                    Duration.ofMillis(500), 64, 100), ScPort.of(scPort)));

            // Once both ports are up: I-Am-Router-To-Network {2} and Network-Number-Is 1 on the BACnet/IP side ...
            Bvll first = receive(bipDevice);
            assertEquals(new Bvll.OriginalBroadcast(NpduCodec.encode(Npdu.local(
                    new NetworkMessage.IAmRouterToNetwork(java.util.List.of(2))))), first);
            assertEquals(Npdu.local(new NetworkMessage.NetworkNumberIs(1, true)),
                    npdu(((Bvll.OriginalBroadcast) receive(bipDevice)).npdu()));
            // ... and I-Am-Router-To-Network {1} on the SC side.
            ReceivedNpdu iAm = atScDevice.receiveMessage(WAIT);
            while (!npdu(iAm.npdu()).isNetworkMessage()
                    || !(npdu(iAm.npdu()).message() instanceof NetworkMessage.IAmRouterToNetwork)) {
                iAm = atScDevice.receiveMessage(WAIT);
            }
            assertEquals(new NetworkMessage.IAmRouterToNetwork(java.util.List.of(1)), npdu(iAm.npdu()).message());
            ByteString routerVmac = ByteString.fromArray(iAm.source().toBytes());
            assertEquals(new NetworkMessage.NetworkNumberIs(2, true),
                    npdu(atScDevice.receiveMessage(WAIT).npdu()).message());
            TestProbe<Router.Status> status = KIT.createTestProbe();
            router.tell(new Router.GetStatus(status.ref()));
            assertTrue(status.receiveMessage(WAIT).up());

            // A global Who-Is from the B/IP device reaches the SC device with SNET 1 / SADR = its B/IP address.
            ByteString whoIs = Hex.parse("1008");
            Npdu global = new Npdu(false, NetworkPriority.NORMAL, Npdu.GLOBAL, ByteString.emptyByteString(), null,
                    null, 255, null, whoIs);
            BipAddress routerAddress = routerAddressOf(router);
            send(bipDevice, new Bvll.OriginalBroadcast(NpduCodec.encode(global)), routerAddress);
            ReceivedNpdu atSc = atScDevice.receiveMessage(WAIT);
            assertEquals(new Npdu(false, NetworkPriority.NORMAL, Npdu.GLOBAL, ByteString.emptyByteString(), 1,
                    device.mac(), 254, null, whoIs), npdu(atSc.npdu()));
            assertTrue(atSc.broadcast());

            // The SC device answers the B/IP device through the router: DNET 1, DADR its B/IP address.
            ByteString iAmApdu = Hex.parse("1000C4020003E9");
            scDevice.send(org.bacnetsc.codec.Vmac.of(routerVmac.toArray()), NpduCodec.encode(new Npdu(false,
                    NetworkPriority.NORMAL, 1, device.mac(), null, null, 255, null, iAmApdu)))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            Bvll answer = receive(bipDevice);
            ByteString scDeviceVmac = ByteString.fromArray(scDevice.status().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).vmac().toBytes());
            assertEquals(new Bvll.OriginalUnicast(NpduCodec.encode(new Npdu(false, NetworkPriority.NORMAL, null, null,
                    2, scDeviceVmac, null, null, iAmApdu))), answer);

            // A unicast for network 77, which nobody routes to: held, then Reject-Message-To-Network reason 1.
            send(bipDevice, new Bvll.OriginalUnicast(NpduCodec.encode(new Npdu(true, NetworkPriority.NORMAL, 77,
                    Hex.parse("010203040506"), null, null, 255, null, Hex.parse("0005")))), routerAddress);
            Bvll reject = receive(bipDevice);
            assertEquals(new Bvll.OriginalUnicast(NpduCodec.encode(Npdu.local(
                    new NetworkMessage.RejectMessageToNetwork(RejectReason.NOT_ROUTER_TO_DNET, 77)))), reject);
            router.tell(new Router.GetStatus(status.ref()));
            Router.Status s = status.receiveMessage(WAIT);
            assertEquals(1L, s.drops().get("unknown_network"));
            assertEquals(0, s.held());

            // The hub goes away and comes back at the same address: the router announces itself again on SC (the
            // SC device, reconnecting at its own pace, may or may not be back in time to hear it: the count says it).
            long before = s.announcements();
            hub.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
            hubs[0] = ScHub.builder().bind("127.0.0.1", hub.uri().getPort()).devPki(pki.dir()).start(KIT.system())
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            status.awaitAssert(Duration.ofSeconds(30), () -> {
                router.tell(new Router.GetStatus(status.ref()));
                assertEquals(before + 1, status.receiveMessage(WAIT).announcements(),
                        "announced again once the hub connection came back");
                return null;
            });
        } finally {
            scPort.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
            scDevice.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
            hubs[0].stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    /** The router's B/IP address, from its status. */
    private static BipAddress routerAddressOf(ActorRef<Router.Command> router) {
        TestProbe<Router.Status> p = KIT.createTestProbe();
        router.tell(new Router.GetStatus(p.ref()));
        return p.receiveMessage(WAIT).bipAddress();
    }
}
