package org.bacnetsc.connection;

import org.apache.pekko.util.ByteString;

/** What a {@link Connection} tells its WebSocket: send one binary message, or close. */
public sealed interface SocketCommand permits SocketCommand.SendFrame, SocketCommand.Close {

    /**
     * Send one BVLC-SC frame as one binary WebSocket message.
     *
     * @param frame   the frame
     * @param replyTo told {@link SendResult.Sent} once the frame is queued for the WebSocket, or
     *                {@link SendResult.Refused} with QUEUE_FULL; null when nobody waits
     */
    record SendFrame(ByteString frame, org.apache.pekko.actor.typed.ActorRef<SendResult> replyTo)
            implements SocketCommand {

        /** A frame nobody waits for. */
        public SendFrame(ByteString frame) {
            this(frame, null);
        }
    }

    /**
     * Close the WebSocket with a status code (1000 for a graceful end).
     *
     * @param code   the WebSocket close status
     * @param reason a short reason
     */
    record Close(int code, String reason) implements SocketCommand {
    }
}
