package org.bacnetsc.device;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.node.ScNode;

/**
 * How the application layer reaches its network: an SC node, a BACnet/IP socket, or a router's own application
 * entity. MACs are the data link's (a VMAC; a B/IP address's 6 octets).
 */
public interface Link {

    /** Sends an NPDU to data link MAC {@code mac} (for a remote network: its router's). */
    CompletionStage<?> send(ByteString mac, ByteString npdu);

    /** Sends an NPDU as a local broadcast. */
    CompletionStage<?> broadcast(ByteString npdu);

    /** A link over an SC node. */
    static Link of(ScNode node) {
        return new Link() {
            @Override
            public CompletionStage<?> send(ByteString mac, ByteString npdu) {
                return node.send(Vmac.of(mac.toArray()), npdu);
            }

            @Override
            public CompletionStage<?> broadcast(ByteString npdu) {
                return node.broadcast(npdu);
            }
        };
    }
}
