package org.bacnetsc.hub;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether this process may open enough files for the connections it is configured to accept: every node connection
 * is one socket, and the JVM, its jars and the hub's other sockets need some more.
 */
final class FileDescriptors {

    /** Descriptors kept for everything that is not a node connection. */
    static final int MARGIN = 256;

    private FileDescriptors() {
    }

    /** This process's limit ({@code ulimit -n}), when the platform tells it. */
    static OptionalLong limit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            return OptionalLong.of(u.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }

    /** The warning for {@code maxConnections} under {@code limit}, or empty when the limit is enough. */
    static Optional<String> warning(int maxConnections, OptionalLong limit) {
        if (limit.isEmpty() || limit.getAsLong() >= (long) maxConnections + MARGIN) {
            return Optional.empty();
        }
        return Optional.of("bacnet-sc.hub.max-connections = " + maxConnections + " but this process may open only "
                + limit.getAsLong() + " files (ulimit -n); each node connection takes one: raise the limit to at "
                + "least " + ((long) maxConnections + MARGIN) + " (for example LimitNOFILE= in a systemd unit) or "
                + "connections beyond it will fail to be accepted");
    }
}
