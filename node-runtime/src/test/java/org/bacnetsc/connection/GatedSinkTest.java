package org.bacnetsc.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class GatedSinkTest {

    @Test
    void passesFramesOnAndCountsThemUntilClosedThenRefusesWithClosed() {
        List<ByteString> socket = new ArrayList<>();
        GatedSink sink = new GatedSink(f -> {
            socket.add(f);
            return FrameSink.Offer.QUEUED;
        });
        assertEquals(FrameSink.Offer.QUEUED, sink.offer(ByteString.fromString("a")));
        assertEquals(FrameSink.Offer.QUEUED, sink.offer(ByteString.fromString("b")));
        sink.close();
        assertEquals(FrameSink.Offer.CLOSED, sink.offer(ByteString.fromString("c")));
        assertEquals(List.of(ByteString.fromString("a"), ByteString.fromString("b")), socket);
        assertEquals(2, sink.sent());
    }

    @Test
    void aFullSocketQueueIsReportedAndNotCountedAsSent() {
        GatedSink sink = new GatedSink(f -> FrameSink.Offer.QUEUE_FULL);
        assertEquals(FrameSink.Offer.QUEUE_FULL, sink.offer(ByteString.fromString("a")));
        assertEquals(0, sink.sent());
    }
}
