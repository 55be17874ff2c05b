package org.bacnetsc.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.bip.ForeignDevice;
import org.bacnetsc.device.Address;
import org.bacnetsc.device.BacnetClient;
import org.bacnetsc.device.BacnetDevice;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.device.object.ObjectDatabase;
import org.bacnetsc.device.object.ObjectType;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.bacnetsc.device.service.WhoIs;
import org.bacnetsc.node.NodeStatus;
import org.bacnetsc.node.ScNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bsc whois}: discovers devices, on this network and on those behind routers, and reads their names; through a
 * hub, or from the BACnet/IP side as a foreign device of a BBMD. A client device of the device module
 * ({@link BacnetClient}) does the Who-Is and the ReadProperty requests.
 */
@Command(name = "whois", mixinStandardHelpOptions = true,
        description = {"Send a global Who-Is and print each answering device: instance, its network when it is "
            + "behind a router, its MAC, vendor identifier, object-name (read with ReadProperty, through the router "
            + "for remote devices).",
            "Through a hub: --hub URI (with --pki or a node certificate). From the BACnet/IP side: --bbmd HOST:PORT "
            + "[--bip HOST:PORT], registered as a foreign device for the time of the query.",
            "A remote device's 6-octet MAC is shown as a BACnet/IP address when found through a hub and as a VMAC "
            + "when found from the BACnet/IP side (the router's other network)."})
public final class WhoisCommand implements Callable<Integer> {

    @Mixin
    ServiceConfig service = new ServiceConfig();

    @Mixin
    HubClient hubClient = new HubClient();

    @Option(names = "--bbmd", paramLabel = "HOST:PORT", description = "a BBMD to register with as a foreign device "
            + "(the BACnet/IP side)")
    String bbmd;

    @Option(names = "--bip", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0", description = "with --bbmd: "
            + "the local BACnet/IP address (default 127.0.0.1:0, any free port)")
    String bip;

    @Option(names = "--json", description = "one JSON array instead of lines")
    boolean json;

    @Option(names = "--direct", description = "also resolve each device (Address-Resolution) and show whether it "
            + "accepts direct connections, with its URIs")
    boolean direct;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * A device found.
     *
     * @param found      its I-Am and where it is
     * @param objectName its Object_Name, or null when reading it failed
     */
    record Named(BacnetClient.Found found, String objectName) {
        int instance() {
            return found.instance();
        }

        Address address() {
            return found.address();
        }

        boolean remote() {
            return found.address().remote();
        }

        /** Its local MAC, or (remote) the MAC on its own network. */
        ByteString mac() {
            return remote() ? address().adr() : address().mac();
        }

        /** The data link MAC it answered from as a VMAC: its own, or its router's. */
        org.bacnetsc.codec.Vmac vmac() {
            return org.bacnetsc.codec.Vmac.of(address().mac().toArray());
        }
    }

    @Override
    public Integer call() throws Exception {
        if ((hubClient.hub() == null) == (bbmd == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --hub URI (the SC side) or "
                    + "--bbmd HOST:PORT (the BACnet/IP side)");
        }
        return hubClient.hub() != null ? throughHub() : asForeignDevice();
    }

