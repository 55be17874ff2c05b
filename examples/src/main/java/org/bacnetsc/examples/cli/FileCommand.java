package org.bacnetsc.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.BacnetClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bsc file}: File objects of a device; {@code bsc file get} reads one with AtomicReadFile. */
@Command(name = "file", mixinStandardHelpOptions = true, subcommands = FileCommand.Get.class,
        description = "File objects of a device (an SC device's: 1 operational certificate, 2 certificate signing "
            + "request, 3 and 4 issuer certificates).")
public final class FileCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: get");
    }

    /** {@code bsc file get DEVICE FILE-INSTANCE OUT}. */
    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Read the whole content of a File object with AtomicReadFile (stream access, from 0 "
                + "until end-of-file) and write it to OUT (- for standard output).",
                "DEVICE is a device instance, found with a Who-Is for it through --hub (also behind a router). Exit "
                    + "status 0; 1 when the device is not found, a request fails or OUT cannot be written; 2 for a "
                    + "malformed command line."},
            footer = {"", "Example: bsc file get 1001 1 node-1001.pem --hub wss://127.0.0.1:4443/hub --pki pki "
                + "--pki-node 3"})
    public static final class Get extends DeviceTool {

        @Parameters(index = "0", paramLabel = "DEVICE", description = "the device instance")
        int device;

        @Parameters(index = "1", paramLabel = "FILE-INSTANCE", description = "the File object's instance")
        int file;

        @Parameters(index = "2", paramLabel = "OUT", description = "where the content goes (- for stdout)")
        String target;

        @Override
        String name() {
            return "file get";
        }

        @Override
        int device() {
            return device;
        }

        @Override
        void check() {
            if (file < 0 || file > 4194302) {
                throw new IllegalArgumentException("file instance " + file + " is out of range 0-4194302");
            }
        }

        @Override
        void run(BacnetClient client, BacnetClient.Found found, PrintWriter out) throws Exception {
            ByteString content = await(found, client.readFile(found.address(), file));
            if (target.equals("-")) {
                out.flush();
                System.out.write(content.toArray());
                System.out.flush();
                return;
            }
            try {
                Files.write(Path.of(target), content.toArray());
            } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
                throw new HubClient.ToolFailure("cannot write " + target + ": " + e);
            }
            out.println("file," + file + " of device " + found.instance() + ": " + content.size()
                    + " octets written to " + target);
        }
    }
}
