package org.bacnetsc.operations;

import com.typesafe.config.Config;

/**
 * The settings of {@code bacnet-sc.management}: whether a service serves its operations endpoint, and where.
 *
 * @param enabled whether the endpoint is served
 * @param host    the interface
 * @param port    the port (0 = any free port)
 */
public record OperationsSettings(boolean enabled, String host, int port) {

    /** The configuration key of the binding. */
    public static final String BIND = "bacnet-sc.management.bind";

    /**
     * Reads {@code bacnet-sc.management}.
     *
     * @throws IllegalArgumentException naming the key and the value when one is invalid
     */
    public static OperationsSettings fromConfig(Config root) {
        OperationsSettings bind = parse(BIND, root.getString(BIND));
        return new OperationsSettings(root.getBoolean("bacnet-sc.management.enabled"), bind.host(), bind.port());
    }

    /**
     * An enabled endpoint at {@code value} ("interface:port", IPv6 in brackets).
     *
     * @param key   the key or flag the value came from, for the message
     * @param value the binding
     * @throws IllegalArgumentException naming {@code key} and the value when it is malformed
     */
    public static OperationsSettings parse(String key, String value) {
        String bind = value.trim();
        int colon = bind.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException("no port");
            }
            int port = Integer.parseInt(bind.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException("port out of range");
            }
            String host = bind.substring(0, colon).replace("[", "").replace("]", "");
            return new OperationsSettings(true, host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = \"" + bind + "\": expected interface:port ("
                    + e.getMessage() + ")", e);
        }
    }
}
