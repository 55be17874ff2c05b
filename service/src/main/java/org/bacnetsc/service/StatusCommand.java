package org.bacnetsc.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bsc status}: a hub's operations endpoint as a terminal table. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Read /status and /health/ready of a hub's (or a node's) operations endpoint and print them as "
            + "tables: connections (VMAC, UUID, peer, since, state), failed connection requests, counters, drops, "
            + "cluster members and their reachability; for a node its hub connections, counters and certificates. "
            + "Exit 1 when the endpoint cannot be read."})
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--management", required = true, paramLabel = "URL",
            description = "the operations endpoint, e.g. http://127.0.0.1:8558")
    URI management;

    @Option(names = "--json", description = "print /status as it came (for scripts)")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body;
        String ready;
        try {
            body = get(http, "status").body();
            HttpResponse<String> r = get(http, "health/ready");
            ready = (r.statusCode() == 200 ? "" : "NOT READY: ") + r.body().trim();
        } catch (java.io.IOException | IllegalArgumentException e) {
            err.println("bsc status: cannot read " + management + ": " + e);
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (json) {
            out.println(body);
            out.flush();
            return 0;
        }
        JsonNode s;
        try {
            s = new ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            err.println("bsc status: " + management + "/status is not JSON: " + e.getMessage());
            err.flush();
            return 1;
        }
        print(out, s, ready);
        out.flush();
        return 0;
    }

    private HttpResponse<String> get(HttpClient http, String path) throws java.io.IOException, InterruptedException {
        URI base = management.toString().endsWith("/") ? management : URI.create(management + "/");
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The tables; package-private for the test. */
    static void print(PrintWriter out, JsonNode s, String ready) {
        if (s.has("hubConnectorState")) {
            printNode(out, s, ready);
            return;
        }
        String[] readiness = ready.split("\n");
        out.println("hub " + s.path("uri").asText() + "  (" + readiness[0] + ")");
        for (int i = 1; i < readiness.length; i++) {
            out.println(readiness[i]);
        }
        out.println();
        Table connections = new Table("VMAC", "UUID", "PEER", "SINCE", "STATE");
        for (JsonNode c : s.path("connections")) {
            connections.row(text(c, "vmac"), text(c, "uuid"), text(c, "peerAddress"), text(c, "connectTimestamp"),
                    text(c, "state") + (c.has("error") ? " " + c.path("error").path("code").asText() : ""));
        }
        out.println("connections (" + connections.size() + ")");
        connections.print(out);
        Table failed = new Table("TIME", "PEER", "VMAC", "ERROR", "DETAILS");
        for (JsonNode f : s.path("failedConnectionRequests")) {
            failed.row(text(f, "timestamp"), text(f, "peerAddress"), text(f, "vmac"),
                    f.path("error").path("code").asText("-"), f.path("error").path("details").asText("-"));
        }
        out.println();
        out.println("failed connection requests (" + failed.size() + ")");
        failed.print(out);
        Table counters = new Table("COUNTER", "VALUE");
        for (Iterator<Map.Entry<String, JsonNode>> i = s.path("counters").fields(); i.hasNext(); ) {
            Map.Entry<String, JsonNode> e = i.next();
            counters.row(e.getKey(), e.getValue().asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> i = s.path("transport").fields(); i.hasNext(); ) {
            Map.Entry<String, JsonNode> e = i.next();
            if (e.getValue().isValueNode()) {
                counters.row("transport." + e.getKey(), e.getValue().asText());
            } else {
                e.getValue().fields().forEachRemaining(x -> counters.row("transport." + e.getKey() + "."
                        + x.getKey(), x.getValue().asText()));
            }
        }
        out.println();
        counters.print(out);
        JsonNode cluster = s.path("cluster");
        if (cluster.path("enabled").asBoolean()) {
            Table members = new Table("MEMBER", "STATUS", "REACHABLE");
            for (JsonNode m : cluster.path("members")) {
                members.row(m.path("address").asText() + (m.path("address").asText()
                        .equals(cluster.path("self").asText()) ? " (self)" : ""), m.path("status").asText(),
                        m.path("reachable").asBoolean() ? "yes" : "NO");
            }
            out.println();
            out.println("cluster members (" + members.size() + "), " + cluster.path("knownVmacs").asInt()
                    + " VMACs known cluster-wide");
            members.print(out);
        }
    }

    /** A node's endpoint ({@code bsc node --management}). */
    static void printNode(PrintWriter out, JsonNode s, String ready) {
        String[] readiness = ready.split("\n");
        out.println("node " + s.path("vmac").asText() + " " + s.path("deviceUuid").asText() + "  (" + readiness[0]
                + ")");
        for (int i = 1; i < readiness.length; i++) {
            out.println(readiness[i]);
        }
        out.println();
        Table hubs = new Table("HUB", "STATE", "SINCE", "ERROR");
        for (String h : new String[] {"primary", "failover"}) {
            JsonNode n = s.path(h);
            hubs.row(h, text(n, "state"), text(n, "connectTimestamp"), n.has("error")
                    ? n.path("error").path("code").asText() + " " + n.path("error").path("details").asText() : "-");
        }
        out.println("hub connector state " + s.path("hubConnectorState").asInt());
        hubs.print(out);
        Table counters = new Table("COUNTER", "VALUE");
        for (String f : new String[] {"npdusSent", "npdusReceived", "hubConnections", "reconnects",
            "directConnections"}) {
            counters.row(f, text(s, f));
        }
        s.path("transport").fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode()) {
                counters.row("transport." + e.getKey(), e.getValue().asText());
            }
        });
        out.println();
        counters.print(out);
        Table certificates = new Table("CERTIFICATE", "SUBJECT", "VALID UNTIL", "DAYS LEFT");
        for (JsonNode c : s.path("certificates")) {
            certificates.row(c.path("role").asText(), c.path("subject").asText(), c.path("notAfter").asText(),
                    String.valueOf(c.path("secondsLeft").asLong() / 86_400));
        }
        out.println();
        certificates.print(out);
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isNull() || n.path(field).isMissingNode() ? "-" : n.path(field).asText();
    }

    /** Columns padded to their widest cell. */
    private static final class Table {
        private final String[] header;
        private final java.util.List<String[]> rows = new java.util.ArrayList<>();

        Table(String... header) {
            this.header = header;
        }

        void row(String... cells) {
            rows.add(cells);
        }

        int size() {
            return rows.size();
        }

        void print(PrintWriter out) {
            int[] width = new int[header.length];
            for (int i = 0; i < header.length; i++) {
                width[i] = header[i].length();
                for (String[] r : rows) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            line(out, header, width);
            for (String[] r : rows) {
                line(out, r, width);
            }
        }

        private static void line(PrintWriter out, String[] cells, int[] width) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                b.append(i == cells.length - 1 ? cells[i] : String.format("%-" + width[i] + "s  ", cells[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
