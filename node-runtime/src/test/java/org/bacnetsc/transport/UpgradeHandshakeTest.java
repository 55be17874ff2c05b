package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UpgradeHandshakeTest {

    @Test
    void secWebSocketAcceptIsComputedAsInRfc6455() {
        // RFC 6455 §1.3's example.
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", UpgradeHandshake.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
