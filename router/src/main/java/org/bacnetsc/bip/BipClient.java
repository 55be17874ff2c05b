package org.bacnetsc.bip;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.Link;

/**
 * What the B/IP clients ({@link BipLink}, {@link ForeignDevice}) share: their socket, their own address, the handler
 * of the NPDUs they receive, and unicasts as Original-Unicast-NPDU; how each broadcasts is its own.
 */
abstract class BipClient implements Link, AutoCloseable {

    /** Set by the subclass's constructor; datagrams before that are dropped. */
    BvllSocket socket;
    private volatile NpduReceiver handler = (mac, npdu, broadcast) -> { };

    /** This client's own B/IP address (its MAC on the B/IP network). */
    public BipAddress address() {
        return socket.address();
    }

    /** Who gets the NPDUs from now on: the B/IP source's 6-octet MAC and the NPDU. */
    public void onNpdu(BiConsumer<ByteString, ByteString> receiver) {
        this.handler = (mac, npdu, broadcast) -> receiver.accept(mac, npdu);
    }

    /** Who gets the NPDUs from now on, told whether each came as a broadcast ({@code device::onNpdu} fits). */
    public void onNpdu(NpduReceiver receiver) {
        this.handler = receiver;
    }

    /** Original-Unicast-NPDU to the B/IP address {@code mac}. */
    @Override
    public CompletionStage<?> send(ByteString mac, ByteString npdu) {
        return socket.send(BipAddress.ofMac(mac), new Bvll.OriginalUnicast(npdu));
    }

    /**
     * Hands an NPDU-carrying BVLL to the handler: unicasts as such, Original-Broadcasts and Forwarded-NPDUs (from
     * their origin, but not our own broadcasts coming back) as broadcasts. Whether it was one of those.
     */
    boolean deliver(BipAddress from, Bvll m) {
        if (m instanceof Bvll.OriginalUnicast u) {
            handler.received(from.mac(), u.npdu(), false);
        } else if (m instanceof Bvll.OriginalBroadcast b) {
            handler.received(from.mac(), b.npdu(), true);
        } else if (m instanceof Bvll.Forwarded f) {
            if (!f.origin().equals(socket.address())) {
                handler.received(f.origin().mac(), f.npdu(), true);
            }
        } else {
            return false;
        }
        return true;
    }
}
