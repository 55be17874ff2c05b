package org.bacnetsc.examples.bacnet;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.bip.BipAddress;
import org.bacnetsc.bip.Bvll;
import org.bacnetsc.bip.BvllCodec;
import org.bacnetsc.bip.BvllDecodeResult;

/**
 * A BACnet/IP foreign device (Annex J.5.3; digest §10): a UDP socket registered with a BBMD, which carries its
 * broadcasts (Distribute-Broadcast-To-Network) and forwards the network's broadcasts to it. Registration is renewed at
 * half the time-to-live. A {@link Link} for the application layer; received NPDUs go to the handler with their
 * B/IP source (for a Forwarded-NPDU: the originating address).
 */
public final class ForeignDevice implements Link, AutoCloseable {

    private final DatagramSocket socket;
    private final BipAddress bbmd;
    private final int timeToLive;
    private final BipAddress self;
    private final CompletableFuture<Integer> registered = new CompletableFuture<>();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bip-foreign-device-renewal");
        t.setDaemon(true);
        return t;
    });
    private volatile BiConsumer<ByteString, ByteString> handler = (mac, npdu) -> { };

    private ForeignDevice(DatagramSocket socket, BipAddress bbmd, int timeToLive) {
        this.socket = socket;
        this.bbmd = bbmd;
        this.timeToLive = timeToLive;
        this.self = BipAddress.of((InetSocketAddress) socket.getLocalSocketAddress());
        Thread receiver = new Thread(this::receive, "bip-foreign-device-" + self);
        receiver.setDaemon(true);
        receiver.start();
    }

    /**
     * Binds {@code bind} (IPv4; port 0 picks one) and registers with {@code bbmd} for {@code timeToLive} seconds,
     * waiting at most {@code within} for the BBMD's result. NPDUs received go nowhere until {@link #onNpdu} names
     * who gets them.
     *
     * @throws IOException when it cannot bind, or the BBMD does not answer or refuses (its result code named)
     */
    public static ForeignDevice register(InetSocketAddress bind, BipAddress bbmd, int timeToLive, Duration within)
            throws IOException {
        ForeignDevice d = new ForeignDevice(new DatagramSocket(bind), bbmd, timeToLive);
        try {
            d.register();
            int code = d.registered.get(within.toMillis(), TimeUnit.MILLISECONDS);
            if (code != 0) {
                throw new IOException("the BBMD at " + bbmd + " refused the registration: BVLC-Result 0x"
                        + String.format("%04X", code));
            }
        } catch (java.util.concurrent.TimeoutException e) {
            d.close();
            throw new IOException("the BBMD at " + bbmd + " did not answer Register-Foreign-Device within " + within);
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            d.close();
            throw new IOException(e);
        } catch (IOException e) {
            d.close();
            throw e;
        }
        long renew = Math.max(1, timeToLive / 2);
        d.renewals.scheduleAtFixedRate(d::registerQuietly, renew, renew, TimeUnit.SECONDS);
        return d;
    }

    /** This device's own B/IP address. */
    public BipAddress address() {
        return self;
    }

    /** Who gets the NPDUs from now on. */
    public void onNpdu(BiConsumer<ByteString, ByteString> handler) {
        this.handler = handler;
    }

    @Override
    public CompletionStage<?> send(ByteString mac, ByteString npdu) {
        return datagram(BipAddress.ofMac(mac), new Bvll.OriginalUnicast(npdu));
    }

    @Override
    public CompletionStage<?> broadcast(ByteString npdu) {
        return datagram(bbmd, new Bvll.DistributeBroadcast(npdu));
    }

    private void register() throws IOException {
        byte[] b = BvllCodec.encode(new Bvll.RegisterForeignDevice(timeToLive)).toArray();
        socket.send(new DatagramPacket(b, b.length, bbmd.socketAddress()));
    }

    private void registerQuietly() {
        try {
            register();
        } catch (IOException e) {
            // the next renewal tries again; the BBMD keeps the entry for the grace period
        }
    }

    private CompletionStage<?> datagram(BipAddress to, Bvll m) {
        byte[] b = BvllCodec.encode(m).toArray();
        try {
            socket.send(new DatagramPacket(b, b.length, to.socketAddress()));
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void receive() {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return; // closed
            }
            BipAddress from = BipAddress.of((InetSocketAddress) p.getSocketAddress());
            BvllDecodeResult r = BvllCodec.decode(ByteString.fromArray(buffer, 0, p.getLength()));
            if (!(r instanceof BvllDecodeResult.Decoded d)) {
                continue;
            }
            Bvll m = d.bvll();
            if (m instanceof Bvll.Result res && from.equals(bbmd)) {
                registered.complete(res.code());
            } else if (m instanceof Bvll.OriginalUnicast u) {
                handler.accept(from.mac(), u.npdu());
            } else if (m instanceof Bvll.OriginalBroadcast b) {
                handler.accept(from.mac(), b.npdu());
            } else if (m instanceof Bvll.Forwarded f && !f.origin().equals(self)) {
                handler.accept(f.origin().mac(), f.npdu());
            }
        }
    }

    /** Deletes its FDT entry (Delete-Foreign-Device-Table-Entry) and closes the socket. */
    @Override
    public void close() {
        renewals.shutdownNow();
        if (!socket.isClosed()) {
            datagram(bbmd, new Bvll.DeleteFdtEntry(self));
            socket.close();
        }
    }
}
