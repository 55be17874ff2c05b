package org.bacnetsc.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectConnectSettingsTest {

    private static Config with(String overrides) {
        return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void referenceDefaultsFollowTheDigest() {
        DirectConnectSettings s = DirectConnectSettings.fromConfig(ConfigFactory.defaultReference());
        assertEquals(false, s.acceptEnable());
        assertEquals(true, s.initiateEnable());
        assertEquals("127.0.0.1", s.bindHost());
        assertEquals(0, s.bindPort());
        assertEquals(Duration.ofSeconds(5), s.resolutionTimeout());
        assertEquals(Duration.ofSeconds(600), s.cacheFreshness());
        assertEquals(Duration.ofSeconds(300), s.idleTimeout());
        assertEquals(0.0, s.autoConnectRate());
        assertEquals(List.of(), s.acceptUris());
    }

    @Test
    void bindingAndUrisAreParsed() {
        DirectConnectSettings s = DirectConnectSettings.fromConfig(with("""
                bacnet-sc.node.direct-connect { accept-enable = on, binding = "[::1]:4444"
                  accept-uris = ["wss://[::1]:4444/", "wss://dc.example:4444/"], auto-connect-rate = 2.5 }"""));
        assertEquals("::1", s.bindHost());
        assertEquals(4444, s.bindPort());
        assertEquals(List.of(URI.create("wss://[::1]:4444/"), URI.create("wss://dc.example:4444/")), s.acceptUris());
        assertEquals(2.5, s.autoConnectRate());
    }

    @Test
    void badValuesFailNamingTheKeyAndTheValue() {
        assertMessage("bacnet-sc.node.direct-connect.binding = \"localhost\"", "binding = \"localhost\"");
        assertMessage("bacnet-sc.node.direct-connect.binding = \"127.0.0.1:http\"", "binding = \"127.0.0.1:http\"");
        assertMessage("bacnet-sc.node.direct-connect.resolution-timeout = soon", "resolution-timeout = \"soon\"");
        assertMessage("bacnet-sc.node.direct-connect.idle-timeout = 0s", "idle-timeout must be a positive");
        assertMessage("bacnet-sc.node.direct-connect.auto-connect-rate = -1", "auto-connect-rate must be >= 0");
        assertMessage("bacnet-sc.node.direct-connect.accept-uris = [\"http://x:1/\"]", "\"http://x:1/\" is not");
        assertMessage("bacnet-sc.node.direct-connect.max-connections = 0", "max-connections must be >= 1");
    }

    private static void assertMessage(String config, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DirectConnectSettings.fromConfig(with(config)));
        assertTrue(e.getMessage().contains("bacnet-sc.node.direct-connect") && e.getMessage().contains(expected),
                e.getMessage());
    }
}
