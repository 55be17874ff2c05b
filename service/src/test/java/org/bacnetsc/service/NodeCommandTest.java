package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NodeCommandTest {

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
}
