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
        if (maxSegmentsAccepted < 2 || maxSegmentsAccepted > 255) {
            throw new IllegalArgumentException("max segments accepted must be 2-255, got " + maxSegmentsAccepted);
        }
    }

    /** A device with our defaults for everything but instance and name. */
    public static DeviceInfo of(int instance, String name) {
        return new DeviceInfo(instance, name, "bacnet-sc-pekko", 999, "bacnet-sc-pekko", Version.VALUE,
                Version.VALUE, "", "", 3000, 3, 2000, 128, null, "");
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
