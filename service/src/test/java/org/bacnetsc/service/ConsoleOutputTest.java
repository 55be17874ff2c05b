package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.bacnetsc.device.ScDevice;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.hub.HubDevice;
import org.bacnetsc.hub.Management;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.node.ScNode;
import org.bacnetsc.transport.DevPki;
import org.bacnetsc.transport.WsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that print results for a person (demo, whois, read, rpm, file get, status, decode, pki), each run as
 * {@code bsc} in a JVM of its own: their standard output holds their results and no log line, and their standard error no INFO line and
 * no SLF4J notice; {@code --verbose} brings the INFO lines back (on standard error).
 */
class ConsoleOutputTest {

    /** A log line of our layout (logback.xml), of Pekko's standard-out logger, or an SLF4J notice. */
    static final Pattern LOG_LINE = Pattern.compile(
            "^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR) |\\[(DEBUG|INFO|WARN|WARNING|ERROR)\\]|SLF4J).*");
    static final Pattern INFO_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +INFO .*");
    static ActorTestKit KIT;

    @TempDir
    static Path dir;
    static DevPki pki;
    static ScHub hub;
    static ScNode device;
    static String management;

    @BeforeAll
    static void start() throws Exception {
        // the hub device's node keeps its identity in bacnet-sc.node.state-dir
        KIT = ActorTestKit.create("console-output", com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of(
                "bacnet-sc.node.state-dir", dir.resolve("hub-device").toString()))
                .withFallback(com.typesafe.config.ConfigFactory.load()));
        pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).device(new HubDevice.Settings(100, "", ""))
                .start(KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        management = "http://" + WsServer.authority(Management.bind(KIT.system(), hub, "127.0.0.1", 0)
                .toCompletableFuture().get(10, TimeUnit.SECONDS).localAddress()) + "/";
        device = ScNode.builder().primaryHub(hub.uri()).devPki(pki.dir(), 1).stateDir(dir.resolve("device"))
                .start(KIT.system());
        ScDevice.start(KIT.system(), device, DeviceInfo.of(4712, "boiler")).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        device.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        hub.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        KIT.shutdownTestKit();
    }

    /** Output of one {@code bsc} run. */
    record Run(int exit, List<String> out, List<String> err) {
    }

    static Run bsc(String... args) throws Exception {
        Path work = Files.createTempDirectory(dir, "run");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Bsc.class.getName()));
        cmd.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bsc " + String.join(" ", args) + " did not end");
        return new Run(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    static void assertOnlyResults(Run r, String what) {
        assertEquals(0, r.exit(), what + ": " + r);
        assertFalse(r.out().isEmpty(), what + " printed nothing: " + r);
        for (String line : r.out()) {
            assertFalse(LOG_LINE.matcher(line).matches(), what + " printed a log line on stdout: " + line);
        }
        for (String line : r.err()) {
            assertFalse(INFO_LINE.matcher(line).matches() || line.startsWith("SLF4J"),
                    what + " logged below WARN: " + line + "\n" + r.err());
        }
    }

    @Test
    void demoPrintsOnlyItsResults() throws Exception {
        Run r = bsc("demo", "--pki", dir.resolve("demo-pki").toString());
        assertOnlyResults(r, "demo");
        assertEquals("demo OK", r.out().get(r.out().size() - 1));
    }

    @Test
    void whoisPrintsOnlyItsResultsAndVerboseBringsBackTheInfoLines() throws Exception {
        Run r = bsc("whois", "--hub", hub.uri().toString(), "--pki", pki.dir().toString(), "--pki-node", "2",
                "--timeout", "2");
        assertOnlyResults(r, "whois");
        assertTrue(r.out().stream().anyMatch(l -> l.contains("4712")), r.toString());
        Run verbose = bsc("whois", "--verbose", "--hub", hub.uri().toString(), "--pki", pki.dir().toString(),
                "--pki-node", "2", "--timeout", "2");
        assertEquals(0, verbose.exit(), verbose.toString());
        assertTrue(verbose.err().stream().anyMatch(l -> INFO_LINE.matcher(l).matches()), verbose.toString());
        assertTrue(verbose.out().stream().noneMatch(l -> LOG_LINE.matcher(l).matches()), verbose.toString());
    }

    @Test
    void theDeviceToolsPrintOnlyTheirResults() throws Exception {
        List<String> through = List.of("--hub", hub.uri().toString(), "--pki", pki.dir().toString(), "--pki-node",
                "2");
        Run rpm = bsc(with(List.of("rpm", "100", "network-port,1"), through));
        assertOnlyResults(rpm, "rpm");
        assertEquals("network-port,1", rpm.out().get(0));
        assertTrue(rpm.out().contains("  sc-hub-connector-state: 1"), rpm.toString());
        Run read = bsc(with(List.of("read", "4712", "device,4712", "object-name"), through));
        assertOnlyResults(read, "read");
        assertEquals(List.of("object-name: \"boiler\""), read.out());
        Run file = bsc(with(List.of("file", "get", "4712", "1", dir.resolve("boiler.pem").toString()), through));
        assertOnlyResults(file, "file get");
        assertTrue(Files.readString(dir.resolve("boiler.pem")).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    private static String[] with(List<String> first, List<String> rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(rest);
        return all.toArray(new String[0]);
    }

    @Test
    void statusDecodeAndPkiPrintOnlyTheirResults() throws Exception {
        assertOnlyResults(bsc("status", "--management", management), "status");
        assertOnlyResults(bsc("decode",
                "0107b5ec927bf71a96a2bf0007022bbac5ecc0993f00030309390101040000010c0c000000051955"), "decode");
        assertOnlyResults(bsc("pki", "init", dir.resolve("other-pki").toString(), "--nodes", "1"), "pki init");
    }
}
