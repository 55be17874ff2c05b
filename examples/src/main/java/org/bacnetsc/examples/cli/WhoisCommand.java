package org.bacnetsc.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bacnetsc.examples.bacnet.Discovery;
import org.bacnetsc.node.NodeStatus;
import org.bacnetsc.node.ScNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bsc whois}: discovers devices, on this network and on those behind routers, and reads their names; through a
 * hub, or from the BACnet/IP side as a foreign device of a BBMD.
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

    @Option(names = "--hub", paramLabel = "URI", description = "the hub (the SC side)")
    URI hub;

    @Option(names = "--bbmd", paramLabel = "HOST:PORT", description = "a BBMD to register with as a foreign device "
            + "(the BACnet/IP side)")
    String bbmd;

    @Option(names = "--bip", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0", description = "with --bbmd: "
            + "the local BACnet/IP address (default 127.0.0.1:0, any free port)")
    String bip;

    @Option(names = "--timeout", defaultValue = "3", description = "seconds to wait for answers (default 3)")
    int timeout;

    @Option(names = "--json", description = "one JSON array instead of lines")
    boolean json;

    @Option(names = "--pki-node", defaultValue = "1", description = "which node certificate of --pki to use")
    int pkiNode;

    @Option(names = "--direct", description = "also resolve each device (Address-Resolution) and show whether it "
            + "accepts direct connections, with its URIs")
    boolean direct;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((hub == null) == (bbmd == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --hub URI (the SC side) or "
                    + "--bbmd HOST:PORT (the BACnet/IP side)");
        }
        return hub != null ? throughHub() : asForeignDevice();
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
        try (org.bacnetsc.examples.bacnet.ForeignDevice fd = org.bacnetsc.examples.bacnet.ForeignDevice.register(
                local.socketAddress(), bbmdAddress, 60, Duration.ofSeconds(Math.max(3, timeout)))) {
            Discovery discovery = Discovery.on(fd);
            fd.onNpdu(discovery::onNpdu);
            List<Discovery.Found> found = discovery.run(Duration.ofSeconds(timeout)).toCompletableFuture()
                    .get(timeout * 3L + 10, TimeUnit.SECONDS);
            print(found, java.util.Map.of(), spec.commandLine().getOut(), false);
            return 0;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("bsc whois: " + e.getMessage());
            return 1;
        }
    }

    private Integer throughHub() throws Exception {
        Config c = service.load();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-whois", c);
        try {
            Path state = Files.createTempDirectory("bsc-whois");
            ScNode.Builder b = ScNode.builder().config(c).primaryHub(hub).stateDir(state);
            if (service.pki() != null) {
                b = b.devPki(service.pki(), pkiNode);
            }
            ScNode node = b.start(system);
            if (!awaitConnected(node, Duration.ofSeconds(Math.max(10, timeout)))) {
                spec.commandLine().getErr().println("bsc whois: could not connect to " + hub);
                return 1;
            }
            List<Discovery.Found> found = Discovery.run(system, node, Duration.ofSeconds(timeout))
                    .toCompletableFuture().get(timeout * 3L + 10, TimeUnit.SECONDS);
            java.util.Map<org.bacnetsc.codec.Vmac, String> directs = direct ? resolveAll(node, found)
                    : java.util.Map.of();
            print(found, directs, spec.commandLine().getOut(), true);
            node.stop().toCompletableFuture().get(15, TimeUnit.SECONDS);
            return 0;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
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
    private static java.util.Map<org.bacnetsc.codec.Vmac, String> resolveAll(ScNode node, List<Discovery.Found> found)
            throws Exception {
        java.util.Map<org.bacnetsc.codec.Vmac, java.util.concurrent.CompletableFuture<String>> pending =
                new java.util.LinkedHashMap<>();
        for (Discovery.Found f : found) {
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

    private void print(List<Discovery.Found> found, java.util.Map<org.bacnetsc.codec.Vmac, String> directs,
                       PrintWriter out, boolean scSide) throws Exception {
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ArrayNode a = m.createArrayNode();
            for (Discovery.Found f : found) {
                var o = a.addObject().put("instance", f.instance());
                if (f.remote()) {
                    o.put("network", f.network());
                }
                o.put("mac", mac(f.address(), f.remote() == scSide));
                if (scSide) {
                    o.put("vmac", f.vmac().toString());
                }
                o.put("vendorId", f.vendorId()).put("objectName", f.objectName());
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
            for (Discovery.Found f : found) {
                if (f.remote()) {
                    out.println(f.instance() + " net " + f.network() + " " + mac(f.address(), scSide) + " vendor "
                            + f.vendorId() + " " + (f.objectName() == null ? "(no object-name)"
                            : "\"" + f.objectName() + "\""));
                    continue;
                }
                String d = scSide ? directs.get(f.vmac()) : null;
                String shown = d == null ? "" : d.equals("?") ? " (direct: no answer)"
                        : d.isEmpty() ? " (no direct connections)" : " (direct: " + d + ")";
                out.println(f.instance() + " " + mac(f.address(), !scSide) + " vendor " + f.vendorId() + " "
                        + f.objectName() + shown);
            }
            out.println(found.size() + " device(s)");
        }
        out.flush();
    }

    /** A 6-octet MAC as a B/IP address or a VMAC; others in hex. */
    static String mac(org.apache.pekko.util.ByteString mac, boolean asBip) {
        if (mac.size() != 6) {
            return org.bacnetsc.codec.Hex.format(mac);
        }
        return asBip ? org.bacnetsc.bip.BipAddress.ofMac(mac).toString() : org.bacnetsc.codec.Vmac.of(mac.toArray())
                .toString();
    }
}
