package org.bacnetsc.transport;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * WebSocket transport settings, read once from {@code bacnet-sc.transport}.
 *
 * @param outboundQueueSize  frames queued per connection before new ones are dropped (and counted)
 * @param allowPlainWs       whether {@code ws://} without TLS may be used (local tests only; warned at every start)
 * @param upgradeTimeout     how long an accepted TCP connection may take to complete TLS and the WebSocket upgrade
 *                           before it is closed (and counted as a refused upgrade); on the client side, how long a
 *                           server may take to answer the upgrade before the connection is closed
 * @param maxPingsPerSecond  pings a peer may send in one second; one more closes its WebSocket with 1008
 * @param closeTimeout       how long our close may wait for a peer that does not read before the TCP connection is
 *                           aborted
 * @param inboundQueueSize   messages of one connection handed to the actors and not yet taken by them; at this many
 *                           the socket stops reading (TCP backpressure) until half of them are taken
 * @param serverIo           what carries accepted connections: our socket loop, or Pekko IO's TCP actors
 */
public record TransportSettings(int outboundQueueSize, boolean allowPlainWs, Duration upgradeTimeout,
                                int maxPingsPerSecond, Duration closeTimeout, int inboundQueueSize,
                                ServerIo serverIo) {

    /** What carries the accepting side's TCP connections ({@code bacnet-sc.transport.server-io}). */
    public enum ServerIo {
        /** Our socket loop ({@code nio}): fewer thread hand-overs per frame. */
        NIO,
        /** Pekko IO's TCP actors ({@code pekko-io}). */
        PEKKO_IO;

        /** By its configuration name ({@code nio} or {@code pekko-io}); anything else fails naming the key. */
        public static ServerIo of(String name) {
            return switch (name) {
                case "nio" -> NIO;
                case "pekko-io" -> PEKKO_IO;
                default -> throw new IllegalArgumentException(PATH + ".server-io = \"" + name
                        + "\": expected nio or pekko-io");
            };
        }

        /**
         * The default of settings built in code: the system property {@code bacnet-sc.transport.server-io} when set
         * (as it also overrides the configuration), else {@link #NIO}.
         */
        public static ServerIo fromSystemProperty() {
            String p = System.getProperty(PATH + ".server-io");
            return p == null ? NIO : of(p);
        }
    }

    /** With the default server I/O ({@link ServerIo#fromSystemProperty()}). */
    public TransportSettings(int outboundQueueSize, boolean allowPlainWs, Duration upgradeTimeout,
                             int maxPingsPerSecond, Duration closeTimeout, int inboundQueueSize) {
        this(outboundQueueSize, allowPlainWs, upgradeTimeout, maxPingsPerSecond, closeTimeout, inboundQueueSize,
                ServerIo.fromSystemProperty());
    }

    /** The default {@link #upgradeTimeout()}. */
    public static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(10);
    /** The default {@link #maxPingsPerSecond()}. */
    public static final int MAX_PINGS_PER_SECOND = 100;
    /** The default {@link #closeTimeout()}. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** The default {@link #inboundQueueSize()}. */
    public static final int INBOUND_QUEUE_SIZE = 128;

    /** The config path. */
    public static final String PATH = "bacnet-sc.transport";

    /** Validates ranges. */
    public TransportSettings {
        if (outboundQueueSize < 1 || outboundQueueSize > 1_000_000) {
            throw new IllegalArgumentException(PATH + ".outbound-queue-size must be 1-1000000, got "
                    + outboundQueueSize);
        }
        positive("upgrade-timeout", upgradeTimeout);
        if (maxPingsPerSecond < 1) {
            throw new IllegalArgumentException(PATH + ".max-pings-per-second must be at least 1, got "
                    + maxPingsPerSecond);
        }
        positive("close-timeout", closeTimeout);
        if (serverIo == null) {
            throw new IllegalArgumentException(PATH + ".server-io is required");
        }
        if (inboundQueueSize < 2 || inboundQueueSize > 1_000_000) {
            throw new IllegalArgumentException(PATH + ".inbound-queue-size must be 2-1000000, got "
                    + inboundQueueSize);
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(PATH + "." + key + " must be positive, got " + value);
        }
    }

    /** With the default upgrade timeout, ping limit and close timeout. */
    public TransportSettings(int outboundQueueSize, boolean allowPlainWs) {
        this(outboundQueueSize, allowPlainWs, UPGRADE_TIMEOUT);
    }

    /** With the default ping limit and close timeout. */
    public TransportSettings(int outboundQueueSize, boolean allowPlainWs, Duration upgradeTimeout) {
        this(outboundQueueSize, allowPlainWs, upgradeTimeout, MAX_PINGS_PER_SECOND, CLOSE_TIMEOUT,
                INBOUND_QUEUE_SIZE);
    }

    /** 1024 frames, TLS required. */
    public static TransportSettings defaults() {
        return new TransportSettings(1024, false);
    }

    /** The same with another ping limit. */
    public TransportSettings withMaxPingsPerSecond(int value) {
        return new TransportSettings(outboundQueueSize, allowPlainWs, upgradeTimeout, value, closeTimeout,
                inboundQueueSize, serverIo);
    }

    /** The same with another close timeout. */
    public TransportSettings withCloseTimeout(Duration value) {
        return new TransportSettings(outboundQueueSize, allowPlainWs, upgradeTimeout, maxPingsPerSecond, value,
                inboundQueueSize, serverIo);
    }

    /** The same with another inbound queue size. */
    public TransportSettings withInboundQueueSize(int value) {
        return new TransportSettings(outboundQueueSize, allowPlainWs, upgradeTimeout, maxPingsPerSecond, closeTimeout,
                value, serverIo);
    }

    /** The same with another server I/O. */
    public TransportSettings withServerIo(ServerIo value) {
        return new TransportSettings(outboundQueueSize, allowPlainWs, upgradeTimeout, maxPingsPerSecond, closeTimeout,
                inboundQueueSize, value);
    }

    /** Reads {@code bacnet-sc.transport}. */
    public static TransportSettings fromConfig(Config root) {
        Config c = root.getConfig(PATH);
        ServerIo serverIo = ServerIo.of(c.getString("server-io"));
        return new TransportSettings(c.getInt("outbound-queue-size"), c.getBoolean("allow-plain-ws"),
                c.getDuration("upgrade-timeout"), c.getInt("max-pings-per-second"), c.getDuration("close-timeout"),
                c.getInt("inbound-queue-size"), serverIo);
    }
}
