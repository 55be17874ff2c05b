package org.bacnetsc.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.bip.BipAddress;
import org.bacnetsc.bip.Bvll;
import org.bacnetsc.bip.BvllCodec;
import org.bacnetsc.bip.BvllDecodeResult;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.network.NetworkMessage;
import org.bacnetsc.network.NetworkPriority;
import org.bacnetsc.network.Npdu;
import org.bacnetsc.network.NpduCodec;
import org.bacnetsc.network.NpduDecodeResult;
import org.bacnetsc.network.RejectReason;
import org.bacnetsc.node.HubConnectionStatus;
import org.bacnetsc.node.NodeStatus;
import org.bacnetsc.node.ReceivedNpdu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The router actor with ManualTime: its BACnet/IP port on real UDP (127.0.0.1, a datagram socket as the B/IP device and
 * as the broadcast address), its SC port a stand-in whose sends a probe sees. Timers (discovery timeout, the broadcast
 * window) move only when the test says so.
 */
@ExtendWith(LogCapturingExtension.class)
class RouterActorTest {

    static final Vmac ROUTER_VMAC = Vmac.parse("02:00:00:00:aa:01");
    static final Vmac SC_DEVICE = Vmac.parse("02:00:00:00:0b:01");
    static final Vmac OTHER_ROUTER = Vmac.parse("02:00:00:00:0c:01");
    static final ByteString APDU = Hex.parse("0005010C0C020003E91955"); // a confirmed ReadProperty
    static final ByteString WHO_IS = Hex.parse("1008");
    static final Duration DISCOVERY = Duration.ofSeconds(3);

    /** What the router sent on its SC port. @param to the VMAC, or null for a broadcast */
    record ScSent(Vmac to, Npdu npdu) {
    }

    ActorTestKit kit;
    ManualTime time;
    TestProbe<ScSent> scSent;
    ActorRef<ReceivedNpdu> scIn;
    ActorRef<NodeStatus> scStatus;
    DatagramSocket device;
    BipAddress deviceAddress;
    ActorRef<Router.Command> router;
    BipAddress routerAddress;

