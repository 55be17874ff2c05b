package org.bacnetsc.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.codec.Vmac;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.TagTree;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.PropertyIdentifier;

/**
 * How the tools print a property's value: the Network Port's SC status lists (SC_Hub_Function_Connection_Status,
 * SC_Direct_Connect_Connection_Status, SC_Failed_Connection_Requests) as tables, one row per entry; the hub
 * connection statuses, Current_Health and Command_Validation_Result (BACnetHealth) decoded on one line; everything
 * else as {@link TagTree#render} prints it. And the same as JSON, for machines.
 */
public final class PropertyFormat {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long HUB_FUNCTION = PropertyIdentifier.SC_HUB_FUNCTION_CONNECTION_STATUS.code();
    private static final long DIRECT = PropertyIdentifier.SC_DIRECT_CONNECT_CONNECTION_STATUS.code();
    private static final long FAILED = PropertyIdentifier.SC_FAILED_CONNECTION_REQUESTS.code();
    private static final long PRIMARY = PropertyIdentifier.SC_PRIMARY_HUB_CONNECTION_STATUS.code();
    private static final long FAILOVER = PropertyIdentifier.SC_FAILOVER_HUB_CONNECTION_STATUS.code();
    private static final long HEALTH = PropertyIdentifier.CURRENT_HEALTH.code();
    private static final long VALIDATION = PropertyIdentifier.COMMAND_VALIDATION_RESULT.code();

    private PropertyFormat() {
    }

    // ------------------------------------------------------------------------------------------------ text

    /**
     * The lines that show one property: {@code label: value}; for an SC status list {@code label: N entries} and a
     * table below it, its rows indented by {@code indent} more than the label's line.
     *
     * @param label    the property's name as shown ({@code object-list[3]})
     * @param property the property identifier
     * @param index    the array index read, or null (an element is shown as a generic value)
     * @param value    the value's encoding as the ACK carried it
     * @param indent   what goes before each line
     */
    public static List<String> text(String label, long property, Long index, ByteString value, String indent) {
        List<String> out = new ArrayList<>();
        if (index == null && property == HUB_FUNCTION) {
            if (list(out, label, indent, ScTypes.HUB_FUNCTION_CONNECTION, value,
                    List.of("STATE", "PEER", "VMAC", "UUID", "CONNECTED", "DISCONNECTED", "ERROR"),
                    c -> List.of(BacnetNames.connectionState(c.state()), peer(c.peer()), vmac(c.peerVmac()),
                            uuid(c.peerUuid()), dateTime(c.connected()), dateTime(c.disconnected()),
                            error(c.error(), c.details())))) {
                return out;
            }
        } else if (index == null && property == DIRECT) {
            if (list(out, label, indent, ScTypes.DIRECT_CONNECTION, value,
                    List.of("URI", "STATE", "PEER", "VMAC", "UUID", "CONNECTED", "DISCONNECTED", "ERROR"),
                    c -> List.of(c.uri().isEmpty() ? "-" : c.uri(), BacnetNames.connectionState(c.state()),
                            peer(c.peer()), vmac(c.peerVmac()), uuid(c.peerUuid()), dateTime(c.connected()),
                            dateTime(c.disconnected()), error(c.error(), c.details())))) {
                return out;
            }
        } else if (index == null && property == FAILED) {
            if (list(out, label, indent, ScTypes.FAILED_CONNECTION_REQUEST, value,
                    List.of("TIME", "PEER", "VMAC", "UUID", "ERROR"),
                    r -> List.of(dateTime(r.timestamp()), peer(r.peer()), vmac(r.peerVmac()), uuid(r.peerUuid()),
                            error(r.error(), r.details())))) {
                return out;
            }
        } else if (index == null && (property == PRIMARY || property == FAILOVER)) {
            if (ScTypes.decodeHubConnection(value) instanceof Tags.Ok<ScTypes.HubConnection> ok) {
                ScTypes.HubConnection c = ok.value();
                out.add(indent + label + ": " + BacnetNames.connectionState(c.state()) + ", connected "
                        + dateTime(c.connected()) + ", disconnected " + dateTime(c.disconnected())
                        + (c.error() == null ? "" : ", error " + error(c.error(), c.details())));
                return out;
            }
        } else if (index == null && (property == HEALTH || property == VALIDATION)) {
            if (ScTypes.decodeHealth(value) instanceof Tags.Ok<ScTypes.Health> ok) {
                ScTypes.Health h = ok.value();
                out.add(indent + label + ": " + (h.isHealthy() ? "healthy" : error(h.result(), null)) + " at "
                        + dateTime(h.timestamp())
                        + (h.property() == null ? "" : ", property " + BacnetNames.property(h.property()))
                        + (h.details() == null ? "" : ", \"" + h.details() + "\""));
                return out;
            }
        }
        out.add(indent + label + ": " + generic(value));
        return out;
    }

