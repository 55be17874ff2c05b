package org.bacnetsc.connection;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;

/**
 * What a {@link Connection} reports to its parent. Every event names the connection it comes from.
 */
public sealed interface ConnectionEvent
        permits ConnectionEvent.AdmissionRequested, ConnectionEvent.Connected, ConnectionEvent.MessageReceived,
        ConnectionEvent.Disconnected, ConnectionEvent.DuplicateVmac, ConnectionEvent.Heartbeat {

    /** The connection that reports. */
    ActorRef<Connection.Command> connection();

    /**
     * Accepting side: a valid Connect-Request arrived; the parent answers {@link Connection.Admit} or
     * {@link Connection.Reject} (UUID first, then VMAC, digest §9).
     *
     * @param connection    the connection
     * @param vmac          the requester's VMAC
     * @param deviceUuid    the requester's Device UUID
     * @param maxBvlcLength the requester's Max-BVLC
     * @param maxNpduLength the requester's Max-NPDU
     */
    record AdmissionRequested(ActorRef<Connection.Command> connection, Vmac vmac, DeviceUuid deviceUuid,
                              int maxBvlcLength, int maxNpduLength) implements ConnectionEvent {
    }

    /**
     * The handshake completed; the connection is CONNECTED.
     *
     * @param connection    the connection
     * @param peerVmac      the peer's VMAC
     * @param peerUuid      the peer's Device UUID
     * @param maxBvlcLength the peer's Max-BVLC
     * @param maxNpduLength the peer's Max-NPDU
     * @param sink          the socket's outbound end for routed frames (a hub hands them to it from its own thread,
     *                      without a message to the connection), open while the connection is Connected; null when
     *                      the connection has none (then send {@link Connection.Forward})
     */
    record Connected(ActorRef<Connection.Command> connection, Vmac peerVmac, DeviceUuid peerUuid, int maxBvlcLength,
                     int maxNpduLength, FrameSink sink) implements ConnectionEvent {

        /** Without a direct sink. */
        public Connected(ActorRef<Connection.Command> connection, Vmac peerVmac, DeviceUuid peerUuid,
                         int maxBvlcLength, int maxNpduLength) {
            this(connection, peerVmac, peerUuid, maxBvlcLength, maxNpduLength, null);
        }

        /** Equal when they report the same connection and peer: the sink is a handle, not part of the value. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Connected c && connection.equals(c.connection) && peerVmac.equals(c.peerVmac)
                    && peerUuid.equals(c.peerUuid) && maxBvlcLength == c.maxBvlcLength
                    && maxNpduLength == c.maxNpduLength;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(connection, peerVmac, peerUuid, maxBvlcLength, maxNpduLength);
        }
    }

    /**
     * A valid message that is not connection-scoped arrived, with the raw frame it came in so that a hub can forward
     * it by rewriting header bytes.
     *
     * @param connection the connection
     * @param message    the decoded message
     * @param frame      the frame as received
     * @param release    the socket's inbound credit: run by the parent as it takes the event ({@link #taken})
     */
    record MessageReceived(ActorRef<Connection.Command> connection, BvlcMessage message, ByteString frame,
                           Runnable release) implements ConnectionEvent {
        /** Without inbound flow control. */
        public MessageReceived(ActorRef<Connection.Command> connection, BvlcMessage message, ByteString frame) {
            this(connection, message, frame, Connection.FrameReceived.NO_CREDIT);
        }
    }

    /**
     * Releases the socket's inbound credit of a {@link MessageReceived} (nothing for other events): a parent calls it
     * in its message adapter, as the event leaves its mailbox.
     *
     * @param event an event
     * @return the event
     */
    static ConnectionEvent taken(ConnectionEvent event) {
        if (event instanceof MessageReceived r) {
            r.release().run();
        }
        return event;
    }

    /**
     * The connection ended and the actor stops.
     *
     * @param connection the connection
     * @param state      NOT_CONNECTED after a clean end, DISCONNECTED_WITH_ERRORS after losing an established
     *                   connection, FAILED_TO_CONNECT when the handshake did not complete
     * @param error      the error, or null after a clean end
     * @param peerVmac   the peer's VMAC when known, else null
     * @param peerUuid   the peer's Device UUID when known, else null
     * @param peerAddress      the peer's host:port when the WebSocket was up, else null
     * @param connectTimestamp when the handshake completed, or null
     */
    record Disconnected(ActorRef<Connection.Command> connection, ScConnectionState state, ConnectionError error,
                        Vmac peerVmac, DeviceUuid peerUuid, String peerAddress, java.time.Instant connectTimestamp)
            implements ConnectionEvent {
    }

    /**
     * Initiating side: the peer refused our Connect-Request with NODE_DUPLICATE_VMAC; a {@link Disconnected} with
     * FAILED_TO_CONNECT follows.
     *
     * @param connection the connection
     * @param vmac       the VMAC that was refused
     */
    record DuplicateVmac(ActorRef<Connection.Command> connection, Vmac vmac) implements ConnectionEvent {
    }

    /**
     * A Heartbeat-Request of this connection went out, or was answered (docs/protocol.md, "Heartbeats"); for the
     * parent's counters ({@link HeartbeatCounters#plus}), nothing to answer.
     *
     * @param connection the connection
     * @param probe      false: the initiating side's heartbeat; true: the accepting side's probe of a peer silent for
     *                   2 x Heartbeat Timeout
     * @param answered   false: sent; true: answered in time (for a probe: anything arrived from the peer)
     */
    record Heartbeat(ActorRef<Connection.Command> connection, boolean probe, boolean answered)
            implements ConnectionEvent {
    }
}
