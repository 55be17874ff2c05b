package org.bacnetsc.device;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.connection.ConnectionSettings;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.object.BacnetObject;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.FileObject;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.device.object.ScNetworkPort;
import org.bacnetsc.device.object.ScPortConfig;
import org.bacnetsc.device.object.ScPortState;
import org.bacnetsc.node.NodeStatus;
import org.bacnetsc.node.ReceivedNpdu;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.TlsReloader;

/**
 * An SC node as a BACnet device: the Device object, one Network Port object for its SC port (instance
 * {@value #PORT_INSTANCE}) live from the node's status, and File objects for its operational certificate
 * ({@value #OPERATIONAL_FILE}), its certificate signing request ({@value #CSR_FILE}) and two issuer slots
 * ({@value #ISSUER_FILE_1}, {@value #ISSUER_FILE_2}), answering on the node. It announces itself (I-Am) each time the
 * node connects to a hub.
 */
public final class ScDevice {

    /** The SC Network Port's instance. */
    public static final int PORT_INSTANCE = 1;
    /** The operational certificate's File instance. */
    public static final int OPERATIONAL_FILE = 1;
    /** The certificate signing request's File instance. */
    public static final int CSR_FILE = 2;
    /** The first issuer slot's File instance. */
    public static final int ISSUER_FILE_1 = 3;
    /** The second issuer slot's File instance. */
    public static final int ISSUER_FILE_2 = 4;

    private static final AtomicInteger NAMES = new AtomicInteger();

    /**
     * What a hub device's port adds: the hub function's bindings and its connections.
     */
    public interface HubFunction {
        /** SC_Hub_Function_Binding: "[interface]:port". */
        String binding();

        /** SC_Hub_Function_Accept_URIs. */
        List<String> acceptUris();

        /** The hub function's connections and failed requests now. */
        CompletionStage<HubFunctionState> state();
    }

    /**
     * The hub function's part of the port.
     *
     * @param connections SC_Hub_Function_Connection_Status
     * @param failed      its failed connection requests (added to SC_Failed_Connection_Requests)
     */
    public record HubFunctionState(List<ScTypes.HubFunctionConnection> connections,
                                   List<ScTypes.FailedConnectionRequest> failed) {
    }

    private ScDevice() {
    }

    /** Starts {@code node}'s device. */
    public static CompletionStage<BacnetDevice> start(ActorSystem<?> system, ScNode node, DeviceInfo info) {
        return start(system, node, info, null);
    }

    /**
     * Starts {@code node}'s device; with {@code hub}, a hub device whose port shows the hub function.
     *
     * @return the device, once the node's first status (its Device UUID) is known
     */
    public static CompletionStage<BacnetDevice> start(ActorSystem<?> system, ScNode node, DeviceInfo info,
                                                      HubFunction hub) {
        return start(system, node, info, hub, 0);
    }