    @BeforeEach
    void start() throws Exception {
        kit = ActorTestKit.create("router-actor", ManualTime.config());
        time = ManualTime.get(kit.system());
        scSent = kit.createTestProbe();
        device = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        device.setSoTimeout(10_000);
        deviceAddress = BipAddress.of((InetSocketAddress) device.getLocalSocketAddress());
        CompletableFuture<ActorRef<ReceivedNpdu>> in = new CompletableFuture<>();
        CompletableFuture<ActorRef<NodeStatus>> status = new CompletableFuture<>();
        ScPort port = new ScPort() {
            @Override
            public CompletionStage<Done> send(Vmac destination, ByteString npdu) {
                scSent.ref().tell(new ScSent(destination, decode(npdu)));
                return CompletableFuture.completedFuture(Done.done());
            }

            @Override
            public CompletionStage<Done> broadcast(ByteString npdu) {
                scSent.ref().tell(new ScSent(null, decode(npdu)));
                return CompletableFuture.completedFuture(Done.done());
            }

            @Override
            public void subscribe(ActorRef<ReceivedNpdu> subscriber) {
                in.complete(subscriber);
            }

            @Override
            public void subscribeStatus(ActorRef<NodeStatus> subscriber) {
                status.complete(subscriber);
            }
        };
        router = kit.spawn(Router.create(new Router.Settings(1, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0), deviceAddress, null, 2, DISCOVERY, 2, 3), port));
        scIn = in.get(10, java.util.concurrent.TimeUnit.SECONDS);
        scStatus = status.get(10, java.util.concurrent.TimeUnit.SECONDS);
        scStatus.tell(new NodeStatus(ROUTER_VMAC, DeviceUuid.random(), 1, HubConnectionStatus.NOT_CONNECTED,
                HubConnectionStatus.NOT_CONNECTED, 0, 0, false, null, 1,
                org.bacnetsc.connection.HeartbeatCounters.ZERO));
        // up: I-Am-Router-To-Network and Network-Number-Is on both ports
        assertEquals(new Bvll.OriginalBroadcast(NpduCodec.encode(Npdu.local(new NetworkMessage.IAmRouterToNetwork(
                List.of(2))))), receive());
        assertEquals(new Bvll.OriginalBroadcast(NpduCodec.encode(Npdu.local(new NetworkMessage.NetworkNumberIs(1,
                true)))), receive());
        assertEquals(new ScSent(null, Npdu.local(new NetworkMessage.IAmRouterToNetwork(List.of(1)))),
                scSent.receiveMessage());
        assertEquals(new ScSent(null, Npdu.local(new NetworkMessage.NetworkNumberIs(2, true))),
                scSent.receiveMessage());
        routerAddress = status().bipAddress();
    }

    @AfterEach
    void stop() {
        device.close();
        kit.shutdownTestKit();
    }

    static Npdu decode(ByteString bytes) {
        return assertInstanceOf(NpduDecodeResult.Decoded.class, NpduCodec.decode(bytes)).npdu();
    }

    private Bvll receive() throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[1600], 1600);
        device.receive(p);
        return assertInstanceOf(BvllDecodeResult.Decoded.class, BvllCodec.decode(ByteString.fromArray(
                Arrays.copyOf(p.getData(), p.getLength())))).bvll();
    }

    private void fromDevice(Npdu npdu) throws Exception {
        byte[] b = BvllCodec.encode(new Bvll.OriginalUnicast(NpduCodec.encode(npdu))).toArray();
        device.send(new DatagramPacket(b, b.length, routerAddress.socketAddress()));
    }

    private void fromSc(Vmac source, Npdu npdu, boolean broadcast) {
        scIn.tell(new ReceivedNpdu(source, NpduCodec.encode(npdu), List.of(), broadcast));
    }

    private Router.Status status() {
        TestProbe<Router.Status> p = kit.createTestProbe();
        router.tell(new Router.GetStatus(p.ref()));
        return p.receiveMessage();
    }

    private static Npdu to(int dnet, ByteString dadr, int hops, ByteString apdu) {
        return Npdu.local(apdu, true).withDestination(dnet, dadr, hops);
    }

    @Test
    void anUnknownNetworkIsAskedForThenRejectedWithReason1AfterTheDiscoveryTimeout() throws Exception {
        fromDevice(to(77, Hex.parse("0A0B0C0D0E0F"), 255, APDU));
        assertEquals(new ScSent(null, Npdu.local(new NetworkMessage.WhoIsRouterToNetwork(77))),
                scSent.receiveMessage());
        assertEquals(1, status().held());
        time.timePasses(DISCOVERY.minusMillis(1));
        assertEquals(1, status().held(), "still held just before the timeout");
        time.timePasses(Duration.ofMillis(1));
        assertEquals(new Bvll.OriginalUnicast(NpduCodec.encode(Npdu.local(new NetworkMessage.RejectMessageToNetwork(
                RejectReason.NOT_ROUTER_TO_DNET, 77)))), receive());
        Router.Status s = status();
        assertEquals(0, s.held());
        assertEquals(1L, s.drops().get("unknown_network"));
    }

    @Test
    void aRouteLearnedWithinTheTimeoutReleasesTheHeldNpduToTheNextRouter() throws Exception {
        fromDevice(to(77, Hex.parse("0A0B0C0D0E0F"), 255, APDU));
        scSent.receiveMessage(); // Who-Is-Router-To-Network 77
        fromSc(OTHER_ROUTER, Npdu.local(new NetworkMessage.IAmRouterToNetwork(List.of(77))), true);
        ScSent released = scSent.receiveMessage();
        assertEquals(new ScSent(OTHER_ROUTER, to(77, Hex.parse("0A0B0C0D0E0F"), 254, APDU)
                .withSource(1, deviceAddress.mac())), released);
        assertEquals(0, status().held());
        time.timePasses(DISCOVERY);
        assertEquals(null, status().drops().get("unknown_network"), "not rejected after all");
    }

    @Test
    void theDiscoveryQueueIsBoundedAndAFullQueueIsCounted() throws Exception {
        for (int i = 0; i < 3; i++) { // max-held is 2
            fromDevice(to(77, Hex.parse("0A0B0C0D0E0F"), 255, APDU));
        }
        scSent.receiveMessage(); // one Who-Is-Router-To-Network for the network
        Router.Status s = status();
        for (int i = 0; i < 50 && (s.held() + s.drops().getOrDefault("discovery_queue_full", 0L)) < 3; i++) {
            s = status(); // the datagrams arrive through the UDP socket actor
        }
        assertEquals(2, s.held());
        assertEquals(1L, s.drops().get("discovery_queue_full"));
    }

    @Test
    void broadcastsAboveTheLimitPerSecondAreCountedAndNotForwardedUntilTheNextSecond() throws Exception {
        Npdu globalWhoIs = Npdu.local(WHO_IS, false).withDestination(Npdu.GLOBAL, ByteString.emptyByteString(), 255);
        for (int i = 0; i < 5; i++) { // the limit is 3 a second
            fromDevice(globalWhoIs);
        }
        ScSent expected = new ScSent(null, globalWhoIs.withSource(1, deviceAddress.mac()).withHopCount(254));
        for (int i = 0; i < 3; i++) {
            assertEquals(expected, scSent.receiveMessage());
        }
        Router.Status s = status();
        for (int i = 0; i < 50 && s.drops().getOrDefault("broadcast_rate_port_2", 0L) < 2; i++) {
            s = status();
        }
        assertEquals(2L, s.drops().get("broadcast_rate_port_2"));
        scSent.expectNoMessage(Duration.ofMillis(100));
        time.timePasses(Duration.ofSeconds(1));
        fromDevice(globalWhoIs);
        assertEquals(expected, scSent.receiveMessage());
    }

    @Test
    void aGlobalBroadcastWhoseHopCountRunsOutIsNotForwarded() throws Exception {
        fromDevice(Npdu.local(WHO_IS, false).withDestination(Npdu.GLOBAL, ByteString.emptyByteString(), 1));
        Router.Status s = status();
        for (int i = 0; i < 50 && !s.drops().containsKey("hop_count"); i++) {
            s = status();
        }
        assertEquals(1L, s.drops().get("hop_count"));
        scSent.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void whoIsRouterToNetworkFromTheScSideIsAnsweredWithTheBacnetIpNetwork() {
        fromSc(SC_DEVICE, Npdu.local(new NetworkMessage.WhoIsRouterToNetwork(null)), true);
        assertEquals(new ScSent(null, Npdu.local(new NetworkMessage.IAmRouterToNetwork(List.of(1)))),
                scSent.receiveMessage());
    }

    @Test
    void theRoutersOwnDeviceGetsApdusFromTheBacnetIpSideAndItsAnswersAreRoutedBack() throws Exception {
        TestProbe<Router.ForApplication> app = kit.createTestProbe();
        router.tell(new Router.AttachApplication(app.ref()));
        fromDevice(to(2, ByteString.fromArray(ROUTER_VMAC.toBytes()), 255, APDU));
        Npdu request = decode(app.receiveMessage().npdu());
        assertEquals(Npdu.local(APDU, true).withSource(1, deviceAddress.mac()), request);
        ByteString ack = Hex.parse("30010C0C020003E919557500");
        router.tell(new Router.FromApplication(NpduCodec.encode(Npdu.local(ack, false)
                .withDestination(1, deviceAddress.mac(), 255))));
        assertEquals(new Bvll.OriginalUnicast(NpduCodec.encode(Npdu.local(ack, false)
                .withSource(2, ByteString.fromArray(ROUTER_VMAC.toBytes())))), receive());
        // a local Who-Is on the B/IP side reaches it too, as from network 1
        fromDevice(Npdu.local(WHO_IS, false));
        assertEquals(Npdu.local(WHO_IS, false).withSource(1, deviceAddress.mac()),
                decode(app.receiveMessage().npdu()));
        Router.Status s = status();
        assertEquals(2L, s.toApplication());
        assertEquals(1L, s.fromApplication());
    }
}
