package org.bacnetsc.hub;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What membership of a clustered hub adds to a hub: the cluster-wide directory, this member's readiness, and the
 * actor that keeps the directory in step with the cluster. {@code org.bacnetsc.cluster} provides it through a
 * {@link Provider} found with {@link ServiceLoader}, so that the hub depends on no cluster class.
 */
public interface HubCluster {

    /** Why this member does not admit nodes now (not Up in the cluster), or empty. */
    Optional<String> notReady();

    /** The cluster-wide directory the hub actor routes with. */
    HubDirectory directory();

    /** VMACs known cluster-wide. */
    int knownVmacs();

    /** Members that have a router for cross-member frames. */
    int knownRouters();

    /**
     * Starts what keeps the directory in step with the cluster for {@code hub}.
     *
     * @param name the name of the keeping actor (a system actor)
     */
    void keep(ActorSystem<?> system, ActorRef<Hub.Command> hub, String name);

    /** Makes a hub a cluster member. */
    interface Provider {
        /** Whether {@code config} asks for a clustered hub ({@code bacnet-sc.cluster.enabled}). */
        boolean enabled(Config config);

        /** This member's part of the clustered hub; {@code system} must be a cluster member. */
        HubCluster join(ActorSystem<?> system);
    }

    /** The provider on the class path, if any. */
    static Optional<Provider> provider() {
        return ServiceLoader.load(Provider.class, HubCluster.class.getClassLoader()).findFirst();
    }
}
