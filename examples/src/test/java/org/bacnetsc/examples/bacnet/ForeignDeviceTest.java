package org.bacnetsc.examples.bacnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.bip.BipAddress;
import org.bacnetsc.bip.Bvll;
import org.bacnetsc.bip.BvllCodec;
import org.bacnetsc.bip.BvllDecodeResult;
import org.bacnetsc.bip.BvllResult;
import org.bacnetsc.codec.Hex;
import org.junit.jupiter.api.Test;

/** The BACnet/IP foreign device against a stand-in BBMD on real UDP (127.0.0.1). */
class ForeignDeviceTest {

    private static Bvll receive(DatagramSocket s, BipAddress[] from) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[1600], 1600);
        s.receive(p);
        if (from != null) {
            from[0] = BipAddress.of((InetSocketAddress) p.getSocketAddress());
        }
        return assertInstanceOf(BvllDecodeResult.Decoded.class, BvllCodec.decode(ByteString.fromArray(
                Arrays.copyOf(p.getData(), p.getLength())))).bvll();
    }

    private static void send(DatagramSocket s, Bvll m, BipAddress to) throws IOException {
        byte[] b = BvllCodec.encode(m).toArray();
        s.send(new DatagramPacket(b, b.length, to.socketAddress()));
    }

    private static DatagramSocket bbmd() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void registersThenBroadcastsThroughTheBbmdUnicastsDirectlyHearsForwardedNpdusAndDeletesItsEntryOnClose()
            throws Exception {
        try (DatagramSocket bbmd = bbmd()) {
            BipAddress bbmdAddress = BipAddress.of((InetSocketAddress) bbmd.getLocalSocketAddress());
            BipAddress[] device = new BipAddress[1];
            CompletableFuture<ForeignDevice> registering = CompletableFuture.supplyAsync(() -> {
                try {
                    return ForeignDevice.register(new InetSocketAddress("127.0.0.1", 0), bbmdAddress, 60,
                            Duration.ofSeconds(10));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(new Bvll.RegisterForeignDevice(60), receive(bbmd, device));
            send(bbmd, new Bvll.Result(BvllResult.SUCCESSFUL_COMPLETION), device[0]);
            LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
            try (ForeignDevice fd = registering.get(10, TimeUnit.SECONDS)) {
                assertEquals(device[0], fd.address());
                fd.onNpdu((mac, npdu) -> heard.add(BipAddress.ofMac(mac) + " " + Hex.format(npdu)));
                ByteString npdu = Hex.parse("01201000");
                fd.broadcast(npdu).toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(new Bvll.DistributeBroadcast(npdu), receive(bbmd, null));
                fd.send(bbmdAddress.mac(), npdu).toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(new Bvll.OriginalUnicast(npdu), receive(bbmd, null));
                BipAddress origin = BipAddress.parse("127.0.0.1:47999");
                send(bbmd, new Bvll.Forwarded(origin, npdu), device[0]);
                assertEquals(origin + " " + Hex.format(npdu), heard.poll(10, TimeUnit.SECONDS),
                        "a Forwarded-NPDU comes from its originating address");
            }
            assertEquals(new Bvll.DeleteFdtEntry(device[0]), receive(bbmd, null));
        }
    }

    @Test
    void aRefusedRegistrationFailsNamingTheResultCode() throws Exception {
        try (DatagramSocket bbmd = bbmd()) {
            BipAddress bbmdAddress = BipAddress.of((InetSocketAddress) bbmd.getLocalSocketAddress());
            CompletableFuture<IOException> refused = CompletableFuture.supplyAsync(() -> assertThrows(
                    IOException.class, () -> ForeignDevice.register(new InetSocketAddress("127.0.0.1", 0),
                            bbmdAddress, 60, Duration.ofSeconds(10))));
            BipAddress[] device = new BipAddress[1];
            receive(bbmd, device);
            send(bbmd, new Bvll.Result(BvllResult.REGISTER_FOREIGN_DEVICE_NAK), device[0]);
            String message = refused.get(10, TimeUnit.SECONDS).getMessage();
            assertTrue(message.contains("refused the registration: BVLC-Result 0x0030"), message);
        }
    }

    @Test
    void aBbmdThatDoesNotAnswerFailsAfterTheWait() throws Exception {
        try (DatagramSocket silent = bbmd()) {
            BipAddress address = BipAddress.of((InetSocketAddress) silent.getLocalSocketAddress());
            IOException e = assertThrows(IOException.class, () -> ForeignDevice.register(
                    new InetSocketAddress("127.0.0.1", 0), address, 60, Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("did not answer Register-Foreign-Device"), e.getMessage());
        }
    }
}
