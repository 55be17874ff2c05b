package org.bacnetsc.service;

import java.io.PrintWriter;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a service command ({@code bsc hub}, {@code bsc node}, {@code bsc router}) ends, and its exit status.
 *
 * <p>SIGTERM and SIGINT stop the service through Pekko's CoordinatedShutdown (the service's own stop: Disconnect-Request
 * to every peer, then the bindings), and the command exits with a status a supervisor can trust: {@link #CLEAN} when
 * the service's stop finished before the actor system ended, {@link #NOT_CLEAN} when it did not (the shutdown phase's
 * time ran out first: {@code pekko.coordinated-shutdown.phases.service-requests-done.timeout}), and
 * {@link #REMOVED_FROM_CLUSTER} when the cluster ended a hub member. Left to the JVM, a signal ends the process
 * with 128 + the signal's number (143 for SIGTERM) however cleanly the stop went. A second signal while stopping
 * exits at once with {@link #NOT_CLEAN}.
 */
final class ServiceExit {

    /** The service stopped cleanly. */
    static final int CLEAN = 0;
    /** The service's stop did not finish before the process ended (or a second signal cut it short). */
    static final int NOT_CLEAN = 1;
    /** The cluster ended this hub member: a supervisor should start it again. */
    static final int REMOVED_FROM_CLUSTER = 3;

    private static final Logger LOG = LoggerFactory.getLogger(ServiceExit.class);

    /** CoordinatedShutdown's reason when a signal stopped the service. */
    static final class SignalReason implements CoordinatedShutdown.Reason {
        private final String signal;

        SignalReason(String signal) {
            this.signal = signal;
        }

        @Override
        public String toString() {
            return "SIG" + signal;
        }
    }

    private final ActorSystem<?> system;
    private final String command;
    private final AtomicBoolean stopFinished = new AtomicBoolean();
    private final AtomicReference<String> signal = new AtomicReference<>();

    private ServiceExit(ActorSystem<?> system, String command) {
        this.system = system;
        this.command = command;
    }

    /**
     * Watches {@code stop}, the service's idempotent stop (the one CoordinatedShutdown also runs), to tell a clean stop
     * from one that did not finish; {@link #handleSignals()} then takes over SIGTERM and SIGINT.
     *
     * @param system  the service's actor system
     * @param command the command's name for messages ("bsc hub")
     * @param stop    the service's stop; called once the shutdown runs
     */
    static ServiceExit watch(ActorSystem<?> system, String command, Supplier<CompletionStage<Done>> stop) {
        ServiceExit exit = new ServiceExit(system, command);
        CoordinatedShutdown.get(system.classicSystem()).addTask(CoordinatedShutdown.PhaseServiceRequestsDone(),
                "bsc-service-stop-watch", () -> stop.get().thenApply(d -> {
                    exit.stopFinished.set(true);
                    return d;
                }));
        return exit;
    }

    /** SIGTERM and SIGINT stop the service through CoordinatedShutdown instead of ending the JVM (this process's). */
    ServiceExit handleSignals() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal(name), s -> onSignal(name));
                if (before == sun.misc.SignalHandler.SIG_IGN) {
                    // started with it ignored (nohup, a background job): the JVM keeps it ignored, as asked
                    LOG.info("SIG{} is ignored by this process (it was started ignoring it): it does not stop {}",
                            name, command);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the JVM keeps the signal (e.g. -Xrs): it still stops the service through the shutdown hook
                LOG.debug("SIG{} stays with the JVM: {}", name, e.getMessage());
            }
        }
        return this;
    }

    private void onSignal(String name) {
        if (!signal.compareAndSet(null, name)) {
            LOG.warn("SIG{} while stopping: exiting now with {}", name, NOT_CLEAN);
            Runtime.getRuntime().halt(NOT_CLEAN);
            return;
        }
        LOG.info("SIG{}: stopping", name);
        CoordinatedShutdown.get(system.classicSystem()).run(new SignalReason(name));
    }

    /**
     * Waits for the actor system to end and returns the exit status (see the class comment).
     *
     * @param err where the reason for a non-zero status is written
     */
    int await(PrintWriter err) throws Exception {
        system.getWhenTerminated().toCompletableFuture().get();
        java.util.Optional<CoordinatedShutdown.Reason> reason =
                CoordinatedShutdown.get(system.classicSystem()).getShutdownReason();
        if (reason.isPresent() && (reason.get() == CoordinatedShutdown.clusterDowningReason()
                || reason.get() == CoordinatedShutdown.clusterJoinUnsuccessfulReason()
                || reason.get() == CoordinatedShutdown.incompatibleConfigurationDetectedReason())) {
            err.println(command + ": the cluster ended this member (" + reason.get() + "); its nodes were "
                    + "disconnected; exiting with " + REMOVED_FROM_CLUSTER + " so that a supervisor starts it again");
            err.flush();
            return REMOVED_FROM_CLUSTER;
        }
        if (!stopFinished.get()) {
            err.println(command + ": the stop did not finish before the process ended (" + reason.map(Object::toString)
                    .orElse("no reason") + "; pekko.coordinated-shutdown.phases.service-requests-done.timeout = "
                    + system.settings().config().getDuration(
                            "pekko.coordinated-shutdown.phases.service-requests-done.timeout").toMillis()
                    + " ms); exiting with " + NOT_CLEAN);
            err.flush();
            return NOT_CLEAN;
        }
        return CLEAN;
    }
}
