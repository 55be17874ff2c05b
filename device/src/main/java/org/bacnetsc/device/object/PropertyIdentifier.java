package org.bacnetsc.device.object;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The property identifiers this device layer serves or a tool commonly asks for, with the names the standard spells
 * ({@code sc-hub-connector-state}). Other numbers are legal on the wire; they have no constant here. The SC ids
 * 4194304-4194327 and 507-511 are addendum 135-2020cc's (digest 5.2).
 */
public enum PropertyIdentifier {
    ACKED_TRANSITIONS(0),
    ACTIVE_TEXT(4),
    ALL(8),
    APDU_SEGMENT_TIMEOUT(10),
    APDU_TIMEOUT(11),
    APPLICATION_SOFTWARE_VERSION(12),
    ARCHIVE(13),
    DESCRIPTION(28),
    DEVICE_ADDRESS_BINDING(30),
    EVENT_STATE(36),
    FILE_ACCESS_METHOD(41),
    FILE_SIZE(42),
    FILE_TYPE(43),
    FIRMWARE_REVISION(44),
    INACTIVE_TEXT(46),
    LOCAL_DATE(56),
    LOCAL_TIME(57),
    LOCATION(58),
    MAX_APDU_LENGTH_ACCEPTED(62),
    MODEL_NAME(70),
    MODIFICATION_DATE(71),
    NUMBER_OF_APDU_RETRIES(73),
    OBJECT_IDENTIFIER(75),
    OBJECT_LIST(76),
    OBJECT_NAME(77),
    OBJECT_TYPE(79),
    OPTIONAL(80),
    OUT_OF_SERVICE(81),
    PRESENT_VALUE(85),
    PRIORITY_ARRAY(87),
    PROTOCOL_OBJECT_TYPES_SUPPORTED(96),
    PROTOCOL_SERVICES_SUPPORTED(97),
    PROTOCOL_VERSION(98),
    READ_ONLY(99),
    RELIABILITY(103),
    RELINQUISH_DEFAULT(104),
    REQUIRED(105),
    SEGMENTATION_SUPPORTED(107),
    STATUS_FLAGS(111),
    SYSTEM_STATUS(112),
    UNITS(117),
    VENDOR_IDENTIFIER(120),
    VENDOR_NAME(121),
    PROTOCOL_REVISION(139),
    DATABASE_REVISION(155),
    MAX_SEGMENTS_ACCEPTED(167),
    PROPERTY_LIST(371),
    SERIAL_NUMBER(372),
    APDU_LENGTH(399),
    IP_ADDRESS(400),
    IP_DEFAULT_GATEWAY(401),
    IP_DHCP_ENABLE(402),
    IP_DNS_SERVER(406),
    BACNET_IP_MODE(408),
    IP_SUBNET_MASK(411),
    BACNET_IP_UDP_PORT(412),
    BBMD_ACCEPT_FD_REGISTRATIONS(413),
    BBMD_BROADCAST_DISTRIBUTION_TABLE(414),
    BBMD_FOREIGN_DEVICE_TABLE(415),
    CHANGES_PENDING(416),
    COMMAND(417),
    FD_BBMD_ADDRESS(418),
    FD_SUBSCRIPTION_LIFETIME(419),
    LINK_SPEED(420),
    MAC_ADDRESS(423),
    NETWORK_NUMBER(425),
    NETWORK_NUMBER_QUALITY(426),
    NETWORK_TYPE(427),
    ROUTING_TABLE(428),
    PROTOCOL_LEVEL(482),
    REFERENCE_PORT(483),
    DEVICE_UUID(507),
    CERTIFICATE_SIGNING_REQUEST_FILE(509),
    COMMAND_VALIDATION_RESULT(510),
    ISSUER_CERTIFICATE_FILES(511),
    MAX_BVLC_LENGTH_ACCEPTED(4194304),
    MAX_NPDU_LENGTH_ACCEPTED(4194305),
    OPERATIONAL_CERTIFICATE_FILE(4194306),
    CURRENT_HEALTH(4194307),
    SC_CONNECT_WAIT_TIMEOUT(4194308),
    SC_DIRECT_CONNECT_ACCEPT_ENABLE(4194309),
    SC_DIRECT_CONNECT_ACCEPT_URIS(4194310),
    SC_DIRECT_CONNECT_BINDING(4194311),
    SC_DIRECT_CONNECT_CONNECTION_STATUS(4194312),
    SC_DIRECT_CONNECT_INITIATE_ENABLE(4194313),
    SC_DISCONNECT_WAIT_TIMEOUT(4194314),
    SC_FAILED_CONNECTION_REQUESTS(4194315),
    SC_FAILOVER_HUB_CONNECTION_STATUS(4194316),
    SC_FAILOVER_HUB_URI(4194317),
    SC_HUB_CONNECTOR_STATE(4194318),
    SC_HUB_FUNCTION_ACCEPT_URIS(4194319),
    SC_HUB_FUNCTION_BINDING(4194320),
    SC_HUB_FUNCTION_CONNECTION_STATUS(4194321),
    SC_HUB_FUNCTION_ENABLE(4194322),
    SC_HEARTBEAT_TIMEOUT(4194323),
    SC_PRIMARY_HUB_CONNECTION_STATUS(4194324),
    SC_PRIMARY_HUB_URI(4194325),
    SC_MAXIMUM_RECONNECT_TIME(4194326),
    SC_MINIMUM_RECONNECT_TIME(4194327);

    private static final Map<Long, PropertyIdentifier> BY_CODE = new HashMap<>();
    private static final Map<String, PropertyIdentifier> BY_NAME = new HashMap<>();

    static {
        for (PropertyIdentifier p : values()) {
            BY_CODE.put(p.code, p);
            BY_NAME.put(Names.key(p.name()), p);
        }
    }

    private final long code;

    PropertyIdentifier(long code) {
        this.code = code;
    }

    /** The wire value. */
    public long code() {
        return code;
    }

    /** The name as the standard spells it: {@code sc-hub-connector-state}. */
    public String standardName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The property with this wire value, if it has a constant here. */
    public static Optional<PropertyIdentifier> of(long code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** The property named {@code name} (any of {@code sc-hub-connector-state}, {@code SC_HUB_CONNECTOR_STATE}). */
    public static Optional<PropertyIdentifier> named(String name) {
        return Optional.ofNullable(BY_NAME.get(Names.key(name)));
    }

    /** The standard name of {@code code}, or {@code property-N}. */
    public static String nameOf(long code) {
        return of(code).map(PropertyIdentifier::standardName).orElse("property-" + code);
    }
}
