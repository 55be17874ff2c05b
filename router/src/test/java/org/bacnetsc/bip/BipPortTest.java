package org.bacnetsc.bip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Hex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The BACnet/IP port as a plain node over real UDP on 127.0.0.1 (digest §9). */
class BipPortTest {

    static final ActorTestKit KIT = ActorTestKit.create("bip-port");
    static final Duration WAIT = Duration.ofSeconds(5);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** A B/IP peer: a plain UDP socket on 127.0.0.1. */
    static final class Peer implements AutoCloseable {
        final DatagramSocket socket;

        Peer() throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(5000);
        }

        BipAddress address() {
            return BipAddress.of((InetSocketAddress) socket.getLocalSocketAddress());
        }

        void send(Bvll m, BipAddress to) throws Exception {
            byte[] b = BvllCodec.encode(m).toArray();
            socket.send(new DatagramPacket(b, b.length, to.socketAddress()));
        }

        void sendRaw(String hex, BipAddress to) throws Exception {
            byte[] b = Hex.parse(hex).toArray();
            socket.send(new DatagramPacket(b, b.length, to.socketAddress()));
        }

        Bvll receive() throws Exception {
            DatagramPacket p = new DatagramPacket(new byte[1600], 1600);
            socket.receive(p);
            return assertInstanceOf(BvllDecodeResult.Decoded.class, BvllCodec.decode(ByteString.fromArray(
                    Arrays.copyOf(p.getData(), p.getLength())))).bvll();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static BipPort.Status status(ActorRef<BipPort.Command> port) {
        TestProbe<BipPort.Status> s = KIT.createTestProbe();
        port.tell(new BipPort.GetStatus(s.ref()));
        return s.receiveMessage(WAIT);
    }

    @Test
    void aPlainNodeDeliversNpdusWithTheirSourceMacNaksBbmdFunctionsAndDropsItsOwnDatagrams() throws Exception {
        try (Peer peer = new Peer()) {
            TestProbe<BipPort.Event> owner = KIT.createTestProbe();
            ActorRef<BipPort.Command> port = KIT.spawn(BipPort.create(owner.ref(),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), peer.address()));
            BipAddress self = assertInstanceOf(BipPort.Up.class, owner.receiveMessage(WAIT)).address();
            assertEquals("127.0.0.1", self.toString().substring(0, self.toString().indexOf(':')));

            ByteString whoIs = Hex.parse("01001008");
            peer.send(new Bvll.OriginalUnicast(whoIs), self);
            assertEquals(new BipPort.Delivered(new BipPort.Received(whoIs, peer.address(), false)),
                    owner.receiveMessage(WAIT));
            peer.send(new Bvll.OriginalBroadcast(whoIs), self);
            assertEquals(new BipPort.Delivered(new BipPort.Received(whoIs, peer.address(), true)),
                    owner.receiveMessage(WAIT));
            // A Forwarded-NPDU's source is the originating node, not the BBMD that forwarded it.
            BipAddress origin = BipAddress.parse("127.0.0.1:47999");
            peer.send(new Bvll.Forwarded(origin, whoIs), self);
            assertEquals(new BipPort.Delivered(new BipPort.Received(whoIs, origin, true)), owner.receiveMessage(WAIT));

            // BBMD functions get their NAK; acks and results are ignored; malformed datagrams are counted.
            peer.send(new Bvll.RegisterForeignDevice(60), self);
            assertEquals(new Bvll.Result(BvllResult.REGISTER_FOREIGN_DEVICE_NAK), peer.receive());
            peer.send(new Bvll.DistributeBroadcast(whoIs), self);
            assertEquals(new Bvll.Result(BvllResult.DISTRIBUTE_BROADCAST_TO_NETWORK_NAK), peer.receive());
            peer.send(Bvll.ReadFdt.INSTANCE, self);
            assertEquals(new Bvll.Result(BvllResult.READ_FOREIGN_DEVICE_TABLE_NAK), peer.receive());
            peer.send(new Bvll.Result(BvllResult.SUCCESSFUL_COMPLETION), self);
            peer.sendRaw("82 0A 0008 01001008", self);
            peer.sendRaw("81 0A 0009 01001008", self);
            owner.expectNoMessage(Duration.ofMillis(200));

            // Sending: unicast to a B/IP address, broadcast to the configured broadcast address (the peer here).
            port.tell(new BipPort.SendUnicast(peer.address(), whoIs));
            assertEquals(new Bvll.OriginalUnicast(whoIs), peer.receive());
            port.tell(new BipPort.SendBroadcast(whoIs));
            assertEquals(new Bvll.OriginalBroadcast(whoIs), peer.receive());
            // Its own datagrams (broadcasts looped back by the OS) are dropped.
            port.tell(new BipPort.SendUnicast(self, whoIs));
            TestProbe<Object> probe = KIT.createTestProbe();
            probe.awaitAssert(WAIT, () -> {
                BipPort.Status s = status(port);
                assertEquals(1, s.ownDropped());
                return null;
            });
            BipPort.Status s = status(port);
            assertEquals(3, s.received());
            assertEquals(3, s.naksSent());
            assertEquals(1, s.ignored());
            assertEquals(Map.of(BvllDecodeResult.Reason.TYPE, 1L, BvllDecodeResult.Reason.LENGTH, 1L),
                    s.malformed());
            owner.expectNoMessage(Duration.ofMillis(100));
        }
    }

