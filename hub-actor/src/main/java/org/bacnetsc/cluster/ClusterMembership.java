package org.bacnetsc.cluster;

import com.typesafe.config.Config;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.bacnetsc.hub.Hub;
import org.bacnetsc.hub.HubCluster;
import org.bacnetsc.hub.HubDirectory;

/**
 * This member's part of a clustered hub, as {@link org.bacnetsc.hub.ScHub} uses it: the {@link ClusterDirectory},
 * {@link MemberReadiness} and the {@link ClusterKeeper}.
 */
final class ClusterMembership implements HubCluster {

    private final ClusterDirectory directory;
    private final MemberReadiness readiness;

    private ClusterMembership(ClusterDirectory directory, MemberReadiness readiness) {
        this.directory = directory;
        this.readiness = readiness;
    }

    @Override
    public Optional<String> notReady() {
        return readiness.notReady();
    }

    @Override
    public HubDirectory directory() {
        return directory;
    }

    @Override
    public int knownVmacs() {
        return directory.knownVmacs();
    }

    @Override
    public int knownRouters() {
        return directory.knownRouters();
    }

    @Override
    public void keep(ActorSystem<?> system, ActorRef<Hub.Command> hub, String name) {
        system.systemActorOf(ClusterKeeper.create(directory, hub), name, Props.empty());
    }

    /** Found by {@link HubCluster#provider()} (META-INF/services). */
    public static final class Provider implements HubCluster.Provider {

        /** For the service loader. */
        public Provider() {
        }

        @Override
        public boolean enabled(Config config) {
            return ClusterSettings.fromConfig(config).enabled();
        }

        @Override
        public HubCluster join(ActorSystem<?> system) {
            return new ClusterMembership(new ClusterDirectory(org.apache.pekko.cluster.typed.Cluster.get(system)
                    .selfMember().address().toString()), MemberReadiness.of(system));
        }
    }
}
