package org.bacnetsc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bacnetsc.examples.cli.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServiceConfigTest {

    @TempDir
    Path dir;

    @Test
    void theServicesRunOnePoolWithAThreadPerCoreAndTcpActorsOnIt() {
        Config c = new ServiceConfig().load();
        // a thread per core: at least 2, and one per processor (parallelism-factor 1.0) above that
        assertEquals(2, c.getInt("pekko.actor.default-dispatcher.fork-join-executor.parallelism-min"));
        assertEquals(1.0, c.getDouble("pekko.actor.default-dispatcher.fork-join-executor.parallelism-factor"));
        assertEquals(2, c.getInt("pekko.actor.internal-dispatcher.fork-join-executor.parallelism-min"));
        assertEquals(1.0, c.getDouble("pekko.actor.internal-dispatcher.fork-join-executor.parallelism-factor"));
        assertEquals("pekko.actor.default-dispatcher", c.getString("pekko.io.tcp.worker-dispatcher"));
        // Everything else keeps its default.
        assertEquals(64, c.getInt("pekko.actor.default-dispatcher.fork-join-executor.parallelism-max"));
    }

    @Test
    void theServiceFileOverridesTheTuning() throws Exception {
        Path file = dir.resolve("application.conf");
        Files.writeString(file, "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min = 6\n");
        ServiceConfig s = new ServiceConfig();
        new CommandLine(s).parseArgs("--config", file.toString());
        assertEquals(6, s.load().getInt("pekko.actor.default-dispatcher.fork-join-executor.parallelism-min"));
    }
}
