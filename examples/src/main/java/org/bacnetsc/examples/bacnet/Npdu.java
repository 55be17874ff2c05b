package org.bacnetsc.examples.bacnet;

import java.util.Optional;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.network.NpduCodec;
import org.bacnetsc.network.NpduDecodeResult;

/**
 * The network layer as an application on one network sees it (Clause 6.2), through node-runtime's
 * {@link NpduCodec}: APDUs come local, from a remote network (SNET/SADR: answer through the router it came from), or
 * as a global broadcast; answers go local or to a remote network's address.
 */
public final class Npdu {

    /** The global broadcast network. */
    public static final int GLOBAL = org.bacnetsc.network.Npdu.GLOBAL;

    private Npdu() {
    }

    /**
     * A decoded NPDU carrying an APDU.
     *
     * @param expectingReply the control octet's data-expecting-reply bit
     * @param apdu           the APDU
     * @param snet           the sender's network when it is on another network (then reached through the datalink
     *                       source, a router), else null
     * @param sadr           the sender's address on {@code snet}, else null
     */
    public record Decoded(boolean expectingReply, ByteString apdu, Integer snet, ByteString sadr) {

        /** Whether the sender is on another network. */
        public boolean remote() {
            return snet != null;
        }
    }

    /** An NPDU for a local APDU. */
    public static ByteString wrap(ByteString apdu, boolean expectingReply) {
        return NpduCodec.encode(org.bacnetsc.network.Npdu.local(apdu, expectingReply));
    }

    /**
     * An NPDU for an APDU to another network: {@code address} on {@code network}, a broadcast there when
     * {@code address} is empty, everywhere when {@code network} is {@link #GLOBAL}.
     */
    public static ByteString wrapTo(ByteString apdu, boolean expectingReply, int network, ByteString address) {
        return NpduCodec.encode(org.bacnetsc.network.Npdu.local(apdu, expectingReply)
                .withDestination(network, address, org.bacnetsc.network.Npdu.INITIAL_HOP_COUNT));
    }

    /**
     * The APDU of an NPDU addressed to this network (no destination, or a global broadcast); empty for network layer
     * messages, NPDUs for another network and malformed headers.
     */
    public static Optional<Decoded> unwrap(ByteString npdu) {
        if (!(NpduCodec.decode(npdu) instanceof NpduDecodeResult.Decoded d) || d.npdu().isNetworkMessage()) {
            return Optional.empty();
        }
        org.bacnetsc.network.Npdu n = d.npdu();
        if (n.hasDestination() && n.dnet() != GLOBAL) {
            return Optional.empty();
        }
        return Optional.of(new Decoded(n.expectingReply(), n.apdu(), n.snet(), n.sadr()));
    }

    /** The answer to {@code request} carrying {@code apdu}: back to its sender, or to its network when broadcast. */
    public static ByteString answer(Decoded request, ByteString apdu, boolean broadcast) {
        if (!request.remote()) {
            return wrap(apdu, false);
        }
        return wrapTo(apdu, false, request.snet(), broadcast ? ByteString.emptyByteString() : request.sadr());
    }
}
