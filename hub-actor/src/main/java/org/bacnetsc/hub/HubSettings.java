package org.bacnetsc.hub;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.LocalIdentity;

/**
 * The hub function's settings, read once from {@code bacnet-sc.hub}.
 *
 * @param bindHost                 the interface the hub binds
 * @param bindPort                 the port (0 for any free one)
 * @param maxConnections           connections beyond this are refused with HTTP 503
 * @param acceptOwnOriginatingVmac accept and strip an Originating VMAC equal to the sender's own (bac-py)
 * @param maxBvlcLength            Max-BVLC advertised in Connect-Accept
 * @param maxNpduLength            Max-NPDU advertised in Connect-Accept
 * @param failedRequestsKept       SC_Failed_Connection_Requests entries kept
 * @param identity                 the hosting node's VMAC and Device UUID, sent in Connect-Accept
 * @param alsoBind                 further bindings of the same hub function ("host:port", e.g. the IPv6 and the IPv4
 *                                 address of one interface), each validated
 * @param fastPath                 route plain unicasts from socket to socket, past the actors ({@link FastRoutes})
 */
public record HubSettings(String bindHost, int bindPort, int maxConnections, boolean acceptOwnOriginatingVmac,
                          int maxBvlcLength, int maxNpduLength, int failedRequestsKept, LocalIdentity identity,
                          java.util.List<java.net.InetSocketAddress> alsoBind, boolean fastPath) {

    /** Without further bindings. */
    public HubSettings(String bindHost, int bindPort, int maxConnections, boolean acceptOwnOriginatingVmac,
                       int maxBvlcLength, int maxNpduLength, int failedRequestsKept, LocalIdentity identity) {
        this(bindHost, bindPort, maxConnections, acceptOwnOriginatingVmac, maxBvlcLength, maxNpduLength,
                failedRequestsKept, identity, java.util.List.of(), true);
    }

    /** The config path. */
    public static final String PATH = "bacnet-sc.hub";

    /** Validates ranges. */
    public HubSettings {
        if (bindPort < 0 || bindPort > 65535) {
            throw new IllegalArgumentException(PATH + ".bind port must be 0-65535, got " + bindPort);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException(PATH + ".max-connections must be at least 1, got " + maxConnections);
        }
        alsoBind = java.util.List.copyOf(alsoBind);
        if (failedRequestsKept < 0) {
            throw new IllegalArgumentException(PATH + ".failed-requests-kept must be >= 0, got " + failedRequestsKept);
        }
    }

    /**
     * Reads {@code bacnet-sc.hub}: {@code bind = "host:port"}, {@code max-connections},
     * {@code accept-own-originating-vmac}, {@code max-bvlc-length}, {@code max-npdu-length},
     * {@code failed-requests-kept}, {@code vmac} and {@code device-uuid} ("random" for a new one at each start).
     *
     * @throws IllegalArgumentException naming the key and the value
     */
    public static HubSettings fromConfig(Config root) {
        Config c = root.getConfig(PATH);
        java.net.InetSocketAddress main = bindOf("bind", c.getString("bind"));
        String host = main.getHostString();
        int port = main.getPort();
        java.util.List<java.net.InetSocketAddress> also = new java.util.ArrayList<>();
        for (String b : c.getStringList("also-bind")) {
            also.add(bindOf("also-bind", b));
        }
        Vmac vmac = parse("vmac", c, s -> s.equals("random") ? Vmac.random48(new java.security.SecureRandom())
                : Vmac.parse(s));
        DeviceUuid uuid = parse("device-uuid", c, s -> s.equals("random") ? DeviceUuid.random()
                : DeviceUuid.parse(s));
        try {
            return new HubSettings(host, port, c.getInt("max-connections"), c.getBoolean("accept-own-originating-vmac"),
                    c.getInt("max-bvlc-length"), c.getInt("max-npdu-length"), c.getInt("failed-requests-kept"),
                    new LocalIdentity(vmac, uuid), also, c.getBoolean("fast-path"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PATH + ": " + e.getMessage(), e);
        }
    }

    /** "host:port", "[v6]:port": unresolved, the port checked. */
    private static java.net.InetSocketAddress bindOf(String key, String bind) {
        int colon = bind.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(PATH + "." + key + " = \"" + bind + "\" is not host:port");
        }
        int port;
        try {
            port = Integer.parseInt(bind.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PATH + "." + key + " = \"" + bind + "\" has no numeric port", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PATH + "." + key + " = \"" + bind + "\": port must be 0-65535");
        }
        return java.net.InetSocketAddress.createUnresolved(bind.substring(0, colon).replace("[", "").replace("]", ""),
                port);
    }

    private static <T> T parse(String key, Config c, java.util.function.Function<String, T> f) {
        String value = c.getString(key);
        try {
            return f.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PATH + "." + key + " = \"" + value + "\": " + e.getMessage(), e);
        }
    }

    /** These settings bound elsewhere. */
    public HubSettings withBind(String host, int port) {
        return new HubSettings(host, port, maxConnections, acceptOwnOriginatingVmac, maxBvlcLength, maxNpduLength,
                failedRequestsKept, identity);
    }
}
