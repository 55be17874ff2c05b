package org.bacnetsc.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {

    private static Config with(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void referenceConfHoldsTheDigestDefaults() {
        assertEquals(ConnectionSettings.defaults(), ConnectionSettings.fromConfig(ConfigFactory.load()));
    }

    @Test
    void heartbeatAckTimeoutDefaultsToTheHeartbeatTimeoutAndCanBeSet() {
        ConnectionSettings s = ConnectionSettings.fromConfig(with("bacnet-sc.connection.heartbeat-timeout = 60s"));
        assertEquals(Duration.ofSeconds(60), s.heartbeatAckTimeout());
        s = ConnectionSettings.fromConfig(with("bacnet-sc.connection.heartbeat-ack-timeout = 5s"));
        assertEquals(Duration.ofSeconds(5), s.heartbeatAckTimeout());
        assertEquals(Duration.ofSeconds(300), s.heartbeatTimeout());
    }

    @Test
    void helloIsAutoAndNotRequiredByDefaultAndEachSettingIsRead() {
        assertEquals(ConnectionSettings.Hello.AUTO, ConnectionSettings.fromConfig(ConfigFactory.load()).hello());
        ConnectionSettings s = ConnectionSettings.fromConfig(with("bacnet-sc.connection { hello = off, "
                + "hello-required = on }"));
        assertEquals(ConnectionSettings.Hello.OFF, s.hello());
        assertTrue(s.helloRequired());
        assertEquals(ConnectionSettings.Hello.SEND,
                ConnectionSettings.fromConfig(with("bacnet-sc.connection.hello = send")).hello());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ConnectionSettings.fromConfig(with("bacnet-sc.connection.hello = maybe")));
        assertTrue(e.getMessage().contains("bacnet-sc.connection.hello") && e.getMessage().contains("maybe"),
                e.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () ->
                ConnectionSettings.fromConfig(with("bacnet-sc.connection.hello-required = perhaps")));
        assertTrue(r.getMessage().contains("bacnet-sc.connection.hello-required"), r.getMessage());
    }

    @Test
    void aBadValueFailsWithAMessageNamingTheKeyAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ConnectionSettings.fromConfig(with("bacnet-sc.connection.connect-wait-timeout = soon")));
        assertTrue(e.getMessage().contains("bacnet-sc.connection.connect-wait-timeout"), e.getMessage());
        assertTrue(e.getMessage().contains("soon"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                ConnectionSettings.fromConfig(with("bacnet-sc.connection.max-npdu-length = 2000")));
        assertTrue(e.getMessage().contains("max-npdu-length") && e.getMessage().contains("2000"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                ConnectionSettings.fromConfig(with("bacnet-sc.connection.heartbeat-timeout = 0s")));
        assertTrue(e.getMessage().contains("heartbeat-timeout"), e.getMessage());
    }
}
