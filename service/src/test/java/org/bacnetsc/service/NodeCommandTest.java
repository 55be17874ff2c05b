package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.bacnetsc.device.object.DeviceInfo;
import org.bacnetsc.examples.cli.ServiceConfig;
import org.bacnetsc.hub.ScHub;
import org.bacnetsc.transport.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NodeCommandTest {

    static final ActorTestKit KIT = ActorTestKit.create("node-command-test");

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void nodeWithABadDirectBindingFailsNamingTheKey() {
        StringWriter err = new StringWriter();
        CommandLine cli = Bsc.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("node", "--hub", "wss://127.0.0.1:1/hub", "--direct-accept", "--direct-bind",
                "localhost");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("bacnet-sc.node.direct-connect.binding = \"localhost\""),
                err.toString());
    }

    static DeviceInfo deviceOf(String... args) {
        NodeCommand command = new NodeCommand();
        new CommandLine(command).parseArgs(args);
        return command.deviceInfo(command.service.load());
    }

    @Test
    void theNodesDeviceComesFromBacnetScNodeDeviceWithTheFlagsOverIt() throws Exception {
        DeviceInfo byDefault = deviceOf();
        assertEquals(1001, byDefault.instance());
        assertEquals("bsc-device-1001", byDefault.name());
        assertEquals("bsc node", byDefault.modelName());
        DeviceInfo flags = deviceOf("--device-instance", "7", "--device-name", "boiler");
        assertEquals(7, flags.instance());
        assertEquals("boiler", flags.name());
        assertEquals(8, deviceOf("--instance", "8").instance(), "the former flag names still work");
        Path file = dir.resolve("application.conf");
        Files.writeString(file, "bacnet-sc.node.device { instance = 42, name = \"chiller\", password = \"s3cret\" }\n"
                + "bacnet-sc.device { vendor-identifier = 260, location = \"roof\" }\n");
        DeviceInfo configured = deviceOf("--config", file.toString());
        assertEquals(42, configured.instance());
        assertEquals("chiller", configured.name());
        assertEquals("s3cret", configured.password());
        assertEquals(260, configured.vendorId(), "the rest from bacnet-sc.device");
        assertEquals("roof", configured.location());
        assertEquals(9, deviceOf("--config", file.toString(), "--device-instance", "9").instance());
        assertNull(deviceOf("--device-instance", "-1"), "-1: a node that is no device");
        Files.writeString(file, "bacnet-sc.node.device.instance = 4194303\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> deviceOf("--config", file.toString()));
        assertTrue(e.getMessage().contains("bacnet-sc.node.device.instance (--device-instance) = 4194303"),
                e.getMessage());
        assertEquals(1001, new ServiceConfig().load().getInt("bacnet-sc.node.device.instance"));
    }

    @Test
    void bscNodeIsABacnetDeviceThatTheToolsRead() throws Exception {
        DevPki pki = DevPki.at(dir.resolve("pki"));
        pki.ensure(2);
        ScHub hub = ScHub.builder().bind("127.0.0.1", 0).devPki(pki.dir()).start(KIT.system()).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Bsc.class.getName(), "node", "--hub",
                hub.uri().toString(), "--pki", pki.dir().toString(), "--pki-node", "1", "--state-dir",
                dir.resolve("state").toString(), "--device-instance", "1234", "--device-name", "Forked node"));
        Process process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(dir.resolve("err.txt")
                .toFile()).start();
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(out::add), "forked-node-out");
        reader.setDaemon(true);
        reader.start();
        try {
            KIT.createTestProbe().awaitAssert(Duration.ofSeconds(60), () -> {
                assertTrue(out.contains("device 1234 (Forked node) running; stop with Ctrl-C or SIGTERM"),
                        out + "\n" + Files.readString(dir.resolve("err.txt")));
                return null;
            });
            StringWriter read = new StringWriter();
            CommandLine cli = Bsc.commandLine();
            cli.setOut(new PrintWriter(read));
            // the node connects right after it printed its line: Who-Is is sent again until it answers
            assertEquals(0, cli.execute("rpm", "1234", "device,1234:object-name,model-name",
                    "network-port,1:sc-hub-connector-state", "--hub", hub.uri().toString(), "--pki",
                    pki.dir().toString(), "--pki-node", "2", "--timeout", "20"), read.toString());
            assertEquals(List.of("device,1234", "  object-name: \"Forked node\"", "  model-name: \"bsc node\"",
                    "network-port,1", "  sc-hub-connector-state: 1"), List.of(read.toString().split("\\R")));
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "bsc node did not stop");
            process.destroyForcibly();
            hub.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        assertEquals(0, process.exitValue(), Files.readString(dir.resolve("err.txt")));
    }
}
