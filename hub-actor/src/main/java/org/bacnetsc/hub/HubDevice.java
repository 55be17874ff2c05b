package org.bacnetsc.hub;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.ScTypeMapping;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.TlsSettings;

/**
 * The hub as a BACnet device (B-SCHUB, NM-SCH-B): in the hub's process, a node with the configured Device instance,
 * connected to its own hub function, whose SC Network Port also shows the hub function (SC_Hub_Function_Enable TRUE,
 * its binding and URIs, SC_Hub_Function_Connection_Status with one entry per node, the hub's failed connection
 * requests). The node presents the hub's own certificate. In a clustered hub each member is its own device and lists
 * its own connections.
 */
public final class HubDevice {

    /** The configuration path. */
    public static final String PATH = "bacnet-sc.hub.device";

    private final ScNode node;
    private final BacnetDevice device;

    private HubDevice(ScNode node, BacnetDevice device) {
        this.node = node;
        this.device = device;
    }

    /**
     * The hub device's configuration.
     *
     * @param instance the Device instance, or -1: no hub device
     * @param name     Object_Name
     * @param password DCC and ReinitializeDevice password ("" for none)
     * @param stateDir where the device's node keeps its VMAC and Device UUID across restarts, or null for a fresh
     *                 identity each start (kept nowhere)
     */
    public record Settings(int instance, String name, String password, java.nio.file.Path stateDir) {
        /** A hub device whose node takes a fresh identity at each start. */
        public Settings(int instance, String name, String password) {
            this(instance, name, password, null);
        }

        /** Validates. */
        public Settings {
            if (instance < -1 || instance > 4194302) {
                throw new IllegalArgumentException(PATH + ".instance = " + instance + ": must be 0-4194302, or -1 "
                        + "for no hub device");
            }
            if (password.length() > 20) {
                throw new IllegalArgumentException(PATH + ".password: at most 20 characters");
            }
            if (name.isEmpty() && instance >= 0) {
                name = "bsc hub " + instance;
            }
        }

        /** Whether a hub device is configured. */
        public boolean enabled() {
            return instance >= 0;
        }

        /** From {@code bacnet-sc.hub.device}. */
        public static Settings fromConfig(Config root) {
            try {
                Config c = root.getConfig(PATH);
                String dir = c.getString("state-dir");
                return new Settings(c.getInt("instance"), c.getString("name"), c.getString("password"),
                        dir.isEmpty() ? null : java.nio.file.Path.of(dir));
            } catch (ConfigException e) {
                throw new IllegalArgumentException(PATH + ": " + e.getMessage(), e);
            }
        }

        /** The Device object's description: this instance and name, the rest from {@code bacnet-sc.device}. */
        public DeviceInfo info(Config root) {
            DeviceInfo info = DeviceInfo.fromConfig(root, instance, name, "bsc hub");
            return password.isEmpty() ? info : info.withPassword(password);
        }
    }

    /**
     * Starts the hub device of {@code hub}: its node connects to the hub's first binding (127.0.0.1 when that is a
     * wildcard address) with {@code tls}, the hub's own identity.
     */
    public static CompletionStage<HubDevice> start(ActorSystem<?> system, ScHub hub, Settings settings,
                                                   TlsSettings tls) {
        try {
            java.net.InetSocketAddress bound = hub.boundAddress();
            String host = bound.getAddress() == null || bound.getAddress().isAnyLocalAddress() ? "127.0.0.1"
                    : org.bacnetsc.transport.WsServer.authority(bound).replaceAll(":\\d+$", "");
            URI own = URI.create("wss://" + host + ":" + bound.getPort() + "/hub");
            ScNode.Builder b = ScNode.builder().primaryHub(own).failoverHub(null).tls(tls);
            if (settings.stateDir() != null) {
                // its own directory: never the identity of a bsc node started from the same place
                b.stateDir(settings.stateDir());
            } else {
                b.stateDir(java.nio.file.Files.createTempDirectory("bsc-hub-device"))
                        .identity(Vmac.random48(new java.security.SecureRandom()), DeviceUuid.random());
            }
            ScNode node = b.start(system);
            ScDevice.HubFunction function = new ScDevice.HubFunction() {
                @Override
                public String binding() {
                    return org.bacnetsc.transport.WsServer.authority(bound);
                }

                @Override
                public List<String> acceptUris() {
                    return hub.uris().stream().map(URI::toString).toList();
                }

                @Override
                public CompletionStage<ScDevice.HubFunctionState> state() {
                    return hub.status().thenApply(HubDevice::functionState);
                }
            };
            return ScDevice.start(system, node, settings.info(system.settings().config()), function).thenApply(d -> new HubDevice(node, d));
        } catch (RuntimeException | java.io.IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The hub function's status in the standard's types. */
    static ScDevice.HubFunctionState functionState(HubStatus s) {
        List<ScTypes.HubFunctionConnection> connections = new ArrayList<>();
        for (HubStatus.Connection c : s.connections()) {
            connections.add(ScTypeMapping.hubFunction(c.state(), c.connectTimestamp(), c.disconnectTimestamp(),
                    c.peerAddress(), c.vmac(), c.uuid(), c.error()));
        }
        List<ScTypes.FailedConnectionRequest> failed = new ArrayList<>();
        for (HubStatus.FailedRequest f : s.failedRequests()) {
            failed.add(ScTypeMapping.failed(f.timestamp(), f.peerAddress(), f.vmac(), f.uuid(), f.error()));
        }
        return new ScDevice.HubFunctionState(connections, failed);
    }

    /** The device. */
    public BacnetDevice device() {
        return device;
    }

    /** The device's node. */
    public ScNode node() {
        return node;
    }

    /** Stops the device and its node. */
    public CompletionStage<Done> stop() {
        device.stop();
        return node.stop();
    }
}
