package org.bacnetsc.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Whether this clustered hub member may admit nodes, and if not, why, in words that are true: a member admits nodes
 * only while it is Up in the cluster, so that a member which never joined (or was downed, or left) cannot gather
 * nodes on an island that the rest of the hub does not see.
 */
public final class MemberReadiness {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MemberReadiness.class);

    private final ActorSystem<?> system;
    private final Clock clock;
    private final Instant started;
    private final AtomicBoolean everUp = new AtomicBoolean();

    private MemberReadiness(ActorSystem<?> system, Clock clock) {
        this.system = system;
        this.clock = clock;
        this.started = clock.instant();
        org.apache.pekko.cluster.Cluster classic = org.apache.pekko.cluster.Cluster.get(system.classicSystem());
        classic.registerOnMemberUp(() -> everUp.set(true));
        classic.registerOnMemberRemoved(() -> LOG.info("this hub member left the cluster ({})",
                Cluster.get(system).selfMember().address()));
    }

    /** Watches this system's cluster membership from now. */
    public static MemberReadiness of(ActorSystem<?> system) {
        return new MemberReadiness(system, Clock.systemUTC());
    }

    /** Why this member may not admit nodes now, or empty when it is Up. */
    public Optional<String> notReady() {
        MemberStatus status = Cluster.get(system).selfMember().status();
        if (status == MemberStatus.up()) {
            return Optional.empty();
        }
        long seconds = Duration.between(started, clock.instant()).toSeconds();
        if (!everUp.get()) {
            return Optional.of(status == MemberStatus.joining() || status == MemberStatus.weaklyUp()
                    ? "joining: cluster member status " + status + " for " + seconds + " s"
                    : "joining: no seed node or contact point has admitted this member in " + seconds + " s");
        }
        if (status == MemberStatus.down()) {
            return Optional.of("down: this member was downed (by the split brain resolver or an operator)");
        }
        if (status == MemberStatus.leaving() || status == MemberStatus.exiting()) {
            return Optional.of("leaving the cluster (member status " + status + ")");
        }
        return Optional.of("removed from the cluster (member status " + status + ")");
    }
}
