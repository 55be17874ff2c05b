package org.bacnetsc.examples.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.HubRewrite;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.FrameSink;
import org.bacnetsc.connection.InboundShortcut;
import org.bacnetsc.hub.FastRoutes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A routed unicast from the sender's socket to the recipient's socket, per frame: the hub's shortcut
 * ({@link FastRoutes}: header check, table lookup, rewrite, hand-over; issue 16) against the way it takes otherwise,
 * where the frame is told to the sender's connection actor, which decodes and checks it and tells the hub actor,
 * which looks the recipient up, rewrites and hands it over. The recipient's socket is the same counter in both. Run
 * with {@code bsc microbench Shortcut}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ShortcutBenchmark {

    private static final int BATCH = 1000;
    private static final Vmac SENDER = Vmac.parse("02:11:22:33:44:55");
    private static final Vmac RECIPIENT = Vmac.parse("02:00:00:00:00:0b");

    private ActorSystem<Void> system;
    private ByteString frame;
    private final AtomicInteger delivered = new AtomicInteger();
    private InboundShortcut shortcut;
    private ActorRef<ByteString> connection;

    /** Starts the actors and fills the table. */
    @Setup(Level.Trial)
    public void setup() {
        system = ActorSystem.create(Behaviors.empty(), "shortcut-bench");
        frame = BvlcCodec.encode(BvlcMessage.of(0x1234, null, RECIPIENT,
                new Payload.EncapsulatedNpdu(ByteString.fromArray(new byte[100]))));
        FrameSink socket = f -> {
            delivered.incrementAndGet();
            return FrameSink.Offer.QUEUED;
        };
        FastRoutes routes = new FastRoutes();
        routes.connected(RECIPIENT, new FastRoutes.Target(socket, 1600));
        for (int i = 0; i < 10_000; i++) { // a hub with 10,000 nodes
            routes.connected(new Vmac(0x0600_0000_0000L + i), new FastRoutes.Target(socket, 1600));
        }
        shortcut = routes.from(SENDER);
        java.util.Map<Vmac, FrameSink> directory = new java.util.HashMap<>();
        directory.put(RECIPIENT, socket);
        ActorRef<ByteString> hub = system.systemActorOf(Behaviors.receive(ByteString.class).onAnyMessage(f -> {
            directory.get(HubRewrite.destination(f)).offer(HubRewrite.toNode(f, SENDER));
            return Behaviors.same();
        }).build(), "hub", org.apache.pekko.actor.typed.Props.empty());
        connection = system.systemActorOf(decodeAndTell(hub), "connection",
                org.apache.pekko.actor.typed.Props.empty());
    }

    private static Behavior<ByteString> decodeAndTell(ActorRef<ByteString> hub) {
        return Behaviors.receive(ByteString.class).onAnyMessage(f -> {
            if (BvlcCodec.decode(f) instanceof BvlcMessage) {
                hub.tell(f);
            }
            return Behaviors.same();
        }).build();
    }

    /** Stops the actors. */
    @TearDown(Level.Trial)
    public void tearDown() {
        system.terminate();
    }

    private void awaitDelivered(int target) {
        while (delivered.get() < target) {
            Thread.onSpinWait();
        }
    }

    /** The shortcut, on the socket's thread (now). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int shortcut() {
        int target = delivered.get() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            shortcut.take(frame);
        }
        awaitDelivered(target);
        return target;
    }

    /** Through the connection actor and the hub actor (before, and still for everything else). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int throughConnectionAndHubActors() {
        int target = delivered.get() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            connection.tell(frame);
        }
        awaitDelivered(target);
        return target;
    }
}
