package org.bacnetsc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransportSettingsTest {

    private static Config with(String line) {
        return ConfigFactory.parseString(line).withFallback(ConfigFactory.load()).resolve();
    }

    @Test
    void theDefaultsAre1024FramesTlsRequiredAndTenSecondsForTheUpgrade() {
        TransportSettings s = TransportSettings.fromConfig(ConfigFactory.load());
        assertEquals(new TransportSettings(1024, false, Duration.ofSeconds(10)), s);
        assertEquals(s, TransportSettings.defaults());
    }

    @Test
    void aZeroUpgradeTimeoutFailsNamingTheKeyAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportSettings.fromConfig(with("bacnet-sc.transport.upgrade-timeout = 0s")));
        assertTrue(e.getMessage().contains("bacnet-sc.transport.upgrade-timeout") && e.getMessage().contains("PT0S"),
                e.getMessage());
    }

    @Test
    void aQueueOfZeroFailsNamingTheKeyAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportSettings.fromConfig(with("bacnet-sc.transport.outbound-queue-size = 0")));
        assertTrue(e.getMessage().contains("bacnet-sc.transport.outbound-queue-size") && e.getMessage().contains("0"),
                e.getMessage());
    }

    @Test
    void theAcceptingSideRunsOnOurSocketLoopsUnlessPekkoIoIsAskedFor() {
        TransportSettings.ServerIo expected = System.getProperty("bacnet-sc.transport.server-io") == null
                ? TransportSettings.ServerIo.NIO : TransportSettings.ServerIo.PEKKO_IO; // the suite's third run
        assertEquals(expected, TransportSettings.fromConfig(ConfigFactory.load()).serverIo());
        assertEquals(TransportSettings.ServerIo.PEKKO_IO, TransportSettings.fromConfig(
                with("bacnet-sc.transport.server-io = pekko-io")).serverIo());
        assertEquals(TransportSettings.ServerIo.NIO, TransportSettings.fromConfig(
                with("bacnet-sc.transport.server-io = nio")).serverIo());
    }

    @Test
    void anUnknownServerIoFailsNamingTheKeyAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportSettings.fromConfig(with("bacnet-sc.transport.server-io = netty")));
        assertEquals("bacnet-sc.transport.server-io = \"netty\": expected nio or pekko-io", e.getMessage());
    }
}