    private Integer asForeignDevice() throws Exception {
        org.bacnetsc.bip.BipAddress bbmdAddress;
        org.bacnetsc.bip.BipAddress local;
        try {
            bbmdAddress = org.bacnetsc.bip.BipAddress.parse(bbmd);
            local = org.bacnetsc.bip.BipAddress.parse(bip);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bbmd \"" + bbmd + "\" / --bip \"" + bip
                    + "\": expected IPv4 host:port (" + e.getMessage() + ")");
        }
        Duration timeout = hubClient.timeout();
        com.typesafe.config.Config c;
        try {
            c = service.load();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-whois", c);
        try (ForeignDevice fd = ForeignDevice.register(local.socketAddress(), bbmdAddress, 60,
                Duration.ofSeconds(Math.max(3, timeout.toSeconds())))) {
            BacnetDevice device = BacnetDevice.start(system, new ObjectDatabase(DeviceInfo.of(HubClient.TOOL_INSTANCE,
                    "bsc whois")), fd, () -> { });
            fd.onNpdu(device::onNpdu);
            List<Named> found = discover(device.client(), timeout);
            device.stop();
            print(found, java.util.Map.of(), spec.commandLine().getOut(), false);
            return 0;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("bsc whois: " + e.getMessage());
            return 1;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private Integer throughHub() throws Exception {
        try (HubClient.Session s = DeviceTool.open(hubClient, service, spec)) {
            List<Named> found = discover(s.client(), hubClient.timeout());
            java.util.Map<org.bacnetsc.codec.Vmac, String> directs = direct ? resolveAll(s.node(), found)
                    : java.util.Map.of();
            print(found, directs, spec.commandLine().getOut(), true);
            return 0;
        } catch (HubClient.ToolFailure e) {
            spec.commandLine().getErr().println("bsc whois: " + e.getMessage());
            return 1;
        }
    }

    /**
     * A global Who-Is, answers collected for {@code wait}, then each device's Object_Name read with ReadProperty
     * (through its router when it is on another network), at most {@code wait} more; by instance.
     */
    static List<Named> discover(BacnetClient client, Duration wait) throws Exception {
        List<BacnetClient.Found> found = client.whoIs(WhoIs.all(), wait).toCompletableFuture()
                .get(wait.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        List<CompletableFuture<Named>> named = new ArrayList<>();
        for (BacnetClient.Found f : found) {
            named.add(objectName(client, f.address(), f.instance()).toCompletableFuture()
                    .completeOnTimeout(null, Math.max(wait.toMillis(), 3000), TimeUnit.MILLISECONDS)
                    .exceptionally(t -> null).thenApply(name -> new Named(f, name)));
        }
        List<Named> out = new ArrayList<>();
        for (CompletableFuture<Named> n : named) {
            out.add(n.get(wait.toMillis() + 30_000, TimeUnit.MILLISECONDS));
        }
        return out;
    }

    /** The Object_Name of device {@code instance} at {@code address}. */
    static java.util.concurrent.CompletionStage<String> objectName(BacnetClient client, Address address,
                                                                   int instance) {
        return client.readProperty(address, new Value.ObjectId(ObjectType.DEVICE.code(), instance),
                PropertyIdentifier.OBJECT_NAME.code(), null).thenApply(ack -> {
                    if (Tags.readApplication(ack.value(), 0) instanceof Tags.Ok<Value> ok
                            && ok.value() instanceof Value.CharacterString cs) {
                        return cs.text().orElse(null);
                    }
                    return null;
                });
    }

    static boolean awaitConnected(ScNode node, Duration within) throws Exception {
        return awaitStatus(node, NodeStatus::connected, within) != null;
    }

    /** Polls the node's status until {@code condition} holds; null when it did not within the time. */
    public static NodeStatus awaitStatus(ScNode node, java.util.function.Predicate<NodeStatus> condition,
                                         Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            NodeStatus s = node.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(50);
        }
        return null;
    }

    /** Each device's direct-connect URIs ("" when it does not accept direct connections, "?" without answer). */
    private static java.util.Map<org.bacnetsc.codec.Vmac, String> resolveAll(ScNode node, List<Named> found)
            throws Exception {
        java.util.Map<org.bacnetsc.codec.Vmac, java.util.concurrent.CompletableFuture<String>> pending =
                new java.util.LinkedHashMap<>();
        for (Named f : found) {
            if (f.remote()) {
                continue; // Address-Resolution is for nodes on this SC network
            }
            pending.put(f.vmac(), node.resolve(f.vmac()).toCompletableFuture()
                    .thenApply(uris -> String.join(" ", uris.stream().map(URI::toString).toList()))
                    .exceptionally(t -> "?"));
        }
        java.util.Map<org.bacnetsc.codec.Vmac, String> result = new java.util.HashMap<>();
        for (var e : pending.entrySet()) {
            result.put(e.getKey(), e.getValue().get(30, TimeUnit.SECONDS));
        }
        return result;
    }

    private void print(List<Named> found, java.util.Map<org.bacnetsc.codec.Vmac, String> directs,
                       PrintWriter out, boolean scSide) throws Exception {
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ArrayNode a = m.createArrayNode();
            for (Named f : found) {
                var o = a.addObject().put("instance", f.instance());
                if (f.remote()) {
                    o.put("network", f.address().network());
                }
                o.put("mac", mac(f.mac(), f.remote() == scSide));
                if (scSide) {
                    o.put("vmac", f.vmac().toString());
                }
                o.put("vendorId", f.found().iAm().vendorId()).put("objectName", f.objectName());
                String d = directs.get(f.vmac());
                if (d != null && !f.remote()) {
                    o.put("acceptsDirectConnections", d.equals("?") ? null : !d.isEmpty());
                    ArrayNode uris = o.putArray("directConnectUris");
                    if (!d.isEmpty() && !d.equals("?")) {
                        for (String u : d.split(" ")) {
                            uris.add(u);
                        }
                    }
                }
            }
            out.println(m.writeValueAsString(a));
        } else {
            for (Named f : found) {
                if (f.remote()) {
                    out.println(f.instance() + " net " + f.address().network() + " " + mac(f.mac(), scSide)
                            + " vendor " + f.found().iAm().vendorId() + " " + (f.objectName() == null
                            ? "(no object-name)" : "\"" + f.objectName() + "\""));
                    continue;
                }
                String d = scSide ? directs.get(f.vmac()) : null;
                String shown = d == null ? "" : d.equals("?") ? " (direct: no answer)"
                        : d.isEmpty() ? " (no direct connections)" : " (direct: " + d + ")";
                out.println(f.instance() + " " + mac(f.mac(), !scSide) + " vendor " + f.found().iAm().vendorId() + " "
                        + f.objectName() + shown);
            }
            out.println(found.size() + " device(s)");
        }
        out.flush();
    }

    /** A 6-octet MAC as a B/IP address or a VMAC; others in hex. */
    static String mac(ByteString mac, boolean asBip) {
        if (mac.size() != 6) {
            return org.bacnetsc.codec.Hex.format(mac);
        }
        return asBip ? org.bacnetsc.bip.BipAddress.ofMac(mac).toString() : org.bacnetsc.codec.Vmac.of(mac.toArray())
                .toString();
    }
}
