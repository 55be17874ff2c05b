package org.bacnetsc.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameEvent$;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.impl.engine.ws.WebSocket$;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * Closes a server-side WebSocket with status 1003 when the peer sends a text frame (AB.7.5.3). Pekko HTTP's public
 * message API can only close with 1000 or 1011, so this sits one layer lower: a guard on the raw frames in front of
 * Pekko HTTP's own WebSocket stack, which still does masking, control frames, pings and message assembly.
 *
 * <p>It uses Pekko HTTP's frame-level upgrade ({@code UpgradeToWebSocketLowLevel.handleFrames}), an internal API of
 * pekko-http-core 1.3.0; when the upgrade is not of that kind the message API is used and the close carries 1000.
 */
final class TextFrameGuard {

    /** The WebSocket opcode of a text frame. */
    private static final byte TEXT = 1;
    /** Close status for "data not accepted" (AB.7.5.3). */
    static final int UNACCEPTABLE_DATA = 1003;

    private TextFrameGuard() {
    }

    /** Answers the upgrade with {@code handler}, closing with 1003 (after calling {@code onText}) on text frames. */
    static HttpResponse handle(ActorSystem<?> system, WebSocketUpgrade upgrade, Flow<Message, Message, NotUsed> handler,
                               String subprotocol, Runnable onText) {
        if (!(upgrade instanceof UpgradeToWebSocketLowLevel lowLevel)) {
            return upgrade.handleMessagesWith(handler, subprotocol);
        }
        org.apache.pekko.http.scaladsl.settings.WebSocketSettings ws =
                (org.apache.pekko.http.scaladsl.settings.WebSocketSettings)
                        org.apache.pekko.http.javadsl.settings.ServerSettings.create(system.classicSystem())
                                .getWebsocketSettings();
        Flow<org.apache.pekko.http.scaladsl.model.ws.Message, org.apache.pekko.http.scaladsl.model.ws.Message,
                NotUsed> scalaHandler = Flow.<org.apache.pekko.http.scaladsl.model.ws.Message>create()
                .map(Message::adapt)
                .via(handler)
                .map(Message::asScala);
        Flow<FrameEvent, FrameEvent, NotUsed> stack = WebSocket$.MODULE$
                .stack(true, ws, new FiniteDuration(3, TimeUnit.SECONDS), system.classicSystem().log())
                .join(scalaHandler.asScala())
                .asJava();
        FrameStart close = FrameEvent$.MODULE$.closeFrame(UNACCEPTABLE_DATA, "BACnet/SC uses binary frames only",
                Option.empty());
        CompletableFuture<FrameEvent> closeNow = new CompletableFuture<>();
        AtomicBoolean textSeen = new AtomicBoolean();
        Flow<FrameEvent, FrameEvent, NotUsed> guarded = Flow.<FrameEvent>create()
                .filter(e -> admit(e, textSeen, closeNow, close, onText))
                .via(stack)
                .merge(Source.completionStage(closeNow))
                .takeWhile(e -> e != close, true);
        return lowLevel.handleFrames(asGraph(guarded), Option.apply(subprotocol));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static org.apache.pekko.stream.Graph<org.apache.pekko.stream.FlowShape<FrameEvent, FrameEvent>, Object>
            asGraph(Flow<FrameEvent, FrameEvent, NotUsed> flow) {
        return (org.apache.pekko.stream.Graph) flow;
    }

    private static boolean admit(FrameEvent e, AtomicBoolean textSeen, CompletableFuture<FrameEvent> closeNow,
                                 FrameStart close, Runnable onText) {
        if (textSeen.get()) {
            return false;
        }
        if (e instanceof FrameStart start && start.header().opcode().code() == TEXT) {
            textSeen.set(true);
            onText.run();
            closeNow.complete(close);
            return false;
        }
        return true;
    }
}
