package org.bacnetsc.codec;

import java.util.List;

/**
 * One BVLC-SC message (digest §2): the header fields and a typed payload. Immutable.
 *
 * @param messageId          the 16-bit Message ID
 * @param originating        the Originating VMAC, or null when absent
 * @param destination        the Destination VMAC, or null when absent
 * @param destinationOptions the destination options in wire order (empty when absent)
 * @param dataOptions        the data options in wire order (empty when absent; only on Encapsulated-NPDU)
 * @param payload            the function-specific payload
 */
public record BvlcMessage(int messageId, Vmac originating, Vmac destination, List<HeaderOption> destinationOptions,
                          List<HeaderOption> dataOptions, Payload payload) implements DecodeResult {

    /** Validates ranges; data options are allowed on Encapsulated-NPDU only. */
    public BvlcMessage {
        Checks.u16("messageId", messageId);
        Checks.notNull("payload", payload);
        destinationOptions = List.copyOf(destinationOptions);
        dataOptions = List.copyOf(dataOptions);
        if (!dataOptions.isEmpty() && payload.function() != BvlcFunction.ENCAPSULATED_NPDU) {
            throw new IllegalArgumentException("data options are allowed on Encapsulated-NPDU only, not on "
                    + payload.function());
        }
    }

    /** A message without VMACs or options (a connection-scoped message, or one on a direct connection). */
    public static BvlcMessage of(int messageId, Payload payload) {
        return new BvlcMessage(messageId, null, null, List.of(), List.of(), payload);
    }

    /** A message with the given VMACs (either may be null) and no options. */
    public static BvlcMessage of(int messageId, Vmac originating, Vmac destination, Payload payload) {
        return new BvlcMessage(messageId, originating, destination, List.of(), List.of(), payload);
    }

    /** The function. */
    public BvlcFunction function() {
        return payload.function();
    }

    /** Whether the Destination VMAC is present and is the broadcast VMAC. */
    public boolean isBroadcast() {
        return destination != null && destination.isBroadcast();
    }

    /** This message with other VMACs. */
    public BvlcMessage withVmacs(Vmac newOriginating, Vmac newDestination) {
        return new BvlcMessage(messageId, newOriginating, newDestination, destinationOptions, dataOptions, payload);
    }

    /** This message with another Message ID. */
    public BvlcMessage withMessageId(int newMessageId) {
        return new BvlcMessage(newMessageId, originating, destination, destinationOptions, dataOptions, payload);
    }
}
