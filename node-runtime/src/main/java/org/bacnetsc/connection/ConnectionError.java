package org.bacnetsc.connection;

import org.bacnetsc.codec.ErrorClass;
import org.bacnetsc.codec.ErrorCode;

/**
 * An error as kept in SC connection status: class, code and details.
 *
 * @param errorClass the error class
 * @param errorCode  the error code
 * @param details    human-readable details
 */
public record ConnectionError(ErrorClass errorClass, ErrorCode errorCode, String details) {

    /** A COMMUNICATION-class error. */
    public static ConnectionError communication(ErrorCode code, String details) {
        return new ConnectionError(ErrorClass.COMMUNICATION, code, details);
    }

    /** The error for a WebSocket closed with the given status (digest §13, AB.7.5.5). */
    public static ConnectionError ofCloseStatus(int status, String reason) {
        ErrorCode code = switch (status) {
            case 1000 -> ErrorCode.WEBSOCKET_CLOSED_BY_PEER;
            case 1001 -> ErrorCode.WEBSOCKET_ENDPOINT_LEAVES;
            case 1002 -> ErrorCode.WEBSOCKET_PROTOCOL_ERROR;
            case 1003 -> ErrorCode.WEBSOCKET_DATA_NOT_ACCEPTED;
            case 1006 -> ErrorCode.WEBSOCKET_CLOSED_ABNORMALLY;
            case 1007 -> ErrorCode.WEBSOCKET_DATA_INCONSISTENT;
            case 1008 -> ErrorCode.WEBSOCKET_DATA_AGAINST_POLICY;
            case 1009 -> ErrorCode.WEBSOCKET_FRAME_TOO_LONG;
            case 1010 -> ErrorCode.WEBSOCKET_EXTENSION_MISSING;
            case 1011 -> ErrorCode.WEBSOCKET_REQUEST_UNAVAILABLE;
            default -> ErrorCode.WEBSOCKET_ERROR;
        };
        String text = "WebSocket closed with " + status + (reason == null || reason.isEmpty() ? "" : ": " + reason);
        return communication(code, text);
    }
}
