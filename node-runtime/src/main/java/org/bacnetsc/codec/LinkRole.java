package org.bacnetsc.codec;

import java.util.Optional;

/**
 * Which end of which kind of link a frame is received on, and the VMAC rules of digest §5 for it.
 */
public enum LinkRole {
    /** The hub function receiving from a node over a hub connection (node to hub). */
    HUB_FUNCTION,
    /** A node's hub connector receiving from its hub (hub to node). */
    HUB_CONNECTOR,
    /** Either end of a direct connection. */
    DIRECT;

    /**
     * Checks the VMAC fields of a received message against §5: connection-scoped functions never carry VMACs; node to
     * hub carries a Destination and no Originating; hub to node carries an Originating and either no Destination or
     * the broadcast one (a hub's own BVLC-Result carries neither); a direct connection carries neither.
     *
     * @param message the received message
     * @return HEADER_ENCODING_ERROR (answered with a NAK when the message is a unicast request) or empty when valid
     */
    public Optional<DecodeFailure> checkVmacs(BvlcMessage message) {
        String problem = problem(message);
        return problem == null ? Optional.empty()
                : Optional.of(DecodeFailure.refuse(message, ErrorCode.HEADER_ENCODING_ERROR, problem));
    }

    private String problem(BvlcMessage m) {
        Vmac orig = m.originating();
        Vmac dest = m.destination();
        if (m.function().connectionScoped() || this == DIRECT) {
            return orig == null && dest == null ? null
                    : m.function() + " on " + linkName() + " carries " + vmacFields(orig, dest) + " but must carry none";
        }
        switch (this) {
            case HUB_FUNCTION:
                if (orig != null) {
                    return "a hub-bound " + m.function() + " carries an Originating VMAC";
                }
                if (dest == null && answersConnectionScoped(m)) {
                    // the node's own connection-level answer (to the hub's Heartbeat-Request or Disconnect-Request),
                    // shaped like the hub's own connection-level NAK (digest §5)
                    return null;
                }
                return dest == null ? "a hub-bound " + m.function() + " carries no Destination VMAC" : null;
            case HUB_CONNECTOR:
                if (orig == null) {
                    return dest == null && m.function() == BvlcFunction.BVLC_RESULT ? null
                            : "a hub-delivered " + m.function() + " carries no Originating VMAC";
                }
                if (orig.isBroadcast() || orig.isUnset()) {
                    return "Originating VMAC " + orig + " is not a node address";
                }
                return dest == null || dest.isBroadcast() ? null
                        : "a hub-delivered " + m.function() + " carries a unicast Destination VMAC";
            default:
                return null;
        }
    }

    private static boolean answersConnectionScoped(BvlcMessage m) {
        return m.payload() instanceof Payload.BvlcResult r
                && BvlcFunction.find(r.resultFor()).map(BvlcFunction::connectionScoped).orElse(false);
    }

    private static String vmacFields(Vmac orig, Vmac dest) {
        return orig != null && dest != null ? "Originating and Destination VMACs"
                : orig != null ? "an Originating VMAC" : "a Destination VMAC";
    }

    private String linkName() {
        return this == DIRECT ? "a direct connection" : "a hub connection";
    }
}
