package org.bacnetsc.connection;

import org.apache.pekko.util.ByteString;

/**
 * A way around the connection actor for routine inbound frames: the socket offers each complete binary message to it
 * (on the socket's own thread, and only while no earlier message of the socket is still waiting in an actor's mailbox,
 * so that order is kept); a frame it does not take goes to the connection actor as before. A hub installs one on each
 * Connected connection to route plain unicast Encapsulated-NPDUs straight to the recipient's socket
 * ({@link FrameSink#shortcut}).
 */
@FunctionalInterface
public interface InboundShortcut {

    /**
     * Takes the frame (and handles it completely: delivers it, or drops and counts it) or leaves it.
     *
     * @param frame a complete binary message as received
     * @return true when taken; false: the connection actor gets it
     */
    boolean take(ByteString frame);
}
