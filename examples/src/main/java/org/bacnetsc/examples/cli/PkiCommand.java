package org.bacnetsc.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bacnetsc.transport.DevPki;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bsc pki}: the development PKI. */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Development PKI (never for production).",
        subcommands = {PkiCommand.Init.class})
final class PkiCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code bsc pki init DIR [--nodes N]}. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Write a development CA and EC P-256 operational certificates for a hub and N nodes "
                + "(SAN localhost and 127.0.0.1, EKU clientAuth and serverAuth) as PEM files.",
                "Existing files are kept; missing ones are added."})
    static final class Init implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "where to write the PEM files")
        Path dir;

        @Option(names = "--nodes", defaultValue = "2", description = "node certificates to create (default 2)")
        int nodes;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (nodes < 0 || nodes > 100_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be 0-100000, got "
                        + nodes);
            }
            PrintWriter out = spec.commandLine().getOut();
            DevPki pki = DevPki.at(dir);
            List<Path> written = pki.ensure(nodes);
            out.println(written.isEmpty() ? "development PKI in " + dir + " is complete; nothing written"
                    : "wrote " + written.size() + " files to " + dir + ":");
            written.forEach(p -> out.println("  " + p.getFileName()));
            out.println("trust anchor: " + pki.caCertificate());
            out.flush();
            return 0;
        }
    }
}
