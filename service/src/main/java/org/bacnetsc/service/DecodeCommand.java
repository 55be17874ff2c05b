package org.bacnetsc.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.BvlcCodec;
import org.bacnetsc.codec.DecodeFailure;
import org.bacnetsc.codec.DecodeResult;
import org.bacnetsc.codec.Hex;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bsc decode}: prints each BVLC-SC frame as one line of JSON. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Decode a BVLC-SC frame given in hex and print it as one line of JSON.",
            "All arguments form one frame (spaces and colons are ignored); '-' reads one frame per line from "
                + "standard input. Exits 1 when any frame fails to decode."},
        footer = {"", "Example: bsc decode 01 07 b5 ec 92 7b f7 1a 96 a2 bf 00 07 02 2b ba c5 ec c0 99 3f 00 03 03 09 "
                + "39 01 01 04 00 00 01 0c 0c 00 00 00 05 19 55"})
final class DecodeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "HEX", description = "the frame in hex, or '-' for standard input")
    List<String> hex;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        FrameJson json = new FrameJson(mapper);
        boolean anyFailed = false;
        if (hex.size() == 1 && hex.get(0).equals("-")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                anyFailed |= print(out, json, parse(line, "line " + lineNo));
            }
        } else {
            anyFailed = print(out, json, parse(String.join(" ", hex), "argument"));
        }
        out.flush();
        return anyFailed ? 1 : 0;
    }

    private ByteString parse(String text, String where) {
        try {
            return Hex.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), where + ": " + e.getMessage());
        }
    }

    private boolean print(PrintWriter out, FrameJson json, ByteString frame) throws JsonProcessingException {
        DecodeResult result = BvlcCodec.decode(frame);
        out.println(mapper.writeValueAsString(json.toJson(result)));
        return result instanceof DecodeFailure;
    }
}
