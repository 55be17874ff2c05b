package org.bacnetsc.examples.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.connection.ConnectionEvent;

/** The parent of one benchmark connection: counts it connected, feeds received NPDUs to the tracker. */
public final class BenchNodes {
    private BenchNodes() {
    }

    /** The parent behavior of benchmark node {@code index}. */
    public static Behavior<ConnectionEvent> parent(int index, BenchTracker tracker, CountDownLatch connected,
                                            AtomicLong errors) {
        return Behaviors.receive(ConnectionEvent.class)
                .onMessage(ConnectionEvent.Connected.class, m -> onConnected(connected))
                .onMessage(ConnectionEvent.MessageReceived.class, m -> onReceived(index, tracker, m))
                .onMessage(ConnectionEvent.Disconnected.class, m -> onDisconnected(errors, m))
                .onMessage(ConnectionEvent.DuplicateVmac.class, m -> onDisconnected(errors, null))
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    private static Behavior<ConnectionEvent> onConnected(CountDownLatch connected) {
        connected.countDown();
        return Behaviors.same();
    }

    private static Behavior<ConnectionEvent> onReceived(int index, BenchTracker tracker,
                                                        ConnectionEvent.MessageReceived m) {
        if (m.message().payload() instanceof Payload.EncapsulatedNpdu npdu) {
            tracker.received(index, npdu.npdu());
        }
        return Behaviors.same();
    }

    private static Behavior<ConnectionEvent> onDisconnected(AtomicLong errors, ConnectionEvent.Disconnected d) {
        if (d == null || d.error() != null) {
            errors.incrementAndGet();
            if (d != null && FIRST_ERRORS.size() < 5) {
                FIRST_ERRORS.add(d.state() + " " + d.error().errorCode() + ": " + d.error().details());
            }
        }
        return Behaviors.same();
    }

    /** The first few errors, for the report. */
    public static final java.util.Queue<String> FIRST_ERRORS = new java.util.concurrent.ConcurrentLinkedQueue<>();
}
