package org.bacnetsc.codec;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The BACnet error codes used by BACnet/SC (digest §7): the BVLC-SC NAK codes 143-151 and the ones shared with the
 * rest of BACnet, and the connection-status codes 152-204 that appear only in status properties, never in a BVLC
 * message.
 */
public enum ErrorCode {
    OTHER(0),
    INCONSISTENT_PARAMETERS(7),
    MISSING_REQUIRED_PARAMETER(16),
    TIMEOUT(30),
    OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED(45),
    PARAMETER_OUT_OF_RANGE(80),
    SUCCESS(84),
    OUT_OF_MEMORY(133),
    INVALID_DATA_ENCODING(142),
    BVLC_FUNCTION_UNKNOWN(143),
    BVLC_PROPRIETARY_FUNCTION_UNKNOWN(144),
    HEADER_ENCODING_ERROR(145),
    HEADER_NOT_UNDERSTOOD(146),
    MESSAGE_INCOMPLETE(147),
    NOT_A_BACNET_SC_HUB(148),
    PAYLOAD_EXPECTED(149),
    UNEXPECTED_DATA(150),
    NODE_DUPLICATE_VMAC(151),
    HTTP_UNEXPECTED_RESPONSE_CODE(152),
    HTTP_NO_UPGRADE(153),
    HTTP_RESOURCE_NOT_LOCAL(154),
    HTTP_PROXY_AUTHENTICATION_FAILED(155),
    HTTP_RESPONSE_TIMEOUT(156),
    HTTP_RESPONSE_SYNTAX_ERROR(157),
    HTTP_RESPONSE_VALUE_ERROR(158),
    HTTP_RESPONSE_MISSING_HEADER(159),
    HTTP_WEBSOCKET_HEADER_ERROR(160),
    HTTP_UPGRADE_REQUIRED(161),
    HTTP_UPGRADE_ERROR(162),
    HTTP_TEMPORARY_UNAVAILABLE(163),
    HTTP_NOT_A_SERVER(164),
    HTTP_ERROR(165),
    WEBSOCKET_SCHEME_NOT_SUPPORTED(166),
    WEBSOCKET_UNKNOWN_CONTROL_MESSAGE(167),
    WEBSOCKET_CLOSE_ERROR(168),
    WEBSOCKET_CLOSED_BY_PEER(169),
    WEBSOCKET_ENDPOINT_LEAVES(170),
    WEBSOCKET_PROTOCOL_ERROR(171),
    WEBSOCKET_DATA_NOT_ACCEPTED(172),
    WEBSOCKET_CLOSED_ABNORMALLY(173),
    WEBSOCKET_DATA_INCONSISTENT(174),
    WEBSOCKET_DATA_AGAINST_POLICY(175),
    WEBSOCKET_FRAME_TOO_LONG(176),
    WEBSOCKET_EXTENSION_MISSING(177),
    WEBSOCKET_REQUEST_UNAVAILABLE(178),
    WEBSOCKET_ERROR(179),
    TLS_CLIENT_CERTIFICATE_ERROR(180),
    TLS_SERVER_CERTIFICATE_ERROR(181),
    TLS_CLIENT_AUTHENTICATION_FAILED(182),
    TLS_SERVER_AUTHENTICATION_FAILED(183),
    TLS_CLIENT_CERTIFICATE_EXPIRED(184),
    TLS_SERVER_CERTIFICATE_EXPIRED(185),
    TLS_CLIENT_CERTIFICATE_REVOKED(186),
    TLS_SERVER_CERTIFICATE_REVOKED(187),
    TLS_ERROR(188),
    DNS_UNAVAILABLE(189),
    DNS_NAME_RESOLUTION_FAILED(190),
    DNS_RESOLVER_FAILURE(191),
    DNS_ERROR(192),
    TCP_CONNECT_TIMEOUT(193),
    TCP_CONNECTION_REFUSED(194),
    TCP_CLOSED_BY_LOCAL(195),
    TCP_CLOSED_OTHER(196),
    TCP_ERROR(197),
    IP_ADDRESS_NOT_REACHABLE(198),
    IP_ERROR(199),
    CERTIFICATE_EXPIRED(200),
    CERTIFICATE_INVALID(201),
    CERTIFICATE_MALFORMED(202),
    CERTIFICATE_REVOKED(203),
    UNKNOWN_SECURITY_KEY(204);

    private static final Map<Integer, ErrorCode> BY_CODE = new HashMap<>();

    static {
        for (ErrorCode c : values()) {
            BY_CODE.put(c.code, c);
        }
    }

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The wire number. */
    public int code() {
        return code;
    }

    /** Strict lookup of a wire number. */
    public static Optional<ErrorCode> find(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** Strict lookup that fails on an unknown number. */
    public static ErrorCode of(int code) {
        return find(code).orElseThrow(() -> new IllegalArgumentException("unknown error code " + code));
    }
}
