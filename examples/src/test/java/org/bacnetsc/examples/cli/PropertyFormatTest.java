package org.bacnetsc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.PropertyIdentifier;
import org.junit.jupiter.api.Test;

/** How the tools print values: SC status lists as tables, the SC constructed values decoded, the rest generically. */
class PropertyFormatTest {

    static final ScTypes.DateTime NOON = new ScTypes.DateTime(new Value.Date(126, 6, 12, 5),
            new Value.Time(12, 0, 1, 50));
    static final ByteString VMAC = ByteString.fromArray(new byte[] {0x12, 0x34, 0x56, 0x78, (byte) 0x9a, (byte) 0xbc});
    static final ByteString UUID = ByteString.fromArray(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        15});

    static ScTypes.HubFunctionConnection connection(int state, ScTypes.ErrorValue error, String details) {
        return new ScTypes.HubFunctionConnection(state, NOON, ScTypes.DateTime.UNSPECIFIED,
                new ScTypes.HostNPort(ByteString.fromArray(new byte[] {127, 0, 0, 1}), null, 47808), VMAC, UUID,
                error, details);
    }

    @Test
    void theHubFunctionsConnectionsAreATableOneRowPerEntry() {
        ByteString list = ScTypes.encodeList(ScTypes.HUB_FUNCTION_CONNECTION, List.of(connection(1, null, null),
                connection(2, new ScTypes.ErrorValue(7, 197), "reset by peer")));
        List<String> lines = PropertyFormat.text("sc-hub-function-connection-status",
                PropertyIdentifier.SC_HUB_FUNCTION_CONNECTION_STATUS.code(), null, list, "  ");
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertEquals("  sc-hub-function-connection-status: 2 entries", lines.get(0));
        assertTrue(lines.get(1).matches("      STATE +PEER +VMAC +UUID +CONNECTED +DISCONNECTED +ERROR"), lines.get(1));
        assertEquals("      connected                 127.0.0.1:47808  12:34:56:78:9a:bc  "
                + "00010203-0405-0607-0809-0a0b0c0d0e0f  2026-06-12 12:00:01.50  -             -", lines.get(2));
        assertTrue(lines.get(3).startsWith("      disconnected-with-errors  127.0.0.1:47808"), lines.get(3));
        assertTrue(lines.get(3).endsWith("communication/tcp-error \"reset by peer\""), lines.get(3));
        JsonNode json = PropertyFormat.json(PropertyIdentifier.SC_HUB_FUNCTION_CONNECTION_STATUS.code(), null, list);
        assertEquals(2, json.size());
        assertEquals("12:34:56:78:9a:bc", json.get(0).get("vmac").asText());
        assertEquals("connected", json.get(0).get("stateName").asText());
        assertEquals("127.0.0.1:47808", json.get(0).get("peer").asText());
        assertEquals("2026-06-12 12:00:01.50", json.get(0).get("connected").asText());
        assertTrue(json.get(0).get("disconnected").isNull());
        assertEquals("communication/tcp-error", json.get(1).get("error").asText());
    }

    @Test
    void emptyListsSayNoneAndTheOtherListsAreTablesToo() {
        assertEquals(List.of("sc-failed-connection-requests: none"), PropertyFormat.text(
                "sc-failed-connection-requests", PropertyIdentifier.SC_FAILED_CONNECTION_REQUESTS.code(), null,
                ByteString.emptyByteString(), ""));
        ByteString failed = ScTypes.encodeList(ScTypes.FAILED_CONNECTION_REQUEST, List.of(
                new ScTypes.FailedConnectionRequest(NOON, new ScTypes.HostNPort(null, "hub.example", 443), null, null,
                        new ScTypes.ErrorValue(4, 200), null)));
        List<String> lines = PropertyFormat.text("sc-failed-connection-requests",
                PropertyIdentifier.SC_FAILED_CONNECTION_REQUESTS.code(), null, failed, "");
        assertEquals("sc-failed-connection-requests: 1 entry", lines.get(0));
        assertTrue(lines.get(2).matches("    2026-06-12 12:00:01.50 +hub.example:443 +- +- "
                + "+security/certificate-expired"),
                lines.get(2));
        ByteString direct = ScTypes.encodeList(ScTypes.DIRECT_CONNECTION, List.of(new ScTypes.DirectConnection(
                "wss://10.0.0.5:4443/", 1, NOON, ScTypes.DateTime.UNSPECIFIED, null, VMAC, null, null, null)));
        lines = PropertyFormat.text("sc-direct-connect-connection-status",
                PropertyIdentifier.SC_DIRECT_CONNECT_CONNECTION_STATUS.code(), null, direct, "");
        assertTrue(lines.get(2).matches("    wss://10\\.0\\.0\\.5:4443/  connected  - +12:34:56:78:9a:bc +- "
                + "+2026-06-12 "
                + "12:00:01\\.50 +- +-"), lines.get(2));
    }

    @Test
    void hubConnectionStatusAndHealthOnOneLine() {
        ByteString primary = ScTypes.encode(new ScTypes.HubConnection(1, NOON, ScTypes.DateTime.UNSPECIFIED, null,
                null));
        assertEquals(List.of("sc-primary-hub-connection-status: connected, connected 2026-06-12 12:00:01.50, "
                + "disconnected -"), PropertyFormat.text("sc-primary-hub-connection-status",
                PropertyIdentifier.SC_PRIMARY_HUB_CONNECTION_STATUS.code(), null, primary, ""));
        ByteString failover = ScTypes.encode(new ScTypes.HubConnection(3, ScTypes.DateTime.UNSPECIFIED, NOON,
                new ScTypes.ErrorValue(7, 194), "refused"));
        assertTrue(PropertyFormat.text("x", PropertyIdentifier.SC_FAILOVER_HUB_CONNECTION_STATUS.code(), null,
                failover, "").get(0).endsWith("failed-to-connect, connected -, disconnected 2026-06-12 12:00:01.50, "
                + "error communication/tcp-connection-refused \"refused\""));
        ByteString health = ScTypes.encode(ScTypes.Health.healthy(NOON));
        assertEquals(List.of("current-health: healthy at 2026-06-12 12:00:01.50"), PropertyFormat.text(
                "current-health", PropertyIdentifier.CURRENT_HEALTH.code(), null, health, ""));
        assertEquals(true, PropertyFormat.json(PropertyIdentifier.CURRENT_HEALTH.code(), null, health)
                .get("healthy").asBoolean());
    }

    @Test
    void everythingElseAsTagTreeRendersItAndAsJsonValues() {
        ByteString one = Tags.application(new Value.Unsigned(1));
        assertEquals(List.of("sc-hub-connector-state: 1"), PropertyFormat.text("sc-hub-connector-state",
                PropertyIdentifier.SC_HUB_CONNECTOR_STATE.code(), null, one, ""));
        assertEquals(1, PropertyFormat.json(4194318, null, one).asInt());
        ByteString name = Tags.application(Value.CharacterString.utf8("SC port"));
        assertEquals("object-name: \"SC port\"", PropertyFormat.text("object-name", 77, null, name, "").get(0));
        assertEquals("SC port", PropertyFormat.json(77, null, name).asText());
        ByteString list = Tags.application(new Value.ObjectId(8, 100)).concat(Tags.application(
                new Value.ObjectId(56, 1)));
        assertEquals("object-list: {(8,100), (56,1)}", PropertyFormat.text("object-list", 76, null, list, "").get(0));
        JsonNode ids = PropertyFormat.json(76, null, list);
        assertEquals("device,100", ids.get(0).asText());
        assertEquals("network-port,1", ids.get(1).asText());
        assertEquals("12:34:56:78:9a:bc", PropertyFormat.vmac(VMAC));
        assertTrue(PropertyFormat.text("x", 1, null, ByteString.fromArray(new byte[] {0x3e}), "").get(0)
                .contains("does not decode"), "an opening tag alone is shown in hex with the reason");
    }
}
