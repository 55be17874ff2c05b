package org.bacnetsc.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;

/**
 * The clustered hub's settings, read from {@code bacnet-sc.cluster}: whether the hub joins a Pekko Cluster, the
 * Artery host and port, and the seed nodes (none: the member forms a cluster of one, which others may join).
 *
 * @param enabled   whether {@code bsc hub} runs as a cluster member
 * @param hostname  Artery's canonical host name
 * @param port      Artery's canonical port (0 = any free port, for tests)
 * @param seedNodes seed node addresses, e.g. {@code pekko://bsc-hub@10.0.0.1:25520}
 */
public record ClusterSettings(boolean enabled, String hostname, int port, List<String> seedNodes) {

    static final String PATH = "bacnet-sc.cluster";
    /** The actor system name every member uses (seed node addresses name it). */
    public static final String SYSTEM_NAME = "bsc-hub";

    /** Validates, naming the key. */
    public ClusterSettings {
        seedNodes = List.copyOf(seedNodes);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PATH + ".port = " + port + ": must be 0-65535");
        }
        if (hostname == null || hostname.isBlank()) {
            throw new IllegalArgumentException(PATH + ".hostname = \"" + hostname + "\": must not be empty");
        }
        for (String s : seedNodes) {
            if (!s.startsWith("pekko://" + SYSTEM_NAME + "@")) {
                throw new IllegalArgumentException(PATH + ".seed-nodes: \"" + s + "\" is not pekko://" + SYSTEM_NAME
                        + "@host:port");
            }
        }
    }

    /**
     * Reads {@code bacnet-sc.cluster}.
     *
     * @throws IllegalArgumentException naming the key and the value when one is invalid
     */
    public static ClusterSettings fromConfig(Config root) {
        try {
            Config c = root.getConfig(PATH);
            return new ClusterSettings(c.getBoolean("enabled"), c.getString("hostname"), c.getInt("port"),
                    c.getStringList("seed-nodes"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PATH + ": " + e.getMessage(), e);
        }
    }

    /** {@code base} with what Pekko needs to run this member: cluster provider, Artery, seeds, Split Brain Resolver. */
    public Config applyTo(Config base) {
        return ConfigFactory.parseMap(Map.of(
                "pekko.actor.provider", "cluster",
                "pekko.remote.artery.canonical.hostname", hostname,
                "pekko.remote.artery.canonical.port", port,
                "pekko.cluster.seed-nodes", seedNodes,
                "pekko.cluster.downing-provider-class",
                "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"))
                .withFallback(base).resolve();
    }
}
