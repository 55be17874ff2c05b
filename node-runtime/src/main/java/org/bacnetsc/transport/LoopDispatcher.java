package org.bacnetsc.transport;

import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;

/**
 * The executor of the dispatcher {@code bacnet-sc.transport.loop-dispatcher}: runs the streams of accepted
 * connections on the socket loops' threads ({@link NioSockets}). Work scheduled from a loop's thread stays on that
 * loop and wakes nobody (a frame read, routed to another connection's stream and written there is one thread's work
 * after one readiness); work from elsewhere goes to the loops in turn and wakes the one it goes to.
 *
 * <p>Named in configuration only ({@code executor = "org.bacnetsc.transport.LoopDispatcher"}); Pekko instantiates it.
 */
public final class LoopDispatcher extends ExecutorServiceConfigurator {

    /**
     * Called by Pekko with the dispatcher's configuration.
     *
     * @param config        the dispatcher's configuration
     * @param prerequisites Pekko's
     */
    public LoopDispatcher(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        return LoopExecutor::new;
    }

    /** Hands each task to a socket loop; shutting down is the loops' business (they live with the process). */
    private static final class LoopExecutor extends AbstractExecutorService {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable task) {
            NioSockets here = NioSockets.current();
            (here != null ? here : NioSockets.next()).enqueue(task);
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    static ExecutorService forTests() {
        return new LoopExecutor();
    }
}
