package org.bacnetsc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoDiscoversAndReadsTheScDevicesAndTheBacnetIpDeviceBehindTheRouterAndTheHubDevicesConnections() {
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
        assertTrue(text.contains("object-name \"demo-hub\""), text);
        // the hub device's SC_Hub_Function_Connection_Status read through BACnet: one line per connected node,
        // each with its VMAC, peer address, state and since when, and whose it is
        String[] lines = text.split("\n");
        int header = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("client reads the hub device's sc-hub-function-connection-status")) {
                header = i;
            }
        }
        assertTrue(header > 0, text);
        List<String> entries = new ArrayList<>();
        for (int i = header + 1; i < lines.length && lines[i].startsWith("  VMAC "); i++) {
            entries.add(lines[i]);
        }
        assertEquals(5, entries.size(), text);
        Pattern entry = Pattern.compile("  VMAC ([0-9a-f]{2}:){5}[0-9a-f]{2} from 127\\.0\\.0\\.1:\\d+: "
                + "connected since "
                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d\\d \\((device \\d+|client device 1005)\\)");
        for (String e : entries) {
            assertTrue(entry.matcher(e).matches(), e);
        }
        for (String who : List.of("(device 100)", "(device 1001)", "(device 1002)", "(device 1004)",
                "(client device 1005)")) {
            assertEquals(1, entries.stream().filter(e -> e.endsWith(who)).count(), who + " in " + entries);
        }
        assertTrue(text.endsWith("demo OK" + System.lineSeparator()) || text.endsWith("demo OK\n"), text);
    }
}
