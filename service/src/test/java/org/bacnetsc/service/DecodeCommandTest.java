package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DecodeCommandTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private record Run(int exitCode, List<JsonNode> lines, String err) {
    }

    private Run run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Bsc.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        List<JsonNode> lines = out.toString().lines().filter(l -> !l.isBlank()).map(l -> {
            try {
                return mapper.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
        return new Run(code, lines, err.toString());
    }

    @Test
    void specExampleWithSpacedBytesPrintsOneJsonLineAndExitsZero() throws Exception {
        Run r = run(("decode 01 07 b5 ec 92 7b f7 1a 96 a2 bf 00 07 02 2b ba c5 ec c0 99 3f 00 03 03 09 39 01 01 04 00"
                + " 00 01 0c 0c 00 00 00 05 19 55").split(" "));
        assertEquals(0, r.exitCode());
        assertEquals(1, r.lines().size());
        JsonNode j = r.lines().get(0);
        assertEquals("ENCAPSULATED_NPDU", j.get("function").asText());
        assertEquals(1, j.get("functionCode").asInt());
        assertEquals(0xB5EC, j.get("messageId").asInt());
        assertTrue(j.get("originatingVmac").isNull());
        assertEquals("92:7b:f7:1a:96:a2", j.get("destinationVmac").asText());
        JsonNode opt = j.get("destinationOptions").get(0);
        assertEquals(31, opt.get("type").asInt());
        assertEquals(555, opt.get("vendorId").asInt());
        assertEquals(0xBA, opt.get("proprietaryType").asInt());
        assertEquals("c5ecc099", opt.get("data").asText());
        assertEquals(1, j.get("dataOptions").get(0).get("type").asInt());
        assertEquals("01040000010c0c000000051955", j.get("npdu").asText());
    }

    @Test
    void connectRequestShowsVmacUuidAndLimits() throws Exception {
        JsonNode j = run("decode", "06:00:12:34:02:11:22:33:44:55:12:3e:45:67:e8:9b:12:d3:a4:56:42:66:14:17:40:00"
                + ":06:40:05:d9").lines().get(0);
        assertEquals("02:11:22:33:44:55", j.get("vmac").asText());
        assertEquals("123e4567-e89b-12d3-a456-426614174000", j.get("deviceUuid").asText());
        assertEquals(1600, j.get("maxBvlcLength").asInt());
        assertEquals(1497, j.get("maxNpduLength").asInt());
    }

    @Test
    void nakShowsResultFieldsWithNumbersAndNames() throws Exception {
        JsonNode j = run("decode", "000000050601000007009764").lines().get(0);
        assertEquals("BVLC_RESULT", j.get("function").asText());
        assertEquals(6, j.get("resultFor").asInt());
        assertEquals("NAK", j.get("resultCode").asText());
        assertEquals(0, j.get("errorHeaderMarker").asInt());
        assertEquals(7, j.get("errorClass").asInt());
        assertEquals(151, j.get("errorCode").asInt());
        assertEquals("NODE_DUPLICATE_VMAC", j.get("errorCodeName").asText());
        assertEquals("d", j.get("errorDetails").asText());
    }

    @Test
    void failingFrameReportsErrorWithNakAndExitsOne() throws Exception {
        Run r = run("decode", "0d 00 0102");
        assertEquals(1, r.exitCode());
        JsonNode e = r.lines().get(0).get("error");
        assertEquals(143, e.get("code").asInt());
        assertEquals("BVLC_FUNCTION_UNKNOWN", e.get("name").asText());
        assertEquals(false, e.get("silentDrop").asBoolean());
        assertEquals("000001020d01000007008f", e.get("nak").asText().substring(0, 22));
    }

    @Test
    void shortFrameIsASilentDropWithoutNak() throws Exception {
        Run r = run("decode", "01 00");
        assertEquals(1, r.exitCode());
        JsonNode e = r.lines().get(0).get("error");
        assertEquals("MESSAGE_INCOMPLETE", e.get("name").asText());
        assertTrue(e.get("silentDrop").asBoolean());
        assertTrue(e.get("nak").isNull());
    }

    @Test
    void dashReadsOneFramePerLineFromStandardInput() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("0a000009\n\n0b 00 00 09\n".getBytes(StandardCharsets.UTF_8)));
            Run r = run("decode", "-");
            assertEquals(0, r.exitCode());
            assertEquals(List.of("HEARTBEAT_REQUEST", "HEARTBEAT_ACK"),
                    r.lines().stream().map(j -> j.get("function").asText()).toList());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void invalidHexIsAUsageErrorNamingTheProblem() throws Exception {
        Run r = run("decode", "0g");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not a hex digit"), r.err());
    }
}
