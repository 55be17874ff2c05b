package org.bacnetsc.transport;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * WebSocket transport settings, read once from {@code bacnet-sc.transport}.
 *
 * @param outboundQueueSize frames queued per connection before new ones are dropped (and counted)
 * @param allowPlainWs      whether {@code ws://} without TLS may be used (local tests only; warned at every start)
 * @param upgradeTimeout    how long an accepted TCP connection may take to complete TLS and the WebSocket upgrade
 *                          before it is closed (and counted as a refused upgrade)
 */
public record TransportSettings(int outboundQueueSize, boolean allowPlainWs, Duration upgradeTimeout) {

    /** The default {@link #upgradeTimeout()}. */
    public static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(10);

    /** The config path. */
    public static final String PATH = "bacnet-sc.transport";

    /** Validates ranges. */
    public TransportSettings {
        if (outboundQueueSize < 1 || outboundQueueSize > 1_000_000) {
            throw new IllegalArgumentException(PATH + ".outbound-queue-size must be 1-1000000, got "
                    + outboundQueueSize);
        }
        if (upgradeTimeout == null || upgradeTimeout.isNegative() || upgradeTimeout.isZero()) {
            throw new IllegalArgumentException(PATH + ".upgrade-timeout must be positive, got " + upgradeTimeout);
        }
    }

    /** With the default upgrade timeout. */
    public TransportSettings(int outboundQueueSize, boolean allowPlainWs) {
        this(outboundQueueSize, allowPlainWs, UPGRADE_TIMEOUT);
    }

    /** 1024 frames, TLS required. */
    public static TransportSettings defaults() {
        return new TransportSettings(1024, false);
    }

    /** Reads {@code bacnet-sc.transport}. */
    public static TransportSettings fromConfig(Config root) {
        Config c = root.getConfig(PATH);
        return new TransportSettings(c.getInt("outbound-queue-size"), c.getBoolean("allow-plain-ws"),
                c.getDuration("upgrade-timeout"));
    }
}
