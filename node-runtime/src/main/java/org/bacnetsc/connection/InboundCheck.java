package org.bacnetsc.connection;

import java.util.Optional;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DecodeFailure;
import org.bacnetsc.codec.DecodeResult;
import org.bacnetsc.codec.LinkRole;
import org.bacnetsc.codec.Vmac;

/**
 * The checks a connection applies to every frame it receives (digest §5-§7): our Max-BVLC, decoding, the VMAC rules
 * of the link's role, must-understand destination options; and what a failing frame gets back: its NAK, or nothing.
 * Pure: the {@link Connection} counts, logs and sends what the verdict says.
 */
final class InboundCheck {

    /** What a frame turned out to be. */
    sealed interface Verdict permits Valid, Oversize, Invalid {
    }

    /**
     * A valid message.
     *
     * @param message                      the message as it is to be handled
     * @param strippedOwnOriginatingVmac   a peer's own Originating VMAC on a hub-bound frame was accepted and
     *                                     removed (a bac-py deviation, tolerated where configured)
     */
    record Valid(BvlcMessage message, boolean strippedOwnOriginatingVmac) implements Verdict {
    }

    /** Longer than our Max-BVLC: dropped unread. */
    record Oversize(int size) implements Verdict {
    }

    /**
     * Not a valid message.
     *
     * @param failure what is wrong
     * @param nak     the NAK to send back, or empty to drop the frame without an answer
     */
    record Invalid(DecodeFailure failure, Optional<BvlcMessage> nak) implements Verdict {
    }

    private InboundCheck() {
    }

    /**
     * Checks {@code frame} received on a link of {@code role} from the peer {@code peerVmac} (null before the
     * handshake).
     *
     * @param maxBvlcLength            our Max-BVLC length
     * @param acceptOwnOriginatingVmac whether the hub function accepts (and strips) a node's own VMAC as the
     *                                 Originating VMAC of hub-bound frames
     */
    static Verdict check(ByteString frame, int maxBvlcLength, LinkRole role, Vmac peerVmac,
                         boolean acceptOwnOriginatingVmac) {
        if (frame.size() > maxBvlcLength) {
            return new Oversize(frame.size());
        }
        DecodeResult decoded = BvlcCodec.decode(frame);
        if (decoded instanceof DecodeFailure failure) {
            return invalid(failure, role);
        }
        BvlcMessage m = (BvlcMessage) decoded;
        boolean stripped = false;
        if (acceptOwnOriginatingVmac && role == LinkRole.HUB_FUNCTION && m.originating() != null
                && m.originating().equals(peerVmac) && !m.function().connectionScoped()) {
            m = m.withVmacs(null, m.destination());
            stripped = true;
        }
        Optional<DecodeFailure> failure = role.checkVmacs(m);
        if (failure.isEmpty() && (role != LinkRole.HUB_FUNCTION || m.function().connectionScoped())) {
            failure = BvlcCodec.checkDestinationOptions(m);
        }
        return failure.isPresent() ? invalid(failure.get(), role) : new Valid(m, stripped);
    }

    private static Invalid invalid(DecodeFailure failure, LinkRole role) {
        if (failure.silentDrop()) {
            return new Invalid(failure, Optional.empty());
        }
        Vmac nakDestination = null;
        if (role == LinkRole.HUB_CONNECTOR) {
            // Node to hub: a NAK needs a Destination (§5); the sender is the offending frame's Originating VMAC.
            nakDestination = failure.originating();
            if (nakDestination == null || nakDestination.isBroadcast()) {
                return new Invalid(failure, Optional.empty());
            }
        }
        return new Invalid(failure, failure.nak(nakDestination));
    }
}
