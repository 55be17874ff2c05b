package org.bacnetsc.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The node switch's settings (digest §12, §15), read from {@code bacnet-sc.node.direct-connect}.
 *
 * @param acceptEnable       SC_Direct_Connect_Accept_Enable: serve {@code dc.bsc.bacnet.org}
 * @param bindHost           SC_Direct_Connect_Binding's interface
 * @param bindPort           SC_Direct_Connect_Binding's port (0 = any free port)
 * @param acceptUris         SC_Direct_Connect_Accept_URIs; empty = derived from the bound address
 * @param initiateEnable     SC_Direct_Connect_Initiate_Enable: open direct connections to other nodes
 * @param resolutionTimeout  how long to wait for Address-Resolution-ACK
 * @param cacheFreshness     how long a resolution (or a NAK, as "no URIs") is used
 * @param idleTimeout        a direct connection without NPDUs for this long is closed
 * @param autoConnectRate    unicasts per second to one peer above which the node connects to it directly; 0 = off
 * @param autoConnectWindow  the window over which that rate is measured
 * @param maxConnections     accepted direct connections at most (more are refused with HTTP 503)
 */
public record DirectConnectSettings(boolean acceptEnable, String bindHost, int bindPort, List<URI> acceptUris,
                                    boolean initiateEnable, Duration resolutionTimeout, Duration cacheFreshness,
                                    Duration idleTimeout, double autoConnectRate, Duration autoConnectWindow,
                                    int maxConnections) {

    static final String PATH = "bacnet-sc.node.direct-connect";

    /** Validates every value, naming the key. */
    public DirectConnectSettings {
        acceptUris = List.copyOf(acceptUris);
        if (bindPort < 0 || bindPort > 65535) {
            throw new IllegalArgumentException(PATH + ".binding port must be 0-65535, got " + bindPort);
        }
        positive("resolution-timeout", resolutionTimeout);
        positive("cache-freshness", cacheFreshness);
        positive("idle-timeout", idleTimeout);
        positive("auto-connect-window", autoConnectWindow);
        if (autoConnectRate < 0 || Double.isNaN(autoConnectRate)) {
            throw new IllegalArgumentException(PATH + ".auto-connect-rate must be >= 0, got " + autoConnectRate);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException(PATH + ".max-connections must be >= 1, got " + maxConnections);
        }
        for (URI u : acceptUris) {
            if (!"wss".equals(u.getScheme()) && !"ws".equals(u.getScheme()) || u.getHost() == null
                    || u.toString().indexOf(' ') >= 0) {
                throw new IllegalArgumentException(PATH + ".accept-uris: \"" + u + "\" is not a wss://host:port URI");
            }
        }
    }

    /** Neither accepting nor initiating; 5 s resolution timeout, 600 s freshness, 300 s idle, no auto-connect. */
    public static DirectConnectSettings disabled() {
        return new DirectConnectSettings(false, "127.0.0.1", 0, List.of(), false, Duration.ofSeconds(5),
                Duration.ofSeconds(600), Duration.ofSeconds(300), 0, Duration.ofSeconds(10), 100);
    }

    /** The same settings, accepting on {@code host:port} (0 = any free port) with derived URIs. */
    public DirectConnectSettings accepting(String host, int port) {
        return new DirectConnectSettings(true, host, port, acceptUris, initiateEnable, resolutionTimeout,
                cacheFreshness, idleTimeout, autoConnectRate, autoConnectWindow, maxConnections);
    }

    /** The same settings with initiation switched on or off. */
    public DirectConnectSettings initiating(boolean on) {
        return new DirectConnectSettings(acceptEnable, bindHost, bindPort, acceptUris, on, resolutionTimeout,
                cacheFreshness, idleTimeout, autoConnectRate, autoConnectWindow, maxConnections);
    }

    /** The same settings with other timings. */
    public DirectConnectSettings withTimes(Duration resolution, Duration freshness, Duration idle) {
        return new DirectConnectSettings(acceptEnable, bindHost, bindPort, acceptUris, initiateEnable, resolution,
                freshness, idle, autoConnectRate, autoConnectWindow, maxConnections);
    }

    /** The same settings with the auto-connect policy: above {@code rate} unicasts/s over {@code window}. */
    public DirectConnectSettings withAutoConnect(double rate, Duration window) {
        return new DirectConnectSettings(acceptEnable, bindHost, bindPort, acceptUris, initiateEnable,
                resolutionTimeout, cacheFreshness, idleTimeout, rate, window, maxConnections);
    }

    /** The same settings with fixed accept URIs. */
    public DirectConnectSettings withAcceptUris(List<URI> uris) {
        return new DirectConnectSettings(acceptEnable, bindHost, bindPort, uris, initiateEnable, resolutionTimeout,
                cacheFreshness, idleTimeout, autoConnectRate, autoConnectWindow, maxConnections);
    }

    /**
     * Reads {@code bacnet-sc.node.direct-connect}.
     *
     * @throws IllegalArgumentException naming the key and the value when one is invalid
     */
    public static DirectConnectSettings fromConfig(Config root) {
        Config c;
        try {
            c = root.getConfig(PATH);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PATH + ": " + e.getMessage(), e);
        }
        String binding = string(c, "binding");
        int colon = binding.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(PATH + ".binding = \"" + binding + "\": expected interface:port");
        }
        String host = binding.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(binding.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PATH + ".binding = \"" + binding + "\": the port is not a number", e);
        }
        List<URI> uris = new ArrayList<>();
        for (String s : get(c, "accept-uris", () -> c.getStringList("accept-uris"))) {
            try {
                uris.add(new URI(s.trim()));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(PATH + ".accept-uris: \"" + s + "\": " + e.getMessage(), e);
            }
        }
        return new DirectConnectSettings(get(c, "accept-enable", () -> c.getBoolean("accept-enable")), host, port,
                uris, get(c, "initiate-enable", () -> c.getBoolean("initiate-enable")),
                get(c, "resolution-timeout", () -> c.getDuration("resolution-timeout")),
                get(c, "cache-freshness", () -> c.getDuration("cache-freshness")),
                get(c, "idle-timeout", () -> c.getDuration("idle-timeout")),
                get(c, "auto-connect-rate", () -> c.getDouble("auto-connect-rate")),
                get(c, "auto-connect-window", () -> c.getDuration("auto-connect-window")),
                get(c, "max-connections", () -> c.getInt("max-connections")));
    }

    private static String string(Config c, String key) {
        return get(c, key, () -> c.getString(key)).trim();
    }

    private static <T> T get(Config c, String key, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigException e) {
            String value = c.hasPath(key) ? c.getValue(key).render() : "(missing)";
            throw new IllegalArgumentException(PATH + "." + key + " = " + value + ": " + e.getMessage(), e);
        }
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(PATH + "." + key + " must be a positive duration, got " + d);
        }
    }
}