    /**
     * Starts {@code node}'s device with its SC network's number known (a router's SC port: Network_Number and
     * Network_Number_Quality configured); {@code hub} may be null.
     *
     * @param networkNumber the SC network's number, or 0 when unknown
     */
    public static CompletionStage<BacnetDevice> start(ActorSystem<?> system, ScNode node, DeviceInfo info,
                                                      HubFunction hub, int networkNumber) {
        if (networkNumber < 0 || networkNumber > 65534) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalArgumentException(
                    "network number must be 0-65534, got " + networkNumber));
        }
        return node.status().thenApply(first -> {
            ObjectDatabase db = new ObjectDatabase(info.withDeviceUuid(ScTypeMapping.uuid(first.deviceUuid())));
            AtomicReference<ScPortState> state = new AtomicReference<>(withHub(ScTypeMapping.port(first), null));
            BacnetObject port = ScNetworkPort.create(config(node, hub, networkNumber), state::get, () -> {
                CompletionStage<NodeStatus> ns = node.status();
                CompletionStage<HubFunctionState> hs = hub == null ? CompletableFuture.completedFuture(null)
                        : hub.state();
                return ns.thenCombine(hs, (n, h) -> {
                    state.set(withHub(ScTypeMapping.port(n), h));
                    return null;
                });
            });
            db.add(port);
            addFiles(db, node.tls());
            BacnetDevice device = BacnetDevice.start(system, db, Link.of(node), node::restartPort);
            int n = NAMES.incrementAndGet();
            node.subscribe(system.systemActorOf(Behaviors.<ReceivedNpdu>receiveMessage(r -> {
                device.onNpdu(ByteString.fromArrayUnsafe(r.source().toBytes()), r.npdu(), r.broadcast());
                return Behaviors.same();
            }), "bacnet-device-npdus-" + n, Props.empty()));
            boolean[] connected = {false};
            node.subscribeStatus(system.systemActorOf(Behaviors.<NodeStatus>receiveMessage(s -> {
                if (s.connected() && !connected[0]) {
                    device.announce();
                }
                connected[0] = s.connected();
                return Behaviors.same();
            }), "bacnet-device-status-" + n, Props.empty()));
            if (first.connected()) {
                connected[0] = true;
                device.announce();
            }
            return device;
        });
    }

    private static ScPortState withHub(ScPortState s, HubFunctionState h) {
        return h == null ? s : s.withHubFunction(h.connections(), h.failed());
    }

    private static ScPortConfig config(ScNode node, HubFunction hub, int networkNumber) {
        ScNode.Configuration c = node.configuration();
        ConnectionSettings cs = c.hub().connectionSettings();
        String directBinding = c.direct().acceptEnable()
                ? (c.direct().bindHost() == null || c.direct().bindHost().isEmpty() ? "" : c.direct().bindHost())
                + ":" + c.direct().bindPort() : "";
        ScPortConfig config = new ScPortConfig(PORT_INSTANCE, "SC port",
                c.hub().primary() == null ? "" : c.hub().primary().toString(),
                c.hub().failover() == null ? "" : c.hub().failover().toString(),
                seconds(cs.connectWaitTimeout()), seconds(cs.disconnectWaitTimeout()),
                seconds(cs.heartbeatTimeout()), seconds(c.hub().minimumReconnect()),
                seconds(c.hub().maximumReconnect()), cs.maxBvlcLength(), cs.maxNpduLength(), directBinding, false,
                List.of(), "", networkNumber, OPERATIONAL_FILE, List.of(ISSUER_FILE_1, ISSUER_FILE_2), CSR_FILE);
        return hub == null ? config : config.withHubFunction(hub.binding(), hub.acceptUris());
    }

    private static int seconds(java.time.Duration d) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }

    /**
     * The certificate files: the operational certificate as the PEM file configured (as PEM of the certificate in
     * use when it came from a PKCS#12 store), the issuers one per slot as PEM, and the CSR (empty until a key pair is
     * generated over BACnet). The private key is never a file's content.
     */
    private static void addFiles(ObjectDatabase db, TlsReloader tls) {
        java.nio.file.Path pem = tls == null || tls.settings().identity() == null ? null
                : tls.settings().identity().certificate();
        if (pem != null) {
            db.add(FileObject.onDisk(OPERATIONAL_FILE, "Operational Certificate", "application/x-pem-file", pem));
        } else {
            db.add(FileObject.create(OPERATIONAL_FILE, "Operational Certificate", "application/x-pem-file",
                    () -> tls == null ? ByteString.emptyByteString() : pem(List.of(tls.certificate())),
                    () -> tls == null ? null : tls.certificate().getNotBefore().toInstant()));
        }
        db.add(FileObject.create(CSR_FILE, "Certificate Signing Request", "application/pkcs10",
                ByteString::emptyByteString, () -> null));
        for (int slot = 0; slot < 2; slot++) {
            int index = slot;
            db.add(FileObject.create(index == 0 ? ISSUER_FILE_1 : ISSUER_FILE_2, "Issuer Certificate " + (index + 1),
                    "application/x-pem-file", () -> {
                        List<X509Certificate> issuers = tls == null ? List.of() : tls.issuers();
                        return index < issuers.size() ? pem(List.of(issuers.get(index))) : ByteString.emptyByteString();
                    }, () -> {
                        List<X509Certificate> issuers = tls == null ? List.of() : tls.issuers();
                        return index < issuers.size() ? issuers.get(index).getNotBefore().toInstant() : null;
                    }));
        }
    }

    /** Certificates as PEM. */
    static ByteString pem(List<X509Certificate> certificates) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : certificates) {
            try {
                b.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                return ByteString.emptyByteString();
            }
        }
        return ByteString.fromString(b.toString(), StandardCharsets.US_ASCII);
    }

}
