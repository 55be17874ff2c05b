package org.bacnetsc.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;

/** A WebSocket client below our Connection actor, for sending what a well-behaved peer would not. */
public final class RawClient {
    /** What to send. */
    public final SourceQueueWithComplete<Message> out;
    /** What arrived (binary messages). */
    public final TestProbe<ByteString> in;
    /** "closed" or "failed: ..." when the inbound side ends. */
    public final TestProbe<String> closed;
    /** The upgrade response. */
    public final WebSocketUpgradeResponse upgrade;

    private RawClient(SourceQueueWithComplete<Message> out, TestProbe<ByteString> in, TestProbe<String> closed,
                      WebSocketUpgradeResponse upgrade) {
        this.out = out;
        this.in = in;
        this.closed = closed;
        this.upgrade = upgrade;
    }

    /**
     * Connects; {@code reading} false makes a client that never reads what the server sends.
     */
    public static RawClient connect(ActorTestKit kit, URI uri, String subprotocol, TlsSettings tls, boolean reading)
            throws Exception {
        TestProbe<ByteString> in = kit.createTestProbe();
        TestProbe<String> closed = kit.createTestProbe();
        Materializer mat = Materializer.matFromSystem(kit.system());
        Sink<Message, CompletionStage<Done>> sink = reading
                ? Flow.<Message>create().mapAsync(1, m -> m.asBinaryMessage().toStrict(5000, mat))
                        .toMat(Sink.foreach(m -> in.ref().tell(m.getStrictData())), Keep.right())
                : Flow.<Message>create().mapAsync(1, m -> new java.util.concurrent.CompletableFuture<Message>())
                        .toMat(Sink.ignore(), Keep.right());
        Flow<Message, Message, SourceQueueWithComplete<Message>> flow = Flow.fromSinkAndSourceMat(
                sink.mapMaterializedValue(done -> {
                    done.whenComplete((d, t) -> closed.ref().tell(t == null ? "closed" : "failed: " + t));
                    return done;
                }),
                Source.<Message>queue(1000, OverflowStrategy.fail()), Keep.right());
        SSLContext ctx = tls.sslContext();
        Pair<CompletionStage<WebSocketUpgradeResponse>, SourceQueueWithComplete<Message>> p =
                Http.get(kit.system()).singleWebSocketRequest(
                        WebSocketRequest.create(uri.toString()).requestSubprotocol(subprotocol), flow,
                        ConnectionContext.httpsClient((h, port) -> tls.clientEngine(ctx, h, port)), Optional.empty(),
                        ClientConnectionSettings.create(kit.system().classicSystem()), kit.system().classicSystem()
                                .log(), mat);
        WebSocketUpgradeResponse upgrade = p.first().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new RawClient(p.second(), in, closed, upgrade);
    }

    public void send(Message m) {
        out.offer(m);
    }

    public ByteString receive() {
        return in.receiveMessage(Duration.ofSeconds(10));
    }
}
