package org.bacnetsc.device;

import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.connection.ConnectionError;
import org.bacnetsc.connection.ScConnectionState;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.object.BacnetTime;
import org.bacnetsc.device.object.ScPortState;
import org.bacnetsc.node.DirectConnectionStatus;
import org.bacnetsc.node.HubConnectionStatus;
import org.bacnetsc.node.NodeStatus;
import org.bacnetsc.node.NodeSwitch;

/** The runtime's status records in the standard's SC types (digest 5.3): what the Network Port object shows. */
public final class ScTypeMapping {

    private ScTypeMapping() {
    }

    /** A node's status as its SC Network Port's live part. */
    public static ScPortState port(NodeStatus s) {
        NodeSwitch.Status d = s.direct();
        List<ScTypes.DirectConnection> direct = new ArrayList<>();
        List<ScTypes.FailedConnectionRequest> failed = new ArrayList<>();
        List<String> acceptUris = new ArrayList<>();
        if (d != null) {
            d.connections().forEach(c -> direct.add(direct(c)));
            d.failedRequests().forEach(c -> failed.add(failed(c.disconnectTimestamp() != null
                    ? c.disconnectTimestamp() : c.connectTimestamp(), c.peerAddress(), c.peerVmac(), c.peerUuid(),
                    c.error())));
            d.acceptUris().forEach(u -> acceptUris.add(u.toString()));
        }
        return new ScPortState(ByteString.fromArrayUnsafe(s.vmac().toBytes()), s.hubConnectorState(),
                hub(s.primary()), hub(s.failover()), d != null && d.acceptEnable(), d != null && d.initiateEnable(),
                acceptUris, direct, failed, List.of(), health(s));
    }

    /** Current_Health: SUCCESS while connected to a hub, else the last hub connection's error. */
    static ScTypes.Health health(NodeStatus s) {
        HubConnectionStatus h = s.hubConnectorState() == 2 ? s.failover() : s.primary();
        if (s.connected() || h == null || h.error() == null) {
            return ScTypes.Health.healthy(BacnetTime.of(h == null || h.connectTimestamp() == null ? Instant.now()
                    : h.connectTimestamp()));
        }
        return new ScTypes.Health(BacnetTime.of(h.disconnectTimestamp()), error(h.error()), null,
                h.error().details());
    }

    /** A hub connection's status. */
    public static ScTypes.HubConnection hub(HubConnectionStatus h) {
        if (h == null) {
            h = HubConnectionStatus.NOT_CONNECTED;
        }
        boolean withError = withError(h.state()) && h.error() != null;
        return new ScTypes.HubConnection(h.state().code(), BacnetTime.of(h.connectTimestamp()),
                BacnetTime.of(h.disconnectTimestamp()), withError ? error(h.error()) : null,
                withError ? h.error().details() : null);
    }

    /** A direct connection's status. */
    public static ScTypes.DirectConnection direct(DirectConnectionStatus c) {
        boolean withError = withError(c.state()) && c.error() != null;
        return new ScTypes.DirectConnection(c.uri() == null ? "" : c.uri().toString(), c.state().code(),
                BacnetTime.of(c.connectTimestamp()), BacnetTime.of(c.disconnectTimestamp()),
                hostNPort(c.peerAddress()), vmac(c.peerVmac()), uuid(c.peerUuid()),
                withError ? error(c.error()) : null, withError ? c.error().details() : null);
    }

    /** A hub function connection's status. */
    public static ScTypes.HubFunctionConnection hubFunction(ScConnectionState state, Instant connected,
                                                            Instant disconnected, String peerAddress, Vmac vmac,
                                                            DeviceUuid uuid, ConnectionError error) {
        boolean withError = withError(state) && error != null;
        ScTypes.HostNPort peer = hostNPort(peerAddress);
        return new ScTypes.HubFunctionConnection(state.code(), BacnetTime.of(connected), BacnetTime.of(disconnected),
                peer == null ? new ScTypes.HostNPort(null, null, 0) : peer,
                vmac(vmac) == null ? ByteString.fromArrayUnsafe(new byte[6]) : vmac(vmac),
                uuid(uuid) == null ? ByteString.fromArrayUnsafe(new byte[16]) : uuid(uuid),
                withError ? error(error) : null, withError ? error.details() : null);
    }

    /** A failed connection request. */
    public static ScTypes.FailedConnectionRequest failed(Instant at, String peerAddress, Vmac vmac, DeviceUuid uuid,
                                                         ConnectionError error) {
        ScTypes.HostNPort peer = hostNPort(peerAddress);
        return new ScTypes.FailedConnectionRequest(BacnetTime.of(at),
                peer == null ? new ScTypes.HostNPort(null, null, 0) : peer, vmac(vmac), uuid(uuid),
                error == null ? new ScTypes.ErrorValue(ScTypes.ErrorValue.COMMUNICATION, 0) : error(error),
                error == null ? null : error.details());
    }

    private static boolean withError(ScConnectionState s) {
        return s == ScConnectionState.DISCONNECTED_WITH_ERRORS || s == ScConnectionState.FAILED_TO_CONNECT;
    }

    static ScTypes.ErrorValue error(ConnectionError e) {
        return new ScTypes.ErrorValue(e.errorClass().code(), e.errorCode().code());
    }

    private static ByteString vmac(Vmac v) {
        return v == null ? null : ByteString.fromArrayUnsafe(v.toBytes());
    }

    static ByteString uuid(DeviceUuid u) {
        if (u == null) {
            return null;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(u.value().getMostSignificantBits()).putLong(u.value().getLeastSignificantBits());
        return ByteString.fromArrayUnsafe(b.array());
    }

    /** "host:port", "[v6]:port" or a URI's authority as a BACnetHostNPort (an IP literal as its octets). */
    static ScTypes.HostNPort hostNPort(String address) {
        if (address == null || address.isEmpty()) {
            return null;
        }
        try {
            URI u = URI.create("x://" + address);
            String host = u.getHost();
            int port = Math.max(u.getPort(), 0);
            if (host == null) {
                return new ScTypes.HostNPort(null, address, 0);
            }
            String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            if (bare.matches("[0-9.]+") || bare.contains(":")) {
                return new ScTypes.HostNPort(ByteString.fromArrayUnsafe(InetAddress.getByName(bare).getAddress()),
                        null, port);
            }
            return new ScTypes.HostNPort(null, bare, port);
        } catch (Exception e) {
            return new ScTypes.HostNPort(null, address.length() > 255 ? address.substring(0, 255) : address, 0);
        }
    }
}
