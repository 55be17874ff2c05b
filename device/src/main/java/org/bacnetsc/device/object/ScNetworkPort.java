package org.bacnetsc.device.object;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Value;

/**
 * The Network Port object (Clause 12.56, object type 56) of a BACnet/SC port with every property of digest 5.1 and
 * 5.2: the configured part from {@link ScPortConfig}, the live part from an {@link ScPortState} refreshed before each
 * request that reads the port.
 */
public final class ScNetworkPort {

    /** Network_Type secure-connect (PR 24). */
    public static final int NETWORK_TYPE_SECURE_CONNECT = 11;
    /** Protocol_Level bacnet-application. */
    public static final int PROTOCOL_LEVEL_BACNET_APPLICATION = 2;

    private ScNetworkPort() {
    }

    /**
     * The port's object.
     *
     * @param config  what is configured
     * @param state   the live values as of the last refresh
     * @param refresh brings {@code state} up to date
     */
    public static BacnetObject create(ScPortConfig config, Supplier<ScPortState> state,
                                      Supplier<CompletionStage<?>> refresh) {
        Instant started = Instant.now();
        ScTypes.Health healthyAtStart = new ScTypes.Health(BacnetTime.of(started),
                new ScTypes.ErrorValue(ErrorCodes.OBJECT, ErrorCodes.SUCCESS), null, null);
        return BacnetObject.builder(ObjectType.NETWORK_PORT.code(), config.instance(), config::name)
                .refresh(refresh)
                .required(PropertyIdentifier.STATUS_FLAGS, PropertyValue.of(DeviceObject.bits(4)))
                .required(PropertyIdentifier.RELIABILITY, PropertyValue.enumerated(0))
                .required(PropertyIdentifier.OUT_OF_SERVICE, PropertyValue.bool(false))
                .required(PropertyIdentifier.NETWORK_TYPE, PropertyValue.enumerated(NETWORK_TYPE_SECURE_CONNECT))
                .required(PropertyIdentifier.PROTOCOL_LEVEL,
                        PropertyValue.enumerated(PROTOCOL_LEVEL_BACNET_APPLICATION))
                // optional since PR 24 in bacnet-stack, required before: present on a BACnet-application port [best]
                .required(PropertyIdentifier.NETWORK_NUMBER, PropertyValue.unsigned(config.networkNumber()))
                .required(PropertyIdentifier.NETWORK_NUMBER_QUALITY,
                        PropertyValue.enumerated(config.networkNumber() == 0 ? 0 : 3))
                .required(PropertyIdentifier.CHANGES_PENDING, PropertyValue.bool(false))
                .optional(PropertyIdentifier.COMMAND, PropertyValue.enumerated(0))
                .required(PropertyIdentifier.MAC_ADDRESS, () -> PropertyValue.of(new Value.OctetString(
                        state.get().vmac())))
                .required(PropertyIdentifier.APDU_LENGTH, PropertyValue.unsigned(DeviceObject.MAX_APDU))
                // no meaning on SC: 0 [best] (digest 5.1)
                .required(PropertyIdentifier.LINK_SPEED, PropertyValue.of(new Value.Real(0f)))
                .required(PropertyIdentifier.MAX_BVLC_LENGTH_ACCEPTED, PropertyValue.unsigned(config.maxBvlcLength()))
                .required(PropertyIdentifier.MAX_NPDU_LENGTH_ACCEPTED, PropertyValue.unsigned(config.maxNpduLength()))
                .required(PropertyIdentifier.OPERATIONAL_CERTIFICATE_FILE,
                        PropertyValue.of(file(config.operationalCertificateFile())))
                .required(PropertyIdentifier.ISSUER_CERTIFICATE_FILES, PropertyValue.array(
                        config.issuerCertificateFiles().stream().map(ScNetworkPort::file).toList()))
                .required(PropertyIdentifier.CERTIFICATE_SIGNING_REQUEST_FILE,
                        PropertyValue.of(file(config.csrFile())))
                .required(PropertyIdentifier.CURRENT_HEALTH, () -> PropertyValue.encoded(
                        ScTypes.encode(state.get().health())))
                .optional(PropertyIdentifier.COMMAND_VALIDATION_RESULT,
                        PropertyValue.encoded(ScTypes.encode(healthyAtStart)))
                .required(PropertyIdentifier.SC_PRIMARY_HUB_URI, PropertyValue.of(config.primaryHubUri()))
                .required(PropertyIdentifier.SC_FAILOVER_HUB_URI, PropertyValue.of(config.failoverHubUri()))
                .required(PropertyIdentifier.SC_MINIMUM_RECONNECT_TIME,
                        PropertyValue.unsigned(config.minReconnectSeconds()))
                .required(PropertyIdentifier.SC_MAXIMUM_RECONNECT_TIME,
                        PropertyValue.unsigned(config.maxReconnectSeconds()))
                .required(PropertyIdentifier.SC_CONNECT_WAIT_TIMEOUT,
                        PropertyValue.unsigned(config.connectWaitSeconds()))
                .required(PropertyIdentifier.SC_DISCONNECT_WAIT_TIMEOUT,
                        PropertyValue.unsigned(config.disconnectWaitSeconds()))
                .required(PropertyIdentifier.SC_HEARTBEAT_TIMEOUT, PropertyValue.unsigned(config.heartbeatSeconds()))
                .required(PropertyIdentifier.SC_HUB_CONNECTOR_STATE,
                        () -> PropertyValue.enumerated(state.get().hubConnectorState()))
                .required(PropertyIdentifier.SC_PRIMARY_HUB_CONNECTION_STATUS,
                        () -> PropertyValue.encoded(ScTypes.encode(state.get().primary())))
                .required(PropertyIdentifier.SC_FAILOVER_HUB_CONNECTION_STATUS,
                        () -> PropertyValue.encoded(ScTypes.encode(state.get().failover())))
                .required(PropertyIdentifier.SC_HUB_FUNCTION_ENABLE, PropertyValue.bool(config.hubFunctionEnable()))
                .required(PropertyIdentifier.SC_HUB_FUNCTION_ACCEPT_URIS, strings(config.hubFunctionAcceptUris()))
                .required(PropertyIdentifier.SC_HUB_FUNCTION_BINDING, PropertyValue.of(config.hubFunctionBinding()))
                .required(PropertyIdentifier.SC_HUB_FUNCTION_CONNECTION_STATUS, () -> list(
                        state.get().hubFunctionConnections(), ScTypes::encode))
                .required(PropertyIdentifier.SC_DIRECT_CONNECT_INITIATE_ENABLE,
                        () -> PropertyValue.bool(state.get().directInitiateEnable()))
                .required(PropertyIdentifier.SC_DIRECT_CONNECT_ACCEPT_ENABLE,
                        () -> PropertyValue.bool(state.get().directAcceptEnable()))
                .required(PropertyIdentifier.SC_DIRECT_CONNECT_ACCEPT_URIS,
                        () -> strings(state.get().directAcceptUris()))
                .required(PropertyIdentifier.SC_DIRECT_CONNECT_BINDING,
                        PropertyValue.of(config.directConnectBinding()))
                .required(PropertyIdentifier.SC_DIRECT_CONNECT_CONNECTION_STATUS, () -> list(
                        state.get().directConnections(), ScTypes::encode))
                .required(PropertyIdentifier.SC_FAILED_CONNECTION_REQUESTS, () -> list(
                        state.get().failedRequests(), ScTypes::encode))
                .build();
    }

    private static Value.ObjectId file(int instance) {
        return new Value.ObjectId(ObjectType.FILE.code(), instance);
    }

    private static PropertyValue strings(List<String> values) {
        List<Value> out = new ArrayList<>();
        values.forEach(s -> out.add(Value.CharacterString.utf8(s)));
        return PropertyValue.array(out);
    }

    private static <T> PropertyValue list(List<T> elements, Function<T, ByteString> encode) {
        ByteStringBuilder b = new ByteStringBuilder();
        elements.forEach(e -> b.append(encode.apply(e)));
        return PropertyValue.encoded(b.result());
    }
}