    @Test
    void asABbmdItRegistersAForeignDeviceAndDistributesItsBroadcastsToTheLocalNetworkAndThePeers() throws Exception {
        try (Peer localNetwork = new Peer(); Peer peerBbmd = new Peer(); Peer foreign = new Peer();
             Peer stranger = new Peer()) {
            TestProbe<BipPort.Event> owner = KIT.createTestProbe();
            ActorRef<BipPort.Command> port = KIT.spawn(BipPort.create(owner.ref(),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), localNetwork.address(),
                    new BipPort.BbmdSettings(List.of(new Bvll.BdtEntry(peerBbmd.address(), 0xFFFFFFFFL)), 1)));
            BipAddress self = assertInstanceOf(BipPort.Up.class, owner.receiveMessage(WAIT)).address();
            ByteString whoIs = Hex.parse("01001008");

            foreign.send(new Bvll.RegisterForeignDevice(60), self);
            assertEquals(new Bvll.Result(BvllResult.SUCCESSFUL_COMPLETION), foreign.receive());
            stranger.send(new Bvll.RegisterForeignDevice(60), self);
            assertEquals(new Bvll.Result(BvllResult.REGISTER_FOREIGN_DEVICE_NAK), stranger.receive(), "FDT full");

            foreign.send(new Bvll.DistributeBroadcast(whoIs), self);
            assertEquals(new BipPort.Delivered(new BipPort.Received(whoIs, foreign.address(), true)),
                    owner.receiveMessage(WAIT));
            assertEquals(new Bvll.Forwarded(foreign.address(), whoIs), localNetwork.receive());
            assertEquals(new Bvll.Forwarded(foreign.address(), whoIs), peerBbmd.receive());

            // a node on the local network broadcasts: the peer BBMD and the foreign device get it forwarded
            localNetwork.send(new Bvll.OriginalBroadcast(whoIs), self);
            assertEquals(new BipPort.Delivered(new BipPort.Received(whoIs, localNetwork.address(), true)),
                    owner.receiveMessage(WAIT));
            assertEquals(new Bvll.Forwarded(localNetwork.address(), whoIs), peerBbmd.receive());
            assertEquals(new Bvll.Forwarded(localNetwork.address(), whoIs), foreign.receive());

            BipPort.Status s = status(port);
            assertEquals(1, s.foreignDevices());
            assertEquals(1, s.registrationsRefused());
            assertEquals(1, s.naksSent());
        }
    }
}
