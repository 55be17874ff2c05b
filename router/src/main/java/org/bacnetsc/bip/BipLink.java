package org.bacnetsc.bip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.Link;

/**
 * A plain BACnet/IP node as a {@link Link} (Annex J; digest §9), without registering anywhere: a UDP socket that
 * sends unicasts as Original-Unicast-NPDU to the B/IP address in the 6-octet MAC (IPv4 then port) and broadcasts as
 * Original-Broadcast-NPDU to one configured address, for a tool or a test that talks to a router's B/IP port
 * directly. On loopback there is no real broadcast: give the router's own address (or its BBMD's) as the broadcast
 * address, and the router's broadcasts reach the link when the router's {@code bip-broadcast} is the link's address.
 * <pre>{@code
 * BipLink link = BipLink.open(routerAddress);
 * BacnetDevice tool = BacnetDevice.start(system, new ObjectDatabase(DeviceInfo.of(9001, "tool")), link, () -> { });
 * link.onNpdu(tool::onNpdu);
 * }</pre>
 * Datagrams from its own address and Forwarded-NPDUs of its own broadcasts are dropped; BBMD functions, results and
 * acks are ignored.
 */
public final class BipLink extends BipClient {

    private final BipAddress broadcastTo;

    private BipLink(InetSocketAddress bind, BipAddress broadcastTo) throws IOException {
        this.broadcastTo = broadcastTo;
        this.socket = new BvllSocket(bind, "bip-link", this::received);
    }

    /** Binds 127.0.0.1 on a free port; broadcasts go to {@code broadcastTo}. */
    public static BipLink open(BipAddress broadcastTo) throws IOException {
        return open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), broadcastTo);
    }

    /**
     * Binds {@code bind} (IPv4; port 0 picks one); broadcasts go to {@code broadcastTo}.
     *
     * @throws IOException when it cannot bind
     */
    public static BipLink open(InetSocketAddress bind, BipAddress broadcastTo) throws IOException {
        return new BipLink(bind, broadcastTo);
    }

    /** Where its broadcasts go. */
    public BipAddress broadcastAddress() {
        return broadcastTo;
    }

    /** Original-Broadcast-NPDU to the broadcast address. */
    @Override
    public CompletionStage<?> broadcast(ByteString npdu) {
        return socket.send(broadcastTo, new Bvll.OriginalBroadcast(npdu));
    }

    private void received(BipAddress from, Bvll m) {
        BvllSocket s = socket;
        if (s == null || from.equals(s.address())) {
            return; // before the constructor finished, or our own broadcast looped back
        }
        deliver(from, m);
    }

    /** Closes the socket. */
    @Override
    public void close() {
        socket.close();
    }
}
