package org.bacnetsc.bip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Hex;
import org.junit.jupiter.api.Test;

/**
 * The small B/IP clients over real UDP on 127.0.0.1, against a plain socket playing the BBMD or the peer:
 * {@link ForeignDevice} (registration, Distribute-Broadcast-To-Network, Delete-FDT-Entry) and {@link BipLink}, and
 * the broadcast flag each hands on from the BVLL function.
 */
class BipClientsTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final ByteString NPDU = Hex.parse("01001008");
    static final BipAddress ELSEWHERE = BipAddress.parse("192.0.2.7:47808");

    record Got(ByteString mac, ByteString npdu, boolean broadcast) {
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    static Got next(LinkedBlockingQueue<Got> q) throws InterruptedException {
        Got g = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (g == null) {
            throw new AssertionError("nothing received within " + WAIT);
        }
        return g;
    }

    /** Registers {@code ttl} against {@code bbmd}, which answers the registration with {@code code}. */
    static ForeignDevice register(BipPortTest.Peer bbmd, int ttl, int code) throws Exception {
        CompletableFuture<ForeignDevice> fd = CompletableFuture.supplyAsync(() -> {
            try {
                return ForeignDevice.register(loopback(), bbmd.address(), ttl, WAIT);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[1600], 1600);
        bbmd.socket.receive(p);
        BipAddress from = BipAddress.of((InetSocketAddress) p.getSocketAddress());
        assertEquals(new Bvll.RegisterForeignDevice(ttl), ((BvllDecodeResult.Decoded) BvllCodec.decode(
                ByteString.fromArray(p.getData(), 0, p.getLength()))).bvll());
        bbmd.send(new Bvll.Result(code), from);
        try {
            return fd.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c ? c.getCause()
                    : e.getCause();
            if (cause instanceof Exception x) {
                throw x;
            }
            throw new AssertionError(cause);
        }
    }

    @Test
    void aForeignDeviceTellsForwardedNpdusAsBroadcastsFromTheirOriginAndUnicastsAsNot() throws Exception {
        try (BipPortTest.Peer bbmd = new BipPortTest.Peer(); ForeignDevice fd = register(bbmd, 60, 0)) {
            LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
            fd.onNpdu((mac, npdu, broadcast) -> got.add(new Got(mac, npdu, broadcast)));
            bbmd.send(new Bvll.Forwarded(fd.address(), NPDU), fd.address()); // its own broadcast coming back: dropped
            bbmd.send(new Bvll.Forwarded(ELSEWHERE, NPDU), fd.address());
            assertEquals(new Got(ELSEWHERE.mac(), NPDU, true), next(got));
            bbmd.send(new Bvll.OriginalUnicast(NPDU), fd.address());
            assertEquals(new Got(bbmd.address().mac(), NPDU, false), next(got));

            LinkedBlockingQueue<Got> two = new LinkedBlockingQueue<>();
            fd.onNpdu((mac, npdu) -> two.add(new Got(mac, npdu, false)));
            bbmd.send(new Bvll.OriginalBroadcast(NPDU), fd.address());
            assertEquals(new Got(bbmd.address().mac(), NPDU, false), next(two), "the two-argument handler");
        }
    }

    @Test
    void aForeignDeviceBroadcastsThroughItsBbmdUnicastsDirectlyAndDeletesItsEntryOnClose() throws Exception {
        try (BipPortTest.Peer bbmd = new BipPortTest.Peer(); BipPortTest.Peer peer = new BipPortTest.Peer()) {
            ForeignDevice fd = register(bbmd, 60, 0);
            fd.broadcast(NPDU).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(new Bvll.DistributeBroadcast(NPDU), bbmd.receive());
            fd.send(peer.address().mac(), NPDU).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(new Bvll.OriginalUnicast(NPDU), peer.receive());
            BipAddress self = fd.address();
            fd.close();
            assertEquals(new Bvll.DeleteFdtEntry(self), bbmd.receive());
        }
    }

    @Test
    void aRefusedRegistrationFailsNamingTheBvlcResultCode() throws Exception {
        try (BipPortTest.Peer bbmd = new BipPortTest.Peer()) {
            IOException e = assertThrows(IOException.class, () -> register(bbmd, 60, 0x0030));
            assertTrue(e.getMessage().contains("0x0030"), e.getMessage());
        }
    }

    @Test
    void aBipLinkSendsOriginalUnicastsAndBroadcastsAndTellsBroadcastsByTheirBvllFunction() throws Exception {
        try (BipPortTest.Peer router = new BipPortTest.Peer(); BipLink link = BipLink.open(router.address())) {
            LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();
            link.onNpdu((mac, npdu, broadcast) -> got.add(new Got(mac, npdu, broadcast)));
            link.send(router.address().mac(), NPDU).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(new Bvll.OriginalUnicast(NPDU), router.receive());
            link.broadcast(NPDU).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(new Bvll.OriginalBroadcast(NPDU), router.receive());

            router.send(new Bvll.OriginalBroadcast(NPDU), link.address());
            assertEquals(new Got(router.address().mac(), NPDU, true), next(got));
            router.send(new Bvll.Forwarded(link.address(), NPDU), link.address()); // its own: dropped
            router.send(new Bvll.Result(0), link.address()); // ignored
            router.send(new Bvll.Forwarded(ELSEWHERE, NPDU), link.address());
            assertEquals(new Got(ELSEWHERE.mac(), NPDU, true), next(got));
            router.send(new Bvll.OriginalUnicast(NPDU), link.address());
            assertEquals(new Got(router.address().mac(), NPDU, false), next(got));
        }
    }
}
