package org.bacnetsc.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.bip.BipAddress;
import org.bacnetsc.bip.Bvll;
import org.bacnetsc.codec.Hex;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.bacnetsc.node.NodeOperations;
import org.bacnetsc.operations.OperationsEndpoint;
import org.bacnetsc.operations.PrometheusText;

/**
 * A router's operations endpoint ({@code bsc router --management HOST:PORT}, or an application's own): what the router
 * hands the {@link OperationsEndpoint}: {@code /health/ready} (200 while both ports are up and the SC port has a hub
 * connection), {@code /status} (JSON, kind "router": routing table, each port's state, the FDT, counters,
 * certificates), {@code /metrics} (the router's counters by port and reason, the SC port's node metrics).
 */
public final class RouterOperations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RouterOperations() {
    }

    /** Binds the endpoint for {@code router}; the binding is terminated by CoordinatedShutdown. */
    public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, ScRouter router, String host, int port) {
        return OperationsEndpoint.bind(system, source(router), host, port);
    }

    /** What the router shows on an operations endpoint. */
    public static OperationsEndpoint.Source source(ScRouter router) {
        return new OperationsEndpoint.Source() {
            @Override
            public CompletionStage<OperationsEndpoint.Readiness> ready() {
                return router.status().thenApply(RouterOperations::readiness);
            }

            @Override
            public CompletionStage<String> status() {
                return router.status().thenApply(s -> statusJson(s, router.settings(), router.scPort()));
            }

            @Override
            public CompletionStage<String> metrics() {
                return router.status().thenApply(s -> {
                    List<MetricSnapshot> all = new ArrayList<>(RouterOperations.metrics(s));
                    if (s.sc() != null) {
                        all.addAll(NodeOperations.metrics(s.sc(), router.scPort()));
                    }
                    return PrometheusText.write(all);
                });
            }

        };
    }

    static OperationsEndpoint.Readiness readiness(Router.Status s) {
        if (s.up() && s.sc() != null && s.sc().connected()) {
            return new OperationsEndpoint.Readiness(true, "ready");
        }
        List<String> why = new ArrayList<>();
        if (s.bipAddress() == null) {
            why.add("BACnet/IP port not bound");
        }
        if (s.sc() == null || !s.sc().connected()) {
            why.add("SC port has no hub connection");
        }
        return new OperationsEndpoint.Readiness(false, "not routing: " + String.join(", ", why));
    }

    static String port(int id) {
        return id == Router.BIP_PORT ? "bip" : id == Router.SC_PORT ? "sc" : String.valueOf(id);
    }

    static String statusJson(Router.Status s, Router.Settings settings, org.bacnetsc.node.ScNode scPort) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "router");
        o.put("up", s.up());
        ObjectNode bip = o.putObject("bip");
        bip.put("network", settings.bipNetwork());
        bip.put("address", s.bipAddress() == null ? null : s.bipAddress().toString());
        bip.put("broadcastAddress", settings.bipBroadcast().toString());
        bip.put("bbmd", settings.bbmd() != null);
        if (s.bip() != null) {
            bip.put("received", s.bip().received()).put("sent", s.bip().sent()).put("naksSent", s.bip().naksSent())
                    .put("ownDropped", s.bip().ownDropped()).put("ignored", s.bip().ignored())
                    .put("registrationsRefused", s.bip().registrationsRefused());
            ObjectNode malformed = bip.putObject("malformed");
            s.bip().malformed().forEach((reason, n) -> malformed.put(reason.name(), n));
            ArrayNode fdt = bip.putArray("fdt");
            for (Bvll.FdtEntry e : s.bip().fdt()) {
                fdt.addObject().put("address", e.address().toString()).put("timeToLive", e.timeToLive())
                        .put("secondsRemaining", e.secondsRemaining());
            }
        }
        if (settings.bbmd() != null) {
            ArrayNode bdt = bip.putArray("bdt");
            settings.bbmd().bdt().forEach(e -> bdt.add(e.address().toString()));
        }
        ObjectNode sc = o.putObject("sc");
        sc.put("network", settings.scNetwork());
        sc.put("vmac", s.scVmac() == null ? null : s.scVmac().toString());
        sc.put("connected", s.sc() != null && s.sc().connected());
        sc.put("hubConnectorState", s.sc() == null ? 0 : s.sc().hubConnectorState());
        ArrayNode table = o.putArray("routingTable");
        for (RoutingCore.TableEntry e : s.table()) {
            table.addObject().put("network", e.network()).put("port", port(e.port()))
                    .put("nextHop", e.nextHop() == null ? null : mac(e.nextHop(), e.port()));
        }
        o.set("sent", byPort(s.forwarded()));
        o.set("broadcasts", byPort(s.broadcasts()));
        ObjectNode drops = o.putObject("drops");
        s.drops().forEach(drops::put);
        o.put("heldForDiscovery", s.held());
        o.put("toApplication", s.toApplication());
        o.put("fromApplication", s.fromApplication());
        NodeOperations.putCertificates(o, scPort.certificates());
        return o.toString();
    }

    /** A MAC as its network writes it: a B/IP address on the B/IP port, else hex (a VMAC). */
    static String mac(ByteString mac, int port) {
        return port == Router.BIP_PORT && mac.size() == 6 ? BipAddress.ofMac(mac).toString() : Hex.format(mac);
    }

    private static ObjectNode byPort(Map<Integer, Long> m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("bip", m.getOrDefault(Router.BIP_PORT, 0L));
        n.put("sc", m.getOrDefault(Router.SC_PORT, 0L));
        return n;
    }

    static List<MetricSnapshot> metrics(Router.Status s) {
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(PrometheusText.gauge("bacnet_sc_router_up", "1 while both ports are up and routing.",
                s.up() ? 1 : 0));
        out.add(byPortCounter("bacnet_sc_router_npdus_sent", "NPDUs the router sent, by port (routed and its own).",
                s.forwarded()));
        out.add(byPortCounter("bacnet_sc_router_broadcasts_sent", "Broadcasts the router sent, by port.",
                s.broadcasts()));
        CounterSnapshot.Builder drops = CounterSnapshot.builder().name("bacnet_sc_router_drops")
                .help("NPDUs the router dropped, by reason (hop_count, unknown_network, broadcast_rate_port_N, ...).");
        s.drops().forEach((reason, n) -> drops.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("reason", reason)).value(n).build()));
        out.add(drops.build());
        out.add(PrometheusText.gauge("bacnet_sc_router_held_for_discovery", "NPDUs held while "
                + "Who-Is-Router-To-Network asks for their network.", s.held()));
        out.add(PrometheusText.gauge("bacnet_sc_router_routes", "Rows in the routing table.", s.table().size()));
        out.add(PrometheusText.counter("bacnet_sc_router_application_npdus_in", "APDUs from the BACnet/IP side "
                + "for the router's own device.", s.toApplication()));
        if (s.bip() != null && s.bip().foreignDevices() >= 0) {
            out.add(PrometheusText.gauge("bacnet_sc_router_foreign_devices", "Foreign devices registered with the "
                    + "BBMD.", s.bip().foreignDevices()));
            out.add(PrometheusText.counter("bacnet_sc_router_foreign_device_registrations_refused",
                    "Registrations refused because the FDT was full.", s.bip().registrationsRefused()));
        }
        return out;
    }

    private static CounterSnapshot byPortCounter(String name, String help, Map<Integer, Long> m) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (int port : List.of(Router.BIP_PORT, Router.SC_PORT)) {
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("port", port(port)))
                    .value(m.getOrDefault(port, 0L)).build());
        }
        return b.build();
    }
}
