package org.bacnetsc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bsc flood} against our own hub (from {@code bsc hub}'s code, on 127.0.0.1). */
class FloodCommandTest {

    @TempDir
    Path dir;

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = Tools.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute(args), out.toString());
        return out.toString();
    }

    @Test
    void aPingFloodIsClosedWith1008AndAnUnknownVmacFloodIsDroppedAndCounted() throws Exception {
        org.apache.pekko.actor.typed.ActorSystem<Void> system = org.apache.pekko.actor.typed.ActorSystem.create(
                org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "flood-test");
        org.bacnetsc.hub.ScHub hub = org.bacnetsc.hub.ScHub.builder().bind("127.0.0.1", 0).devPki(dir).start(system)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        try {
            String uri = hub.uri().toString();
            String pings = run("flood", "--hub", uri, "--pki", dir.toString(), "--pings", "5000", "--json");
            assertTrue(pings.contains("\"kind\":\"ping\"") && pings.contains("\"closeCode\":1008"), pings);
            String npdus = run("flood", "--hub", uri, "--pki", dir.toString(), "--kind", "unknown-vmac", "--pings",
                    "3000", "--linger", "1", "--json");
            assertTrue(npdus.contains("\"framesSent\":3000"), npdus);
            org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create(system).createTestProbe().awaitAssert(
                    java.time.Duration.ofSeconds(20), () -> {
                        assertEquals(3000, hub.status().toCompletableFuture().get(5, TimeUnit.SECONDS).counters()
                                .droppedUnknownVmac());
                        return null;
                    });
            assertEquals(1, hub.transportCounters().webSocketClosedByReason().get("ping_flood"));
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMissingCertificateIsAClearError() {
        StringWriter err = new StringWriter();
        CommandLine cl = Tools.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("flood", "--hub", "wss://127.0.0.1:1/hub", "--pki", dir.resolve("none").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("node-1.pem"), err.toString());
    }
}
