package org.bacnetsc.device.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * The constructed types of the Network Port's BACnet/SC properties (addendum 135-2020cc as the digest gives them):
 * BACnetDateTime, Error, BACnetHostNPort, BACnetSCHubConnection, BACnetSCHubFunctionConnection,
 * BACnetSCDirectConnection, BACnetSCFailedConnectionRequest, BACnetHealth. Each is a record with a context-tagged
 * encoding; decoding never throws (a {@link Tags.Bad} says why). The LIST-valued status properties are the elements
 * concatenated: {@link #encodeList} and {@link #decodeList} with the type's {@link Codec}.
 *
 * <p>The Error fields are written as the constructed Error (opening, class, code, closing). On input the decoders also
 * accept bacnet-stack's form, a context-tagged Enumerated error code alone (digest section 10), with the class
 * {@link ErrorValue#ofCode inferred from the code}.
 */
public final class ScTypes {

    private ScTypes() {
    }

    /**
     * BACnetDateTime: a Date and a Time; all 255 = unspecified.
     *
     * @param date the date
     * @param time the time
     */
    public record DateTime(Value.Date date, Value.Time time) {
        /** Unspecified (never happened). */
        public static final DateTime UNSPECIFIED = new DateTime(new Value.Date(255, 255, 255, 255),
                new Value.Time(255, 255, 255, 255));
    }

    /**
     * An Error: class and code (Enumerated).
     *
     * @param errorClass 1 OBJECT, 4 SECURITY, 7 COMMUNICATION, ...
     * @param errorCode  the Annex AB connection codes 143-204, 84 SUCCESS, ...
     */
    public record ErrorValue(long errorClass, long errorCode) {
        /** Error class OBJECT. */
        public static final long OBJECT = 1;
        /** Error class SECURITY. */
        public static final long SECURITY = 4;
        /** Error class COMMUNICATION. */
        public static final long COMMUNICATION = 7;
        /** OBJECT / SUCCESS (84): the result of a healthy BACnetHealth. */
        public static final ErrorValue SUCCESS = new ErrorValue(OBJECT, 84);

        /**
         * The Error for a code that came without its class (bacnet-stack's form of the Error field): SUCCESS (84) is
         * OBJECT, the certificate codes 200-204 are SECURITY, every other code COMMUNICATION (digest 5.3 [best]).
         */
        public static ErrorValue ofCode(long code) {
            if (code == 84) {
                return SUCCESS;
            }
            return new ErrorValue(code >= 200 && code <= 204 ? SECURITY : COMMUNICATION, code);
        }
    }

    /**
     * BACnetHostNPort: a host (none, an IP address of 4 or 16 octets, or a name) and a port.
     *
     * @param ip   the IP address, or null
     * @param name the host name, or null (neither: none)
     * @param port 0-65535
     */
    public record HostNPort(ByteString ip, String name, int port) {
        /** Checks the choice and the ranges. */
        public HostNPort {
            if (ip != null && name != null || ip != null && ip.size() != 4 && ip.size() != 16 || port < 0
                    || port > 0xFFFF) {
                throw new IllegalArgumentException("an IP address of 4 or 16 octets or a name, and a port 0-65535");
            }
        }
    }

    /**
     * BACnetSCHubConnection (SC_Primary/Failover_Hub_Connection_Status).
     *
     * @param state        0 not-connected, 1 connected, 2 disconnected-with-errors, 3 failed-to-connect
     * @param connected    when it connected
     * @param disconnected when it disconnected
     * @param error        the error (states 2 and 3 only), or null
     * @param details      the error's details (with an error only), or null
     */
    public record HubConnection(int state, DateTime connected, DateTime disconnected, ErrorValue error,
                                String details) {
    }

    /**
     * BACnetSCHubFunctionConnection (SC_Hub_Function_Connection_Status).
     *
     * @param state        the connection state
     * @param connected    when it connected
     * @param disconnected when it disconnected
     * @param peer         the peer's address
     * @param peerVmac     6 octets
     * @param peerUuid     16 octets
     * @param error        or null
     * @param details      or null
     */
    public record HubFunctionConnection(int state, DateTime connected, DateTime disconnected, HostNPort peer,
                                        ByteString peerVmac, ByteString peerUuid, ErrorValue error, String details) {
    }

    /**
     * BACnetSCFailedConnectionRequest (SC_Failed_Connection_Requests).
     *
     * @param timestamp when
     * @param peer      the peer's address
     * @param peerVmac  6 octets, or null
     * @param peerUuid  16 octets, or null
     * @param error     why (required)
     * @param details   or null
     */
    public record FailedConnectionRequest(DateTime timestamp, HostNPort peer, ByteString peerVmac,
                                          ByteString peerUuid, ErrorValue error, String details) {
    }

    /**
     * BACnetSCDirectConnection (an element of SC_Direct_Connect_Connection_Status).
     *
     * @param uri          the peer's URI
     * @param state        0 not-connected, 1 connected, 2 disconnected-with-errors, 3 failed-to-connect
     * @param connected    when it connected
     * @param disconnected when it disconnected
     * @param peer         the peer's address, or null
     * @param peerVmac     6 octets, or null
     * @param peerUuid     16 octets, or null
     * @param error        the error (states 2 and 3 only), or null
     * @param details      the error's details (with an error only), or null
     */
    public record DirectConnection(String uri, int state, DateTime connected, DateTime disconnected, HostNPort peer,
                                   ByteString peerVmac, ByteString peerUuid, ErrorValue error, String details) {
        /** Checks the required fields. */
        public DirectConnection {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(connected, "connected");
            Objects.requireNonNull(disconnected, "disconnected");
        }
    }

    /**
     * BACnetHealth (Current_Health, Command_Validation_Result).
     *
     * @param timestamp when
     * @param result    the outcome: {@link ErrorValue#SUCCESS} when healthy
     * @param property  the property identifier concerned, or null
     * @param details   or null
     */
    public record Health(DateTime timestamp, ErrorValue result, Long property, String details) {
        /** Checks the required fields. */
        public Health {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(result, "result");
        }

        /** Healthy at {@code at}: OBJECT / SUCCESS, no property, no details. */
        public static Health healthy(DateTime at) {
            return new Health(at, ErrorValue.SUCCESS, null, null);
        }

        /** Whether the result is SUCCESS (code 84, whatever the class). */
        public boolean isHealthy() {
            return result.errorCode() == ErrorValue.SUCCESS.errorCode();
        }
    }

    // ------------------------------------------------------------------------------------------------ encode

    /** Writes {@code v} as context tag {@code n} (opening, Date, Time, closing). */
    public static void writeDateTime(ByteStringBuilder b, int n, DateTime v) {
        Tags.writeOpening(b, n);
        Tags.writeApplication(b, v.date());
        Tags.writeApplication(b, v.time());
        Tags.writeClosing(b, n);
    }

    /** Writes {@code e} as context tag {@code n} (opening, class, code, closing). */
    public static void writeError(ByteStringBuilder b, int n, ErrorValue e) {
        Tags.writeOpening(b, n);
        Tags.writeApplication(b, new Value.Enumerated(e.errorClass()));
        Tags.writeApplication(b, new Value.Enumerated(e.errorCode()));
        Tags.writeClosing(b, n);
    }

    /** Writes {@code h} as context tag {@code n}. */
    public static void writeHostNPort(ByteStringBuilder b, int n, HostNPort h) {
        Tags.writeOpening(b, n);
        Tags.writeOpening(b, 0);
        if (h.ip() != null) {
            Tags.writeContext(b, 1, new Value.OctetString(h.ip()));
        } else if (h.name() != null) {
            Tags.writeContext(b, 2, Value.CharacterString.utf8(h.name()));
        } else {
            Tags.writeContext(b, 0, Value.Null.INSTANCE);
        }
        Tags.writeClosing(b, 0);
        Tags.writeContext(b, 1, new Value.Unsigned(h.port()));
        Tags.writeClosing(b, n);
    }

    /** The encoding of a BACnetSCHubConnection. */
    public static ByteString encode(HubConnection c) {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeContext(b, 0, new Value.Enumerated(c.state()));
        writeDateTime(b, 1, c.connected());
        writeDateTime(b, 2, c.disconnected());
        errorAndDetails(b, 3, c.error(), c.details());
        return b.result();
    }

    /** The encoding of a BACnetSCHubFunctionConnection. */
    public static ByteString encode(HubFunctionConnection c) {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeContext(b, 0, new Value.Enumerated(c.state()));
        writeDateTime(b, 1, c.connected());
        writeDateTime(b, 2, c.disconnected());
        writeHostNPort(b, 3, c.peer());
        Tags.writeContext(b, 4, new Value.OctetString(c.peerVmac()));
        Tags.writeContext(b, 5, new Value.OctetString(c.peerUuid()));
        errorAndDetails(b, 6, c.error(), c.details());
        return b.result();
    }

    /** The encoding of a BACnetSCFailedConnectionRequest. */
    public static ByteString encode(FailedConnectionRequest r) {
        ByteStringBuilder b = ByteString.newBuilder();
        writeDateTime(b, 0, r.timestamp());
        writeHostNPort(b, 1, r.peer());
        if (r.peerVmac() != null) {
            Tags.writeContext(b, 2, new Value.OctetString(r.peerVmac()));
        }
        if (r.peerUuid() != null) {
            Tags.writeContext(b, 3, new Value.OctetString(r.peerUuid()));
        }
        writeError(b, 4, r.error());
        if (r.details() != null) {
            Tags.writeContext(b, 5, Value.CharacterString.utf8(r.details()));
        }
        return b.result();
    }

    /** The encoding of a BACnetSCDirectConnection. */
    public static ByteString encode(DirectConnection c) {
        ByteStringBuilder b = ByteString.newBuilder();
        Tags.writeContext(b, 0, Value.CharacterString.utf8(c.uri()));
        Tags.writeContext(b, 1, new Value.Enumerated(c.state()));
        writeDateTime(b, 2, c.connected());
        writeDateTime(b, 3, c.disconnected());
        if (c.peer() != null) {
            writeHostNPort(b, 4, c.peer());
        }
        if (c.peerVmac() != null) {
            Tags.writeContext(b, 5, new Value.OctetString(c.peerVmac()));
        }
        if (c.peerUuid() != null) {
            Tags.writeContext(b, 6, new Value.OctetString(c.peerUuid()));
        }
        errorAndDetails(b, 7, c.error(), c.details());
        return b.result();
    }

    /** The encoding of a BACnetHealth. */
    public static ByteString encode(Health h) {
        ByteStringBuilder b = ByteString.newBuilder();
        writeDateTime(b, 0, h.timestamp());
        writeError(b, 1, h.result());
        if (h.property() != null) {
            Tags.writeContext(b, 2, new Value.Enumerated(h.property()));
        }
        if (h.details() != null) {
            Tags.writeContext(b, 3, Value.CharacterString.utf8(h.details()));
        }
        return b.result();
    }

    /** A LIST of {@code type}: the elements' encodings concatenated (empty for no elements). */
    public static <T> ByteString encodeList(Codec<T> type, List<? extends T> elements) {
        ByteStringBuilder b = ByteString.newBuilder();
        for (T e : elements) {
            b.append(type.encode(e));
        }
        return b.result();
    }

    private static void errorAndDetails(ByteStringBuilder b, int n, ErrorValue error, String details) {
        if (error != null) {
            writeError(b, n, error);
            if (details != null) {
                Tags.writeContext(b, n + 1, Value.CharacterString.utf8(details));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ decode

    /**
     * How one of these types is written and read: a codec for the elements of a LIST ({@link #encodeList},
     * {@link #decodeList}) or for a single value.
     *
     * @param <T> the type
     */
    public interface Codec<T> {
        /** The encoding of {@code value}. */
        ByteString encode(T value);

        /** Reads one value that starts at {@code at}; {@link Tags.Ok#next()} is where it ends. Never throws. */
        Tags.Read<T> read(ByteString b, int at);

        /** Reads one value that fills {@code b}. Never throws. */
        default Tags.Read<T> decode(ByteString b) {
            Tags.Read<T> r = read(b, 0);
            if (r instanceof Tags.Ok<T> ok && ok.next() != b.size()) {
                return new Tags.Bad<>((b.size() - ok.next()) + " octets after the value");
            }
            return r;
        }
    }

    private record Of<T>(Function<T, ByteString> encoder, Cursor.Body<T> body) implements Codec<T> {
        @Override
        public ByteString encode(T value) {
            return encoder.apply(value);
        }

        @Override
        public Tags.Read<T> read(ByteString b, int at) {
            return Cursor.read(b, at, body);
        }
    }

    /** BACnetSCHubConnection. */
    public static final Codec<HubConnection> HUB_CONNECTION = new Of<>(ScTypes::encode, ScTypes::hubConnection);
    /** BACnetSCHubFunctionConnection. */
    public static final Codec<HubFunctionConnection> HUB_FUNCTION_CONNECTION = new Of<>(ScTypes::encode,
            ScTypes::hubFunctionConnection);
    /** BACnetSCDirectConnection. */
    public static final Codec<DirectConnection> DIRECT_CONNECTION = new Of<>(ScTypes::encode,
            ScTypes::directConnection);
    /** BACnetSCFailedConnectionRequest. */
    public static final Codec<FailedConnectionRequest> FAILED_CONNECTION_REQUEST = new Of<>(ScTypes::encode,
            ScTypes::failedConnectionRequest);
    /** BACnetHealth. */
    public static final Codec<Health> HEALTH = new Of<>(ScTypes::encode, ScTypes::health);

    /** Reads a BACnetSCHubConnection that fills {@code b}. */
    public static Tags.Read<HubConnection> decodeHubConnection(ByteString b) {
        return HUB_CONNECTION.decode(b);
    }

    /** Reads a BACnetSCHubFunctionConnection that fills {@code b}. */
    public static Tags.Read<HubFunctionConnection> decodeHubFunctionConnection(ByteString b) {
        return HUB_FUNCTION_CONNECTION.decode(b);
    }

    /** Reads a BACnetSCDirectConnection that fills {@code b}. */
    public static Tags.Read<DirectConnection> decodeDirectConnection(ByteString b) {
        return DIRECT_CONNECTION.decode(b);
    }

    /** Reads a BACnetSCFailedConnectionRequest that fills {@code b}. */
    public static Tags.Read<FailedConnectionRequest> decodeFailedConnectionRequest(ByteString b) {
        return FAILED_CONNECTION_REQUEST.decode(b);
    }

    /** Reads a BACnetHealth that fills {@code b}. */
    public static Tags.Read<Health> decodeHealth(ByteString b) {
        return HEALTH.decode(b);
    }

    /**
     * Reads a LIST of {@code type} that fills {@code b}: elements one after the other until the data ends (none when
     * {@code b} is empty). A malformed element makes the whole list Bad, naming the element and its octet.
     */
    public static <T> Tags.Read<List<T>> decodeList(Codec<T> type, ByteString b) {
        List<T> out = new ArrayList<>();
        int at = 0;
        while (at < b.size()) {
            Tags.Read<T> r = type.read(b, at);
            if (r instanceof Tags.Bad<T> bad) {
                return new Tags.Bad<>("element " + out.size() + " at octet " + at + ": " + bad.why());
            }
            Tags.Ok<T> ok = (Tags.Ok<T>) r;
            if (ok.next() <= at) {
                return new Tags.Bad<>("element " + out.size() + " at octet " + at + " is empty");
            }
            out.add(ok.value());
            at = ok.next();
        }
        return new Tags.Ok<>(List.copyOf(out), at);
    }

    private static HubConnection hubConnection(Cursor c) {
        int state = (int) c.enumerated(0);
        DateTime connected = c.dateTime(1);
        DateTime disconnected = c.dateTime(2);
        ErrorValue error = c.at(3) ? c.error(3) : null;
        String details = error != null && c.at(4) ? c.string(4) : null;
        return new HubConnection(state, connected, disconnected, error, details);
    }

    private static HubFunctionConnection hubFunctionConnection(Cursor c) {
        int state = (int) c.enumerated(0);
        DateTime connected = c.dateTime(1);
        DateTime disconnected = c.dateTime(2);
        HostNPort peer = c.hostNPort(3);
        ByteString vmac = c.octets(4);
        ByteString uuid = c.octets(5);
        ErrorValue error = c.at(6) ? c.error(6) : null;
        String details = error != null && c.at(7) ? c.string(7) : null;
        return new HubFunctionConnection(state, connected, disconnected, peer, vmac, uuid, error, details);
    }

    private static DirectConnection directConnection(Cursor c) {
        String uri = c.string(0);
        int state = (int) c.enumerated(1);
        DateTime connected = c.dateTime(2);
        DateTime disconnected = c.dateTime(3);
        HostNPort peer = c.at(4) ? c.hostNPort(4) : null;
        ByteString vmac = c.at(5) ? c.octets(5) : null;
        ByteString uuid = c.at(6) ? c.octets(6) : null;
        ErrorValue error = c.at(7) ? c.error(7) : null;
        String details = error != null && c.at(8) ? c.string(8) : null;
        return new DirectConnection(uri, state, connected, disconnected, peer, vmac, uuid, error, details);
    }

    private static FailedConnectionRequest failedConnectionRequest(Cursor c) {
        DateTime ts = c.dateTime(0);
        HostNPort peer = c.hostNPort(1);
        ByteString vmac = c.at(2) ? c.octets(2) : null;
        ByteString uuid = c.at(3) ? c.octets(3) : null;
        ErrorValue error = c.error(4);
        String details = c.at(5) ? c.string(5) : null;
        return new FailedConnectionRequest(ts, peer, vmac, uuid, error, details);
    }

    private static Health health(Cursor c) {
        DateTime ts = c.dateTime(0);
        ErrorValue result = c.error(1);
        Long property = c.at(2) ? c.enumerated(2) : null;
        String details = c.at(3) ? c.string(3) : null;
        return new Health(ts, result, property, details);
    }

    /** Reads tags in order; a malformed or unexpected one ends the read with its reason. */
    private static final class Cursor {
        private final ByteString b;
        private int at;

        private Cursor(ByteString b, int at) {
            this.b = b;
            this.at = at;
        }

        /** Thrown inside a read only, turned into a {@link Tags.Bad} by {@link #run}. */
        private static final class Stop extends RuntimeException {
            Stop(String why) {
                super(why, null, false, false);
            }
        }

        interface Body<T> {
            T read(Cursor c);
        }

        /** Reads one value from {@code from}; Ok's next is where it ends. */
        static <T> Tags.Read<T> read(ByteString b, int from, Body<T> body) {
            if (from < 0 || from > b.size()) {
                return new Tags.Bad<>("offset " + from + " outside the " + b.size() + " octets");
            }
            Cursor c = new Cursor(b, from);
            try {
                T v = body.read(c);
                return new Tags.Ok<>(v, c.at);
            } catch (Stop | IllegalArgumentException e) {
                return new Tags.Bad<>(e.getMessage());
            }
        }

        private Tags.Header header() {
            Tags.Read<Tags.Header> h = Tags.readHeader(b, at);
            if (h instanceof Tags.Bad<Tags.Header> bad) {
                throw new Stop(bad.why());
            }
            return ((Tags.Ok<Tags.Header>) h).value();
        }

        /** Whether the next tag is context tag {@code n} (a primitive or an opening). */
        boolean at(int n) {
            if (at >= b.size()) {
                return false;
            }
            Tags.Header h = header();
            return h.context() && h.number() == n && h.kind() != Tags.Kind.CLOSING;
        }

        private Value primitive(int n, int type) {
            Tags.Header h = header();
            if (!h.context() || h.number() != n || h.kind() != Tags.Kind.PRIMITIVE) {
                throw new Stop("context tag [" + n + "] expected at octet " + at);
            }
            Tags.Read<Value> v = Tags.readContent(b, type, h, (int) (h.content() + h.length()));
            if (v instanceof Tags.Bad<Value> bad) {
                throw new Stop("[" + n + "]: " + bad.why());
            }
            at = ((Tags.Ok<Value>) v).next();
            return ((Tags.Ok<Value>) v).value();
        }

        private Value application(Class<? extends Value> type) {
            Tags.Read<Value> v = Tags.readApplication(b, at);
            if (v instanceof Tags.Bad<Value> bad) {
                throw new Stop(bad.why());
            }
            Value value = ((Tags.Ok<Value>) v).value();
            if (!type.isInstance(value)) {
                throw new Stop(type.getSimpleName() + " expected at octet " + at + ", got " + value);
            }
            at = ((Tags.Ok<Value>) v).next();
            return value;
        }

        private void open(int n) {
            Tags.Header h = header();
            if (!h.context() || h.number() != n || h.kind() != Tags.Kind.OPENING) {
                throw new Stop("opening tag [" + n + "] expected at octet " + at);
            }
            at = h.content();
        }

        private void close(int n) {
            Tags.Header h = header();
            if (!h.context() || h.number() != n || h.kind() != Tags.Kind.CLOSING) {
                throw new Stop("closing tag [" + n + "] expected at octet " + at);
            }
            at = h.content();
        }

        long enumerated(int n) {
            return ((Value.Enumerated) primitive(n, 9)).value();
        }

        ByteString octets(int n) {
            return ((Value.OctetString) primitive(n, 6)).value();
        }

        String string(int n) {
            Value.CharacterString s = (Value.CharacterString) primitive(n, 7);
            Optional<String> text = s.text();
            if (text.isEmpty()) {
                throw new Stop("[" + n + "]: character set " + s.charset() + " is not read");
            }
            return text.get();
        }

        DateTime dateTime(int n) {
            open(n);
            Value.Date d = (Value.Date) application(Value.Date.class);
            Value.Time t = (Value.Time) application(Value.Time.class);
            close(n);
            return new DateTime(d, t);
        }

        /** The constructed Error, or (bacnet-stack) a context-tagged Enumerated code alone. */
        ErrorValue error(int n) {
            Tags.Header h = header();
            if (h.context() && h.number() == n && h.kind() == Tags.Kind.PRIMITIVE) {
                return ErrorValue.ofCode(enumerated(n));
            }
            open(n);
            long cls = ((Value.Enumerated) application(Value.Enumerated.class)).value();
            long code = ((Value.Enumerated) application(Value.Enumerated.class)).value();
            close(n);
            return new ErrorValue(cls, code);
        }

        HostNPort hostNPort(int n) {
            open(n);
            open(0);
            ByteString ip = null;
            String name = null;
            if (at(1)) {
                ip = octets(1);
            } else if (at(2)) {
                name = string(2);
            } else {
                primitive(0, 0);
            }
            close(0);
            long port = ((Value.Unsigned) primitive(1, 2)).value();
            if (port > 0xFFFF) {
                throw new Stop("port " + port + " above 65535");
            }
            close(n);
            return new HostNPort(ip, name, (int) port);
        }
    }
}
