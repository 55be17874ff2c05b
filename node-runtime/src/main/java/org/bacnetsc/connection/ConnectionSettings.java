package org.bacnetsc.connection;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * The settings of one BACnet/SC connection (digest §9), read once from {@code bacnet-sc.connection}.
 *
 * @param connectWaitTimeout    SC_Connect_Wait_Timeout
 * @param disconnectWaitTimeout SC_Disconnect_Wait_Timeout
 * @param heartbeatTimeout      SC_Heartbeat_Timeout: the initiator sends Heartbeat-Request when it received nothing,
 *                              or sent nothing, for this long; the acceptor probes a peer silent for twice this
 * @param heartbeatAckTimeout   how long a Heartbeat-Request waits for its answer before the initiator disconnects
 *                              (the acceptor: before it closes the probed peer)
 * @param maxBvlcLength         Max_BVLC_Length_Accepted: longer inbound frames are discarded
 * @param maxNpduLength         Max_NPDU_Length_Accepted
 * @param hello                 whether a Connect-Request carries the Hello option ({@link Hello})
 * @param helloRequired         whether an accepting peer refuses a Connect-Request without Hello
 */
public record ConnectionSettings(Duration connectWaitTimeout, Duration disconnectWaitTimeout,
                                 Duration heartbeatTimeout, Duration heartbeatAckTimeout, int maxBvlcLength,
                                 int maxNpduLength, Hello hello, boolean helloRequired) {

    /** Whether we send the Hello destination option (135-2024) on Connect-Request. */
    public enum Hello {
        /** Send it; a hub that NAKs it is connected to again at once without it, and remembered. */
        AUTO,
        /** Always send it. */
        SEND,
        /** Never send it. */
        OFF
    }

    /** Hello {@link Hello#AUTO}, not required. */
    public ConnectionSettings(Duration connectWaitTimeout, Duration disconnectWaitTimeout, Duration heartbeatTimeout,
                              Duration heartbeatAckTimeout, int maxBvlcLength, int maxNpduLength) {
        this(connectWaitTimeout, disconnectWaitTimeout, heartbeatTimeout, heartbeatAckTimeout, maxBvlcLength,
                maxNpduLength, Hello.AUTO, false);
    }

    /** The config path these settings are read from. */
    public static final String PATH = "bacnet-sc.connection";

    /** Validates ranges; a bad value names itself. */
    public ConnectionSettings {
        positive("connect-wait-timeout", connectWaitTimeout);
        positive("disconnect-wait-timeout", disconnectWaitTimeout);
        positive("heartbeat-timeout", heartbeatTimeout);
        positive("heartbeat-ack-timeout", heartbeatAckTimeout);
        if (maxBvlcLength < 32 || maxBvlcLength > 0xFFFF) {
            throw new IllegalArgumentException(PATH + ".max-bvlc-length must be 32-65535, got " + maxBvlcLength);
        }
        if (hello == null) {
            throw new IllegalArgumentException(PATH + ".hello is required (auto, send or off)");
        }
        if (maxNpduLength < 1 || maxNpduLength > maxBvlcLength) {
            throw new IllegalArgumentException(PATH + ".max-npdu-length must be 1-max-bvlc-length ("
                    + maxBvlcLength + "), got " + maxNpduLength);
        }
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(PATH + "." + key + " must be a positive duration, got " + d);
        }
    }

    /** The digest's defaults: 10 s, 10 s, 300 s, 300 s, 1600, 1497. */
    public static ConnectionSettings defaults() {
        return new ConnectionSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(300),
                Duration.ofSeconds(300), 1600, 1497);
    }

    /**
     * Reads {@code bacnet-sc.connection} from a full configuration.
     *
     * @throws IllegalArgumentException naming the key and the value when one is missing or invalid
     */
    public static ConnectionSettings fromConfig(Config root) {
        Config c;
        try {
            c = root.getConfig(PATH);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PATH + ": " + e.getMessage(), e);
        }
        Duration heartbeat = duration(c, "heartbeat-timeout");
        String ackKey = "heartbeat-ack-timeout";
        Duration ack = c.hasPath(ackKey) && !"default".equals(c.getValue(ackKey).unwrapped())
                ? duration(c, ackKey) : heartbeat;
        Hello hello = Hello.AUTO;
        if (c.hasPath("hello")) {
            String h = c.getValue("hello").unwrapped().toString();
            try {
                hello = Hello.valueOf(h.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PATH + ".hello = " + describe(c, "hello")
                        + ": must be auto, send or off", e);
            }
        }
        boolean required;
        try {
            required = c.hasPath("hello-required") && c.getBoolean("hello-required");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PATH + ".hello-required = " + describe(c, "hello-required")
                    + " is not on/off", e);
        }
        return new ConnectionSettings(duration(c, "connect-wait-timeout"), duration(c, "disconnect-wait-timeout"),
                heartbeat, ack, integer(c, "max-bvlc-length"), integer(c, "max-npdu-length"), hello, required);
    }

    private static Duration duration(Config c, String key) {
        try {
            return c.getDuration(key);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PATH + "." + key + " = " + describe(c, key)
                    + " is not a duration (e.g. 10s): " + e.getMessage(), e);
        }
    }

    private static int integer(Config c, String key) {
        try {
            return c.getInt(key);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PATH + "." + key + " = " + describe(c, key)
                    + " is not an integer: " + e.getMessage(), e);
        }
    }

    private static String describe(Config c, String key) {
        return c.hasPath(key) ? c.getValue(key).render() : "(missing)";
    }

    /** These settings with other timeouts (used by tests and tools). */
    public ConnectionSettings withTimeouts(Duration connectWait, Duration disconnectWait, Duration heartbeat,
                                           Duration heartbeatAck) {
        return new ConnectionSettings(connectWait, disconnectWait, heartbeat, heartbeatAck, maxBvlcLength,
                maxNpduLength, hello, helloRequired);
    }

    /** These settings with another Hello behaviour. */
    public ConnectionSettings withHello(Hello value, boolean required) {
        return new ConnectionSettings(connectWaitTimeout, disconnectWaitTimeout, heartbeatTimeout,
                heartbeatAckTimeout, maxBvlcLength, maxNpduLength, value, required);
    }

    /** Whether a Connect-Request sent with these settings carries Hello. */
    public boolean sendsHello() {
        return hello != Hello.OFF;
    }
}
