package org.bacnetsc.examples.jmh;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One hand-over between two actors, the way a routed frame goes from the sender's stream to the recipient's: on
 * Pekko's fork-join dispatcher sized as the services size it (one thread per core) against the hub's socket loops
 * ({@code bacnet-sc.transport.loop-dispatcher}, issue 16), where a hand-over made on a loop stays on it. Two actors
 * pass one token back and forth, so every hand-over waits for the one before (latency, not throughput: what a
 * moderately loaded hub sees). Run with {@code bsc microbench HandOver}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandOverBenchmark {

    private static final int BATCH = 10_000;

    /** Where the two actors run: {@code fork-join} or {@code loops}. */
    @Param({"fork-join", "loops"})
    public String dispatcher;

    private ActorSystem<Void> system;
    private ActorRef<Integer> ping;
    private final AtomicInteger done = new AtomicInteger();

    /** Starts the two actors on the dispatcher. */
    @Setup(Level.Trial)
    public void setup() {
        int cores = Runtime.getRuntime().availableProcessors();
        system = ActorSystem.create(Behaviors.empty(), "hand-over-bench", ConfigFactory.parseString(
                "pekko.actor.default-dispatcher.fork-join-executor { parallelism-min = " + cores
                        + ", parallelism-max = " + cores + " }").withFallback(ConfigFactory.load()));
        Props props = dispatcher.equals("loops")
                ? DispatcherSelector.fromConfig("bacnet-sc.transport.loop-dispatcher") : Props.empty();
        @SuppressWarnings("unchecked")
        ActorRef<Integer>[] other = new ActorRef[1];
        ActorRef<Integer> pong = system.systemActorOf(relay(n -> other[0].tell(n)), "pong", props);
        ping = system.systemActorOf(relay(n -> {
            if (n == 0) {
                done.incrementAndGet();
            } else {
                pong.tell(n - 1);
            }
        }), "ping", props);
        other[0] = ping;
    }

    private static Behavior<Integer> relay(java.util.function.IntConsumer next) {
        return Behaviors.receive(Integer.class).onAnyMessage(n -> {
            next.accept(n);
            return Behaviors.same();
        }).build();
    }

    /** Stops the actors. */
    @TearDown(Level.Trial)
    public void tearDown() {
        system.terminate();
    }

    /** {@value #BATCH} hand-overs, one after the other. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int handOver() {
        int target = done.get() + 1;
        ping.tell(BATCH / 2);
        while (done.get() < target) {
            Thread.onSpinWait();
        }
        return target;
    }
}
