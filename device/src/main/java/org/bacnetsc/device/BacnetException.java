package org.bacnetsc.device;

/**
 * A confirmed request that did not get its ACK: the server answered with an Error, a Reject or an Abort, or nothing
 * came within the APDU timeout and its retries, or this device may not initiate now (DeviceCommunicationControl) or
 * has too many requests outstanding.
 */
public final class BacnetException extends RuntimeException {

    /** Why. */
    public enum Kind {
        /** An Error-PDU: {@link #errorClass()}, {@link #errorCode()}. */
        ERROR,
        /** A Reject-PDU: {@link #reason()}. */
        REJECT,
        /** An Abort-PDU (from the server, or our own on a segmentation failure): {@link #reason()}. */
        ABORT,
        /** No answer within the APDU timeout, after every retry. */
        TIMEOUT,
        /** DeviceCommunicationControl disabled initiation. */
        COMMUNICATION_DISABLED,
        /** Every invoke ID is in use, or the request cannot be sent. */
        NOT_SENT
    }

    private final Kind kind;
    private final long errorClass;
    private final long errorCode;
    private final int reason;

    BacnetException(Kind kind, long errorClass, long errorCode, int reason, String message) {
        super(message);
        this.kind = kind;
        this.errorClass = errorClass;
        this.errorCode = errorCode;
        this.reason = reason;
    }

    static BacnetException error(long errorClass, long errorCode) {
        return new BacnetException(Kind.ERROR, errorClass, errorCode, -1,
                "Error class " + errorClass + " code " + errorCode);
    }

    static BacnetException reject(int reason) {
        return new BacnetException(Kind.REJECT, -1, -1, reason, "Reject reason " + reason);
    }

    static BacnetException abort(int reason, boolean fromServer) {
        return new BacnetException(Kind.ABORT, -1, -1, reason,
                (fromServer ? "Abort from the server, reason " : "Aborted, reason ") + reason);
    }

    static BacnetException of(Kind kind, String message) {
        return new BacnetException(kind, -1, -1, -1, message);
    }

    /** Why. */
    public Kind kind() {
        return kind;
    }

    /** The Error's class, or -1. */
    public long errorClass() {
        return errorClass;
    }

    /** The Error's code, or -1. */
    public long errorCode() {
        return errorCode;
    }

    /** The Reject or Abort reason, or -1. */
    public int reason() {
        return reason;
    }
}
