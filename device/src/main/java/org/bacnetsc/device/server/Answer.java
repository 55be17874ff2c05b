package org.bacnetsc.device.server;

import org.apache.pekko.util.ByteString;

/** What the server answers a confirmed request with, before the transaction layer segments or sends it. */
public sealed interface Answer {

    /** A SimpleACK; {@code then} is what to do once it is sent. */
    record Simple(After then) implements Answer {
    }

    /**
     * A ComplexACK's service data.
     *
     * @param data the ACK's encoding (segmented by the transaction layer when too long for the client)
     */
    record Complex(ByteString data) implements Answer {
    }

    /**
     * An Error-PDU.
     *
     * @param errorClass the class
     * @param errorCode  the code
     */
    record Error(long errorClass, long errorCode) implements Answer {
    }

    /**
     * A Reject-PDU.
     *
     * @param reason the reject reason
     * @param why    for the log
     */
    record Reject(int reason, String why) implements Answer {
    }

    /**
     * An Abort-PDU from the server.
     *
     * @param reason the abort reason
     */
    record Abort(int reason) implements Answer {
    }

    /** What the device does after a SimpleACK has gone out. */
    sealed interface After {
    }

    /** Nothing. */
    enum Nothing implements After {
        INSTANCE
    }

    /**
     * DeviceCommunicationControl accepted: change the device's communication state.
     *
     * @param enable          0 enable, 2 disable-initiation
     * @param durationMinutes how long before it reverts to enable, or null for indefinitely
     */
    record Communication(int enable, Integer durationMinutes) implements After {
    }

    /**
     * ReinitializeDevice accepted.
     *
     * @param state 0 coldstart, 1 warmstart, 7 activate-changes
     */
    record Reinitialize(int state) implements After {
    }
}