    /** A value of any type, as {@link TagTree#render} prints it (hex when it does not decode). */
    public static String generic(ByteString value) {
        Tags.Read<List<TagTree.Node>> r = TagTree.decode(value);
        if (r instanceof Tags.Ok<List<TagTree.Node>> ok) {
            return TagTree.render(ok.value());
        }
        return hex(value) + " (does not decode: " + ((Tags.Bad<List<TagTree.Node>>) r).why() + ")";
    }

    private static <T> boolean list(List<String> out, String label, String indent, ScTypes.Codec<T> type,
                                    ByteString value, List<String> header, Function<T, List<String>> row) {
        if (!(ScTypes.decodeList(type, value) instanceof Tags.Ok<List<T>> ok)) {
            return false;
        }
        List<T> entries = ok.value();
        out.add(indent + label + ": " + (entries.isEmpty() ? "none" : entries.size()
                + (entries.size() == 1 ? " entry" : " entries")));
        if (entries.isEmpty()) {
            return true;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        entries.forEach(e -> rows.add(row.apply(e)));
        out.addAll(table(rows, indent + "    "));
        return true;
    }

    /** Rows as columns padded to their widest cell, two spaces apart. */
    static List<String> table(List<List<String>> rows, String indent) {
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<String> r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        List<String> out = new ArrayList<>();
        for (List<String> r : rows) {
            StringBuilder b = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                b.append(r.get(i));
                if (i < columns - 1) {
                    b.append(" ".repeat(width[i] - r.get(i).length() + 2));
                }
            }
            out.add(b.toString());
        }
        return out;
    }

    /** {@code 2026-06-12 08:00:00.00}, or {@code -} when unspecified. */
    public static String dateTime(ScTypes.DateTime t) {
        if (t == null || t.equals(ScTypes.DateTime.UNSPECIFIED)) {
            return "-";
        }
        return TagTree.render(List.of(new TagTree.App(t.date()))) + " "
                + TagTree.render(List.of(new TagTree.App(t.time())));
    }

    /** {@code 127.0.0.1:47808}, {@code [::1]:443}, {@code hub.example:443}, or {@code -}. */
    public static String peer(ScTypes.HostNPort h) {
        if (h == null || h.ip() == null && h.name() == null) {
            return "-";
        }
        String port = h.port() == 0 ? "" : ":" + h.port();
        if (h.name() != null) {
            return h.name() + port;
        }
        try {
            InetAddress a = InetAddress.getByAddress(h.ip().toArray());
            return (h.ip().size() == 16 ? "[" + a.getHostAddress() + "]" : a.getHostAddress()) + port;
        } catch (UnknownHostException e) {
            return hex(h.ip()) + port;
        }
    }

    /** 6 octets as {@code aa:bb:cc:dd:ee:ff}; others in hex; {@code -} for none. */
    public static String vmac(ByteString b) {
        if (b == null) {
            return "-";
        }
        return b.size() == Vmac.LENGTH ? Vmac.of(b.toArray()).toString() : hex(b);
    }

    /** 16 octets as {@code 8-4-4-4-12}; others in hex; {@code -} for none. */
    public static String uuid(ByteString b) {
        if (b == null) {
            return "-";
        }
        if (b.size() != 16) {
            return hex(b);
        }
        ByteBuffer bb = ByteBuffer.wrap(b.toArray());
        return new UUID(bb.getLong(), bb.getLong()).toString();
    }

