package org.bacnetsc.connection;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A connection parent for tests that takes each event as a real parent does (releasing the socket's inbound credit,
 * {@link ConnectionEvent#taken}) and passes it on to a probe.
 */
public final class TakingParent {
    private TakingParent() {
    }

    /** A parent that takes every event and tells it to {@code to}. */
    public static ActorRef<ConnectionEvent> of(ActorTestKit kit, ActorRef<ConnectionEvent> to) {
        return of(kit, to, to);
    }

    /**
     * A parent that takes every event and tells it to {@code to}, except {@link ConnectionEvent.Heartbeat}s: those go
     * to {@code heartbeats}.
     */
    public static ActorRef<ConnectionEvent> of(ActorTestKit kit, ActorRef<ConnectionEvent> to,
                                               ActorRef<ConnectionEvent> heartbeats) {
        return kit.spawn(Behaviors.receive(ConnectionEvent.class)
                .onAnyMessage(e -> {
                    (e instanceof ConnectionEvent.Heartbeat ? heartbeats : to).tell(ConnectionEvent.taken(e));
                    return Behaviors.same();
                })
                .build());
    }
}
