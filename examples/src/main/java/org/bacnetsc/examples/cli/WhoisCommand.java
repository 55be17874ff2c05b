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

/** {@code bsc whois}: discovers devices through a hub and reads their names. */
@Command(name = "whois", mixinStandardHelpOptions = true,
        description = "Send Who-Is through a hub and print each answering device: instance, VMAC, vendor "
            + "identifier, object-name.")
final class WhoisCommand implements Callable<Integer> {

    @Mixin
    ServiceConfig service = new ServiceConfig();

    @Option(names = "--hub", paramLabel = "URI", required = true, description = "the hub")
    URI hub;

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
        Config c = service.load();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bsc-whois", c);
        try {
            Path state = Files.createTempDirectory("bsc-whois");
            ScNode.Builder b = ScNode.builder().config(c).primaryHub(hub).stateDir(state);
            if (service.pki != null) {
                b = b.devPki(service.pki, pkiNode);
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
            print(found, directs, spec.commandLine().getOut());
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
    static NodeStatus awaitStatus(ScNode node, java.util.function.Predicate<NodeStatus> condition, Duration within)
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
                       PrintWriter out) throws Exception {
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ArrayNode a = m.createArrayNode();
            for (Discovery.Found f : found) {
                var o = a.addObject().put("instance", f.instance()).put("vmac", f.vmac().toString())
                        .put("vendorId", f.vendorId()).put("objectName", f.objectName());
                String d = directs.get(f.vmac());
                if (d != null) {
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
                String d = directs.get(f.vmac());
                String shown = d == null ? "" : d.equals("?") ? " (direct: no answer)"
                        : d.isEmpty() ? " (no direct connections)" : " (direct: " + d + ")";
                out.println(f.instance() + " " + f.vmac() + " vendor " + f.vendorId() + " " + f.objectName()
                        + shown);
            }
            out.println(found.size() + " device(s)");
        }
        out.flush();
    }
}
