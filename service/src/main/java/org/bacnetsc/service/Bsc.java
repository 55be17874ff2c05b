package org.bacnetsc.service;

import org.bacnetsc.examples.cli.BenchCommand;
import org.bacnetsc.examples.cli.BipDeviceCommand;
import org.bacnetsc.examples.cli.DemoCommand;
import org.bacnetsc.examples.cli.FileCommand;
import org.bacnetsc.examples.cli.FloodCommand;
import org.bacnetsc.examples.cli.MicrobenchCommand;
import org.bacnetsc.examples.cli.ReadCommand;
import org.bacnetsc.examples.cli.RpmCommand;
import org.bacnetsc.examples.cli.WhoisCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bsc} command line: one entry point whose subcommands run hubs, nodes and tools. */
@Command(name = "bsc", mixinStandardHelpOptions = true, version = "bsc 0.1.0 (bacnet-sc-pekko)",
        description = "BACnet/SC (ASHRAE 135 Annex AB) on Apache Pekko: hubs, nodes and tools.",
        subcommands = {DemoCommand.class, HubCommand.class, NodeCommand.class, WhoisCommand.class, ReadCommand.class,
            RpmCommand.class, FileCommand.class, BenchCommand.class,
            DecodeCommand.class, PkiCommand.class, MicrobenchCommand.class, FloodCommand.class, StatusCommand.class,
            RouterCommand.class, BipDeviceCommand.class,
            CommandLine.HelpCommand.class})
public final class Bsc implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = ConsoleLogging.VERBOSE, description = "log at INFO on stderr also for demo, whois, "
            + "read, rpm, file, status, decode and pki (which log only warnings, so that their results are what a "
            + "terminal shows); may stand anywhere on the command line")
    boolean verbose;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(ConsoleLogging.apply(args)));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        return new CommandLine(new Bsc()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
