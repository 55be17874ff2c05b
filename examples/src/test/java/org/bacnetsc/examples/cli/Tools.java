package org.bacnetsc.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The example commands under one command line, as {@code bsc} (in the service module, above this one) offers them:
 * for tests that run them by name.
 */
@Command(name = "bsc", subcommands = {DemoCommand.class, WhoisCommand.class, ReadCommand.class, RpmCommand.class,
    FileCommand.class, BenchCommand.class, FloodCommand.class, BipDeviceCommand.class, MicrobenchCommand.class})
final class Tools implements Runnable {

    static CommandLine commandLine() {
        return new CommandLine(new Tools()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
    }
}
