package org.bacnetsc.bip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.Link;

/**
 * A BACnet/IP foreign device (Annex J.5.3; digest §10): a UDP socket registered with a BBMD, which carries its
 * broadcasts (Distribute-Broadcast-To-Network) and forwards the network's broadcasts to it. Registration is renewed at
 * half the time-to-live. A {@link Link} for the application layer; received NPDUs go to the handler with their
 * B/IP source (for a Forwarded-NPDU: the originating address) and whether they came as a broadcast:
 * <pre>{@code
 * ForeignDevice fd = ForeignDevice.register(new InetSocketAddress("127.0.0.1", 0), bbmd, 60, Duration.ofSeconds(5));
 * BacnetDevice device = BacnetDevice.start(system, new ObjectDatabase(DeviceInfo.of(9001, "tool")), fd, () -> { });
 * fd.onNpdu(device::onNpdu);
 * }</pre>
 */
public final class ForeignDevice extends BipClient {

    private final BipAddress bbmd;
    private final int timeToLive;
    private final CompletableFuture<Integer> registered = new CompletableFuture<>();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bip-foreign-device-renewal");
        t.setDaemon(true);
        return t;
    });

    private ForeignDevice(InetSocketAddress bind, BipAddress bbmd, int timeToLive) throws IOException {
        this.bbmd = bbmd;
        this.timeToLive = timeToLive;
        this.socket = new BvllSocket(bind, "bip-foreign-device", this::received);
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
        ForeignDevice d = new ForeignDevice(bind, bbmd, timeToLive);
        try {
            d.register();
            int code = d.registered.get(within.toMillis(), TimeUnit.MILLISECONDS);
            if (code != 0) {
                throw new IOException("the BBMD at " + bbmd + " refused the registration: BVLC-Result 0x"
                        + String.format("%04X", code));
            }
        } catch (TimeoutException e) {
            d.close();
            throw new IOException("the BBMD at " + bbmd + " did not answer Register-Foreign-Device within " + within);
        } catch (InterruptedException | ExecutionException e) {
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

    /** The BBMD it is registered with. */
    public BipAddress bbmd() {
        return bbmd;
    }

    /** Distribute-Broadcast-To-Network through the BBMD. */
    @Override
    public CompletionStage<?> broadcast(ByteString npdu) {
        return socket.send(bbmd, new Bvll.DistributeBroadcast(npdu));
    }

    private void register() throws IOException {
        CompletionStage<?> sent = socket.send(bbmd, new Bvll.RegisterForeignDevice(timeToLive));
        try {
            sent.toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private void registerQuietly() {
        try {
            register();
        } catch (IOException e) {
            // the next renewal tries again; the BBMD keeps the entry for the grace period
        }
    }

    private void received(BipAddress from, Bvll m) {
        if (socket == null) {
            return; // a datagram before the constructor finished: nobody can have sent it to us yet
        }
        if (m instanceof Bvll.Result res && from.equals(bbmd)) {
            registered.complete(res.code());
        } else {
            deliver(from, m);
        }
    }

    /** Deletes its FDT entry (Delete-Foreign-Device-Table-Entry) and closes the socket. */
    @Override
    public void close() {
        renewals.shutdownNow();
        if (!socket.isClosed()) {
            socket.send(bbmd, new Bvll.DeleteFdtEntry(address()));
            socket.close();
        }
    }
}