    /** {@code communication/tcp-error "details"}, or {@code -}. */
    public static String error(ScTypes.ErrorValue e, String details) {
        if (e == null) {
            return "-";
        }
        return BacnetNames.error(e.errorClass(), e.errorCode()) + (details == null ? "" : " \"" + details + "\"");
    }

    private static String hex(ByteString b) {
        return b.isEmpty() ? "X''" : "X'" + Hex.format(b).toUpperCase(java.util.Locale.ROOT)
                + "'";
    }

    // ------------------------------------------------------------------------------------------------ JSON

    /**
     * The value as JSON: an SC status list as an array of objects, a hub connection status and a BACnetHealth as an
     * object; otherwise one value as a JSON scalar (numbers, booleans, strings; an object identifier as
     * {@code "network-port,1"}, octets in hex, a bit string as {@code "0100"}, dates and times as text), several as
     * an array, context-tagged data as {@code {"tag": n, "value": ...}}.
     */
    public static JsonNode json(long property, Long index, ByteString value) {
        if (index == null && property == HUB_FUNCTION
                && ScTypes.decodeList(ScTypes.HUB_FUNCTION_CONNECTION, value)
                instanceof Tags.Ok<List<ScTypes.HubFunctionConnection>> ok) {
            ArrayNode a = JSON.arrayNode();
            for (ScTypes.HubFunctionConnection c : ok.value()) {
                ObjectNode o = state(a.addObject(), c.state());
                o.put("connected", dateTimeJson(c.connected())).put("disconnected", dateTimeJson(c.disconnected()))
                        .put("peer", peerJson(c.peer())).put("vmac", vmac(c.peerVmac())).put("uuid",
                                uuid(c.peerUuid()));
                errorJson(o, c.error(), c.details());
            }
            return a;
        }
        if (index == null && property == DIRECT && ScTypes.decodeList(ScTypes.DIRECT_CONNECTION, value)
                instanceof Tags.Ok<List<ScTypes.DirectConnection>> ok) {
            ArrayNode a = JSON.arrayNode();
            for (ScTypes.DirectConnection c : ok.value()) {
                ObjectNode o = a.addObject().put("uri", c.uri());
                state(o, c.state());
                o.put("connected", dateTimeJson(c.connected())).put("disconnected", dateTimeJson(c.disconnected()))
                        .put("peer", peerJson(c.peer())).put("vmac", c.peerVmac() == null ? null : vmac(c.peerVmac()))
                        .put("uuid", c.peerUuid() == null ? null : uuid(c.peerUuid()));
                errorJson(o, c.error(), c.details());
            }
            return a;
        }
        if (index == null && property == FAILED && ScTypes.decodeList(ScTypes.FAILED_CONNECTION_REQUEST, value)
                instanceof Tags.Ok<List<ScTypes.FailedConnectionRequest>> ok) {
            ArrayNode a = JSON.arrayNode();
            for (ScTypes.FailedConnectionRequest r : ok.value()) {
                ObjectNode o = a.addObject().put("time", dateTimeJson(r.timestamp())).put("peer", peerJson(r.peer()))
                        .put("vmac", r.peerVmac() == null ? null : vmac(r.peerVmac()))
                        .put("uuid", r.peerUuid() == null ? null : uuid(r.peerUuid()));
                errorJson(o, r.error(), r.details());
            }
            return a;
        }
        if (index == null && (property == PRIMARY || property == FAILOVER)
                && ScTypes.decodeHubConnection(value) instanceof Tags.Ok<ScTypes.HubConnection> ok) {
            ScTypes.HubConnection c = ok.value();
            ObjectNode o = state(JSON.objectNode(), c.state());
            o.put("connected", dateTimeJson(c.connected())).put("disconnected", dateTimeJson(c.disconnected()));
            errorJson(o, c.error(), c.details());
            return o;
        }
        if (index == null && (property == HEALTH || property == VALIDATION)
                && ScTypes.decodeHealth(value) instanceof Tags.Ok<ScTypes.Health> ok) {
            ScTypes.Health h = ok.value();
            ObjectNode o = JSON.objectNode().put("time", dateTimeJson(h.timestamp())).put("healthy", h.isHealthy())
                    .put("result", BacnetNames.error(h.result().errorClass(), h.result().errorCode()));
            o.put("property", h.property() == null ? null : BacnetNames.property(h.property()));
            o.put("details", h.details());
            return o;
        }
        Tags.Read<List<TagTree.Node>> r = TagTree.decode(value);
        if (!(r instanceof Tags.Ok<List<TagTree.Node>> ok)) {
            return JSON.objectNode().put("undecodable", Hex.format(value))
                    .put("why", ((Tags.Bad<List<TagTree.Node>>) r).why());
        }
        return ok.value().size() == 1 ? node(ok.value().get(0)) : nodes(ok.value());
    }

