package org.bacnetsc.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Configuration of cluster members in one test JVM: Artery on 127.0.0.1, any free port, one MBean per member. */
public final class ClusterTestConfig {

    /** Members on 127.0.0.1 (no downing provider: tests down members themselves when they must). */
    public static final Config MEMBER = ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            """).withFallback(ConfigFactory.load());

    private ClusterTestConfig() {
    }
}
