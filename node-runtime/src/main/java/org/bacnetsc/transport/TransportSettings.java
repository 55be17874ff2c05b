package org.bacnetsc.transport;

import com.typesafe.config.Config;

/**
 * WebSocket transport settings, read once from {@code bacnet-sc.transport}.
 *
 * @param outboundQueueSize frames queued per connection before new ones are dropped (and counted)
 * @param allowPlainWs      whether {@code ws://} without TLS may be used (local tests only; warned at every start)
 */
public record TransportSettings(int outboundQueueSize, boolean allowPlainWs) {

    /** The config path. */
    public static final String PATH = "bacnet-sc.transport";

    /** Validates ranges. */
    public TransportSettings {
        if (outboundQueueSize < 1 || outboundQueueSize > 1_000_000) {
            throw new IllegalArgumentException(PATH + ".outbound-queue-size must be 1-1000000, got "
                    + outboundQueueSize);
        }
    }

    /** 1024 frames, TLS required. */
    public static TransportSettings defaults() {
        return new TransportSettings(1024, false);
    }

    /** Reads {@code bacnet-sc.transport}. */
    public static TransportSettings fromConfig(Config root) {
        Config c = root.getConfig(PATH);
        return new TransportSettings(c.getInt("outbound-queue-size"), c.getBoolean("allow-plain-ws"));
    }
}
