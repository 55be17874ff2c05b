package org.bacnetsc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {

    @TempDir
    Path dir;

    @Test
    void theServicesRunOnePoolWithAThreadPerCoreAndTcpActorsOnIt() {
        Config c = new ServiceConfig().load();
        assertEquals(2, c.getInt("pekko.actor.default-dispatcher.fork-join-executor.parallelism-min"));
        assertEquals(2, c.getInt("pekko.actor.internal-dispatcher.fork-join-executor.parallelism-min"));
        assertEquals("pekko.actor.default-dispatcher", c.getString("pekko.io.tcp.worker-dispatcher"));
        // Everything else keeps its default.
        assertEquals(64, c.getInt("pekko.actor.default-dispatcher.fork-join-executor.parallelism-max"));
    }

    @Test
    void theServiceFileOverridesTheTuning() throws Exception {
        Path file = dir.resolve("application.conf");
        Files.writeString(file, "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min = 6\n");
        ServiceConfig s = new ServiceConfig();
        s.config = file;
        assertEquals(6, s.load().getInt("pekko.actor.default-dispatcher.fork-join-executor.parallelism-min"));
    }
}
