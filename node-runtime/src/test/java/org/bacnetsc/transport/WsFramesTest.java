package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class WsFramesTest {

    @Test
    void anUnmaskedFrameIsTheRfc6455HeaderThenThePayloadAtEverySize() {
        for (int length : new int[] {0, 1, 125, 126, WsFrames.COPY_LIMIT, WsFrames.COPY_LIMIT + 1, 65535, 65536}) {
            byte[] payload = new byte[length];
            for (int i = 0; i < length; i++) {
                payload[i] = (byte) (i * 13 + 5);
            }
            ByteString frame = WsFrames.frame(WsOpcode.BINARY, ByteString.fromArray(payload), null);
            ByteBuffer expected = ByteBuffer.allocate(10 + length);
            expected.put((byte) 0x82);
            if (length < 126) {
                expected.put((byte) length);
            } else if (length < 65536) {
                expected.put((byte) 126).putShort((short) length);
            } else {
                expected.put((byte) 127).putLong(length);
            }
            expected.put(payload).flip();
            assertEquals(ByteString.fromByteBuffer(expected), frame, "payload of " + length);
        }
    }
}
