package org.bacnetsc.device.object;

import java.util.Locale;
import java.util.Optional;

/**
 * The standard object types (BACnetObjectType, 0-64; 128-1023 are proprietary and have no constant here), with the
 * names the standard spells ({@code network-port}).
 */
public enum ObjectType {
    ANALOG_INPUT(0),
    ANALOG_OUTPUT(1),
    ANALOG_VALUE(2),
    BINARY_INPUT(3),
    BINARY_OUTPUT(4),
    BINARY_VALUE(5),
    CALENDAR(6),
    COMMAND(7),
    DEVICE(8),
    EVENT_ENROLLMENT(9),
    FILE(10),
    GROUP(11),
    LOOP(12),
    MULTI_STATE_INPUT(13),
    MULTI_STATE_OUTPUT(14),
    NOTIFICATION_CLASS(15),
    PROGRAM(16),
    SCHEDULE(17),
    AVERAGING(18),
    MULTI_STATE_VALUE(19),
    TREND_LOG(20),
    LIFE_SAFETY_POINT(21),
    LIFE_SAFETY_ZONE(22),
    ACCUMULATOR(23),
    PULSE_CONVERTER(24),
    EVENT_LOG(25),
    GLOBAL_GROUP(26),
    TREND_LOG_MULTIPLE(27),
    LOAD_CONTROL(28),
    STRUCTURED_VIEW(29),
    ACCESS_DOOR(30),
    TIMER(31),
    ACCESS_CREDENTIAL(32),
    ACCESS_POINT(33),
    ACCESS_RIGHTS(34),
    ACCESS_USER(35),
    ACCESS_ZONE(36),
    CREDENTIAL_DATA_INPUT(37),
    NETWORK_SECURITY(38),
    BITSTRING_VALUE(39),
    CHARACTERSTRING_VALUE(40),
    DATE_PATTERN_VALUE(41),
    DATE_VALUE(42),
    DATETIME_PATTERN_VALUE(43),
    DATETIME_VALUE(44),
    INTEGER_VALUE(45),
    LARGE_ANALOG_VALUE(46),
    OCTETSTRING_VALUE(47),
    POSITIVE_INTEGER_VALUE(48),
    TIME_PATTERN_VALUE(49),
    TIME_VALUE(50),
    NOTIFICATION_FORWARDER(51),
    ALERT_ENROLLMENT(52),
    CHANNEL(53),
    LIGHTING_OUTPUT(54),
    BINARY_LIGHTING_OUTPUT(55),
    NETWORK_PORT(56),
    ELEVATOR_GROUP(57),
    ESCALATOR(58),
    LIFT(59),
    STAGING(60),
    AUDIT_LOG(61),
    AUDIT_REPORTER(62),
    COLOR(63),
    COLOR_TEMPERATURE(64);

    private static final ObjectType[] BY_CODE = values();

    private final int code;

    ObjectType(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The name as the standard spells it: {@code network-port}. */
    public String standardName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type with this wire value, if it is a standard one. */
    public static Optional<ObjectType> of(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** The type named {@code name} ({@code network-port}, {@code NETWORK_PORT}, {@code networkPort}). */
    public static Optional<ObjectType> named(String name) {
        String key = Names.key(name);
        for (ObjectType t : BY_CODE) {
            if (Names.key(t.name()).equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The standard name of {@code code}, or {@code proprietary-N}. */
    public static String nameOf(int code) {
        return of(code).map(ObjectType::standardName).orElse((code >= 128 ? "proprietary-" : "type-") + code);
    }
}
