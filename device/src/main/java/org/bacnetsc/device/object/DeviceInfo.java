package org.bacnetsc.device.object;

import org.apache.pekko.util.ByteString;

/**
 * What a Device object says of itself (digest section 4), read once from configuration ({@code bacnet-sc.device}).
 *
 * @param instance            the device instance, 0-4194302
 * @param name                Object_Name, unique on the internetwork
 * @param vendorName          Vendor_Name
 * @param vendorId            Vendor_Identifier (Unsigned16)
 * @param modelName           Model_Name
 * @param firmwareRevision    Firmware_Revision
 * @param softwareVersion     Application_Software_Version
 * @param description         Description (optional property: empty leaves it out)
 * @param location            Location (optional property: empty leaves it out)
 * @param apduTimeoutMillis   APDU_Timeout
 * @param apduRetries         Number_Of_APDU_Retries
 * @param segmentTimeoutMillis APDU_Segment_Timeout
 * @param maxSegmentsAccepted Max_Segments_Accepted: the most segments we reassemble
 * @param deviceUuid          Device_UUID (16 octets, the SC Device UUID), or null to leave it out
 * @param password            the password DeviceCommunicationControl and ReinitializeDevice must give, or empty for
 *                            none
 */
public record DeviceInfo(int instance, String name, String vendorName, int vendorId, String modelName,
                         String firmwareRevision, String softwareVersion, String description, String location,
                         int apduTimeoutMillis, int apduRetries, int segmentTimeoutMillis, int maxSegmentsAccepted,
                         ByteString deviceUuid, String password) {

    /** Validates the ranges. */
    public DeviceInfo {
        if (instance < 0 || instance > 4194302) {
            throw new IllegalArgumentException("device instance must be 0-4194302, got " + instance);
        }
        if (vendorId < 0 || vendorId > 0xFFFF) {
            throw new IllegalArgumentException("vendor identifier must be 0-65535, got " + vendorId);
        }
        if (deviceUuid != null && deviceUuid.size() != 16) {
            throw new IllegalArgumentException("Device UUID must be 16 octets, got " + deviceUuid.size());
        }
        if (password != null && password.length() > 20) {
            throw new IllegalArgumentException("password must be at most 20 characters");
        }
        if (apduRetries < 0 || apduRetries > 10) {
            throw new IllegalArgumentException("APDU retries must be 0-10, got " + apduRetries);
        }
        if (maxSegmentsAccepted < 2 || maxSegmentsAccepted > 255) {
            throw new IllegalArgumentException("max segments accepted must be 2-255, got " + maxSegmentsAccepted);
        }
    }

    /** A device with our defaults for everything but instance and name. */
    public static DeviceInfo of(int instance, String name) {
        return new DeviceInfo(instance, name, "bacnet-sc-pekko", 999, "bacnet-sc-pekko", Version.VALUE,
                Version.VALUE, "", "", 3000, 3, 2000, 128, null, "");
    }

    /** The configuration path of the defaults. */
    public static final String PATH = "bacnet-sc.device";

    /**
     * A device with {@code instance} and {@code name} and the rest from {@code bacnet-sc.device}; {@code model} names
     * the model when the configuration leaves it empty.
     *
     * @throws IllegalArgumentException naming the key for a bad value
     */
    public static DeviceInfo fromConfig(com.typesafe.config.Config root, int instance, String name, String model) {
        com.typesafe.config.Config c = root.getConfig(PATH);
        try {
            String configuredModel = c.getString("model-name");
            int timeout = millis(c, "apdu-timeout");
            int segment = millis(c, "apdu-segment-timeout");
            return new DeviceInfo(instance, name, c.getString("vendor-name"), c.getInt("vendor-identifier"),
                    configuredModel.isEmpty() ? model : configuredModel, Version.VALUE, Version.VALUE,
                    c.getString("description"), c.getString("location"), timeout, c.getInt("apdu-retries"), segment,
                    c.getInt("max-segments-accepted"), null, c.getString("password"));
        } catch (com.typesafe.config.ConfigException | IllegalArgumentException e) {
            throw new IllegalArgumentException(PATH + ": " + e.getMessage(), e);
        }
    }

    private static int millis(com.typesafe.config.Config c, String key) {
        long ms = c.getDuration(key).toMillis();
        if (ms < 1 || ms > 600_000) {
            throw new IllegalArgumentException(PATH + "." + key + " = " + c.getValue(key).unwrapped()
                    + ": must be 1 ms to 10 min");
        }
        return (int) ms;
    }

    /** With another Device UUID. */
    public DeviceInfo withDeviceUuid(ByteString uuid) {
        return new DeviceInfo(instance, name, vendorName, vendorId, modelName, firmwareRevision, softwareVersion,
                description, location, apduTimeoutMillis, apduRetries, segmentTimeoutMillis, maxSegmentsAccepted,
                uuid, password);
    }

    /** With another model name. */
    public DeviceInfo withModelName(String value) {
        return new DeviceInfo(instance, name, vendorName, vendorId, value, firmwareRevision, softwareVersion,
                description, location, apduTimeoutMillis, apduRetries, segmentTimeoutMillis, maxSegmentsAccepted,
                deviceUuid, password);
    }

    /** With another password. */
    public DeviceInfo withPassword(String value) {
        return new DeviceInfo(instance, name, vendorName, vendorId, modelName, firmwareRevision, softwareVersion,
                description, location, apduTimeoutMillis, apduRetries, segmentTimeoutMillis, maxSegmentsAccepted,
                deviceUuid, value);
    }

    /** The project's version, from the jar's manifest when there is one. */
    static final class Version {
        static final String VALUE = java.util.Optional.ofNullable(DeviceInfo.class.getPackage())
                .map(Package::getImplementationVersion).orElse("0.1.0-SNAPSHOT");

        private Version() {
        }
    }
}
