package org.bacnetsc.device.service;

/**
 * What decoding a service's data gives: the request or ACK, or why not with the Reject reason a server answers a
 * request with (digest 1.2). For an ACK the reason only classifies the fault; a client aborts or drops.
 */
public sealed interface ServiceDecode<T> permits ServiceDecode.Ok, ServiceDecode.Bad {

    /** Reject reason 2 inconsistent-parameters. */
    int INCONSISTENT_PARAMETERS = 2;
    /** Reject reason 3 invalid-parameter-data-type: an application tag of the wrong type. */
    int INVALID_PARAMETER_DATA_TYPE = 3;
    /** Reject reason 4 invalid-tag: an unexpected tag where a parameter is due. */
    int INVALID_TAG = 4;
    /** Reject reason 5 missing-required-parameter: the data (or the enclosing construct) ends too early. */
    int MISSING_REQUIRED_PARAMETER = 5;
    /** Reject reason 6 parameter-out-of-range. */
    int PARAMETER_OUT_OF_RANGE = 6;
    /** Reject reason 7 too-many-arguments: data after the last parameter. */
    int TOO_MANY_ARGUMENTS = 7;
    /** Reject reason 8 undefined-enumeration. */
    int UNDEFINED_ENUMERATION = 8;
    /** Reject reason 9 unrecognized-service (for the dispatcher: a choice no codec here serves). */
    int UNRECOGNIZED_SERVICE = 9;
    /** Reject reason 10 invalid-data-encoding: a malformed tag or a content that does not fit its type. */
    int INVALID_DATA_ENCODING = 10;

    /**
     * Decoded.
     *
     * @param value the request or ACK
     */
    record Ok<T>(T value) implements ServiceDecode<T> {
    }

    /**
     * Not decoded.
     *
     * @param rejectReason the Reject reason (2-10, constants above)
     * @param why          what is wrong and where, for logs
     */
    record Bad<T>(int rejectReason, String why) implements ServiceDecode<T> {
    }
}