    private static ObjectNode state(ObjectNode o, int state) {
        return o.put("state", state).put("stateName", BacnetNames.connectionState(state));
    }

    private static void errorJson(ObjectNode o, ScTypes.ErrorValue e, String details) {
        o.put("error", e == null ? null : BacnetNames.error(e.errorClass(), e.errorCode()));
        o.put("errorDetails", details);
    }

    private static String dateTimeJson(ScTypes.DateTime t) {
        String s = dateTime(t);
        return s.equals("-") ? null : s;
    }

    private static String peerJson(ScTypes.HostNPort h) {
        String s = peer(h);
        return s.equals("-") ? null : s;
    }

    private static ArrayNode nodes(List<TagTree.Node> nodes) {
        ArrayNode a = JSON.arrayNode();
        nodes.forEach(n -> a.add(node(n)));
        return a;
    }

    private static JsonNode node(TagTree.Node n) {
        if (n instanceof TagTree.App app) {
            return value(app.value());
        }
        if (n instanceof TagTree.Context c) {
            return JSON.objectNode().put("tag", c.tag()).put("raw", Hex.format(c.content()));
        }
        TagTree.Constructed g = (TagTree.Constructed) n;
        ObjectNode o = JSON.objectNode().put("tag", g.tag());
        o.set("value", nodes(g.children()));
        return o;
    }

    private static JsonNode value(Value v) {
        if (v instanceof Value.Null) {
            return JSON.nullNode();
        } else if (v instanceof Value.Bool b) {
            return JSON.booleanNode(b.value());
        } else if (v instanceof Value.Unsigned u) {
            return u.value() >= 0 ? JSON.numberNode(u.value())
                    : JSON.numberNode(new BigInteger(Long.toUnsignedString(u.value())));
        } else if (v instanceof Value.Signed s) {
            return JSON.numberNode(s.value());
        } else if (v instanceof Value.Enumerated e) {
            return e.value() >= 0 ? JSON.numberNode(e.value())
                    : JSON.numberNode(new BigInteger(Long.toUnsignedString(e.value())));
        } else if (v instanceof Value.Real r) {
            return Float.isFinite(r.value()) ? JSON.numberNode(r.value()) : JSON.textNode(String.valueOf(r.value()));
        } else if (v instanceof Value.DoubleValue d) {
            return Double.isFinite(d.value()) ? JSON.numberNode(d.value()) : JSON.textNode(String.valueOf(d.value()));
        } else if (v instanceof Value.OctetString o) {
            return JSON.textNode(Hex.format(o.value()));
        } else if (v instanceof Value.CharacterString c) {
            return c.text().<JsonNode>map(JSON::textNode).orElseGet(() -> JSON.textNode(TagTree.render(
                    List.of(new TagTree.App(c)))));
        } else if (v instanceof Value.BitString bits) {
            StringBuilder s = new StringBuilder();
            bits.bits().forEach(b -> s.append(b ? '1' : '0'));
            return JSON.textNode(s.toString());
        } else if (v instanceof Value.ObjectId id) {
            return JSON.textNode(BacnetNames.object(id));
        }
        return JSON.textNode(TagTree.render(List.of(new TagTree.App(v))));
    }
}
