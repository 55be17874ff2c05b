package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The socket loop's stream stage on a real TCP connection over 127.0.0.1, with ManualTime for its bound. */
@ExtendWith(LogCapturingExtension.class)
class NioSocketStageTest {

    private final ActorTestKit kit = ActorTestKit.create(ManualTime.config());

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void whatAPeerThatReadsNothingLeavesUnwrittenAtTheEndIsAbortedAfterTheLinger() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open();
             Socket peer = new Socket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            peer.setReceiveBufferSize(4096);
            peer.connect(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            accepted.configureBlocking(false);
            // one chunk far larger than what the kernel buffers for a peer that reads nothing, then the end
            ByteString chunk = ByteString.fromArray(new byte[32 * 1024 * 1024]);
            Source.single(chunk).via(Flow.fromGraph(new NioSocketStage(NioSockets.next(), accepted)))
                    .runWith(Sink.ignore(), kit.system());
            ManualTime time = ManualTime.get(kit.system());
            // the write side has ended, the rest waits for a window that never opens; virtual time goes on a second
            // at a time until the connection is gone
            AtomicLong seconds = new AtomicLong();
            kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(50), () -> {
                if (accepted.isOpen()) {
                    time.timePasses(Duration.ofSeconds(1));
                    seconds.incrementAndGet();
                }
                assertFalse(accepted.isOpen(), "still open after " + seconds.get() + " s");
                return null;
            });
            assertTrue(seconds.get() >= NioSocketStage.LINGER.toSeconds(), "closed after " + seconds.get() + " s");
        }
    }
}
