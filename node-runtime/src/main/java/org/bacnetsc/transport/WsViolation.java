package org.bacnetsc.transport;

/**
 * Why we failed a WebSocket (RFC 6455 §7.1.7): each reason with the close code we send and the label it is counted
 * under in status and metrics ({@code bacnet_sc_*_websocket_closed_total{reason=...}}).
 */
public enum WsViolation {
    /** RSV1, RSV2 or RSV3 set although we negotiate no extension (§5.2). */
    RESERVED_BITS(1002, "reserved_bits", "RSV bits set without a negotiated extension"),
    /** Opcode 3-7 or 11-15 (§5.2). */
    RESERVED_OPCODE(1002, "reserved_opcode", "reserved opcode"),
    /** A close, ping or pong frame longer than 125 octets (§5.5). */
    CONTROL_TOO_LONG(1002, "control_too_long", "control frame longer than 125 octets"),
    /** A close, ping or pong frame without FIN (§5.5). */
    CONTROL_FRAGMENTED(1002, "control_fragmented", "fragmented control frame"),
    /** A client frame without a mask, received by the server (§5.1). */
    UNMASKED_CLIENT_FRAME(1002, "unmasked_client_frame", "client frame not masked"),
    /** A server frame with a mask, received by the client (§5.1). */
    MASKED_SERVER_FRAME(1002, "masked_server_frame", "server frame masked"),
    /** A 64-bit payload length with its most significant bit set (§5.2). */
    LENGTH_OUT_OF_RANGE(1002, "length_out_of_range", "64-bit payload length with the most significant bit set"),
    /** A continuation frame with no fragmented message started (§5.4). */
    CONTINUATION_WITHOUT_START(1002, "continuation_without_start", "continuation frame without a started message"),
    /** A new text or binary frame while a fragmented message is not finished (§5.4). */
    DATA_INSIDE_FRAGMENTED(1002, "data_inside_fragmented_message",
            "new data frame inside a fragmented message"),
    /** A close frame whose payload is one octet (§5.5.1). */
    CLOSE_ONE_OCTET(1002, "close_one_octet", "close frame with a 1-octet payload"),
    /** A close frame with a status code that may not be sent (§7.4). */
    INVALID_CLOSE_CODE(1002, "invalid_close_code", "close frame with an invalid status code"),
    /** A close frame whose reason is not valid UTF-8 (§5.5.1, §8.1). */
    INVALID_CLOSE_REASON(1007, "invalid_close_reason", "close reason is not valid UTF-8"),
    /** A text frame: BACnet/SC carries binary messages only (AB.7.5.3). */
    TEXT_DATA(1003, "text_frame", "text frame; BACnet/SC uses binary frames only"),
    /** More pings in one second than {@code bacnet-sc.transport.max-pings-per-second}. */
    PING_FLOOD(1008, "ping_flood", "more pings per second than bacnet-sc.transport.max-pings-per-second");

    /** The close status code sent. */
    public final int closeCode;
    /** The label counted in status and metrics. */
    public final String label;
    /** What the peer did, for logs and the close reason. */
    public final String text;

    WsViolation(int closeCode, String label, String text) {
        this.closeCode = closeCode;
        this.label = label;
        this.text = text;
    }
}
