package org.bacnetsc.connection;

/** The answer to {@link Connection.Send}: handed to the WebSocket, or refused with a reason. */
public sealed interface SendResult permits SendResult.Sent, SendResult.Refused {

    /** Why a send was refused. */
    enum Reason {
        /** The connection is not in the CONNECTED state. */
        NOT_CONNECTED,
        /** The encoded frame is longer than the peer's Max-BVLC (or the NPDU than its Max-NPDU). */
        TOO_LONG_FOR_PEER,
        /** The connection's outbound queue is full. */
        QUEUE_FULL,
        /** The message may not be sent on this link (a connection-scoped function, wrong VMAC fields). */
        NOT_ALLOWED
    }

    /** Handed to the WebSocket. */
    enum Sent implements SendResult {
        INSTANCE
    }

    /**
     * Refused.
     *
     * @param reason  why
     * @param details a human-readable explanation
     */
    record Refused(Reason reason, String details) implements SendResult {
    }
}
