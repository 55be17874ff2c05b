package org.bacnetsc.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * How much a {@code bsc} command logs. Logs always go to stderr (logback.xml). The commands that print results for a
 * person (demo, whois, read, rpm, file, status, decode, pki) log at WARN, so that their results are all a terminal
 * shows; {@code --verbose} (anywhere on the command line) brings back INFO. The service commands (hub, node, router) and the tools keep INFO.
 */
final class ConsoleLogging {

    /** The commands whose output is their result. */
    static final Set<String> RESULT_COMMANDS = Set.of("demo", "whois", "read", "rpm", "file", "status", "decode",
            "pki");
    static final String VERBOSE = "--verbose";

    private ConsoleLogging() {
    }

    /**
     * Sets the levels for the command in {@code args} and returns the arguments without {@code --verbose}. Starts the
     * logging system now, on this one thread, before any actor system does: SLF4J then has nothing to replay.
     */
    static String[] apply(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean verbose = rest.remove(VERBOSE);
        while (rest.remove(VERBOSE)) {
            verbose = true;
        }
        String command = rest.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context && !verbose
                && RESULT_COMMANDS.contains(command)) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            context.getLogger("org.bacnetsc").setLevel(Level.WARN);
        }
        return rest.toArray(new String[0]);
    }
}
