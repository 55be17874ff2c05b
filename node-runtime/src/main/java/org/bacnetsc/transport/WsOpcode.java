package org.bacnetsc.transport;

/** The RFC 6455 opcodes (§5.2) with their wire codes; the reserved codes 3-7 and 11-15 have no constant. */
enum WsOpcode {
    CONTINUATION(0),
    TEXT(1),
    BINARY(2),
    CLOSE(8),
    PING(9),
    PONG(10);

    private static final WsOpcode[] BY_CODE = new WsOpcode[16];

    static {
        for (WsOpcode o : values()) {
            BY_CODE[o.code] = o;
        }
    }

    /** The 4-bit wire code. */
    final int code;

    WsOpcode(int code) {
        this.code = code;
    }

    /** The opcode for a 4-bit code, or null for a reserved one. */
    static WsOpcode find(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Close, ping and pong (§5.5): at most 125 octets, never fragmented. */
    boolean isControl() {
        return code >= 8;
    }
}
