package org.bacnetsc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoDiscoversAndReadsTheScDevicesAndTheBacnetIpDeviceBehindTheRouter() {
        StringWriter out = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("demo", "--pki", dir.resolve("pki").toString());
        String text = out.toString();
        assertEquals(0, code, text);
        assertTrue(Files.exists(dir.resolve("pki").resolve("ca.pem")));
        assertTrue(text.contains("device 1001 at VMAC"), text);
        assertTrue(text.contains("object-name \"demo-device-1\""), text);
        assertTrue(text.contains("object-name \"demo-device-2\""), text);
        assertTrue(text.contains("device 1003 on network 1 at 127.0.0.1:"), text);
        assertTrue(text.contains("object-name \"demo-bip-device\""), text);
        assertTrue(text.contains("object-name \"demo-router\""), text);
        assertTrue(text.contains("demo OK"), text);
    }
}
