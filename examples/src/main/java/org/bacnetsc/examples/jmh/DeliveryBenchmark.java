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
 * The hub's delivery of a routed unicast, per frame: the header rewrite and the hand-over to the recipient's socket
 * ({@link FrameSink}, issue 16), against the way before it, where the frame was told to the recipient's connection
 * actor, which told the socket's frame writer actor, which handed it to the socket. The socket end is the same
 * bounded counter in both. Run with {@code bsc microbench Delivery}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DeliveryBenchmark {

    private static final int BATCH = 1000;
    private static final Vmac SENDER = Vmac.parse("02:11:22:33:44:55");

    private ActorSystem<Void> system;
    private ByteString frame;
    /** The socket's end: counts the frames it got and lets the benchmark wait for the last one. */
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private FrameSink socket;
    private ActorRef<ByteString> connection;

    /** Starts the actors. */
    @Setup(Level.Trial)
    public void setup() {
        system = ActorSystem.create(Behaviors.empty(), "delivery-bench");
        frame = BvlcCodec.encode(BvlcMessage.of(0x1234, null, Vmac.parse("02:00:00:00:00:0b"),
                new Payload.EncapsulatedNpdu(ByteString.fromArray(new byte[100]))));
        socket = f -> {
            if (queued.incrementAndGet() > 1024) {
                queued.decrementAndGet();
                return FrameSink.Offer.QUEUE_FULL;
            }
            queued.decrementAndGet(); // written at once
            delivered.incrementAndGet();
            return FrameSink.Offer.QUEUED;
        };
        ActorRef<ByteString> writer = system.systemActorOf(forward(f -> socket.offer(f)), "writer",
                org.apache.pekko.actor.typed.Props.empty());
        connection = system.systemActorOf(forward(writer::tell), "connection",
                org.apache.pekko.actor.typed.Props.empty());
    }

    private static Behavior<ByteString> forward(java.util.function.Consumer<ByteString> next) {
        return Behaviors.receive(ByteString.class).onAnyMessage(f -> {
            next.accept(f);
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

    /** Rewrite and hand the frame straight to the recipient's socket (now). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int direct() {
        int target = delivered.get() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            socket.offer(HubRewrite.toNode(frame, SENDER));
        }
        awaitDelivered(target);
        return target;
    }

    /** Rewrite and tell the frame to the connection actor, which tells the frame writer (before). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int throughTwoActors() {
        int target = delivered.get() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            connection.tell(HubRewrite.toNode(frame, SENDER));
        }
        awaitDelivered(target);
        return target;
    }
}
