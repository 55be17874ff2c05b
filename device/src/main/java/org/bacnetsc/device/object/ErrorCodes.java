package org.bacnetsc.device.object;

/** The error classes and codes (Clause 18; digest 3.3) this device layer answers with. */
public final class ErrorCodes {

    /** Error class DEVICE. */
    public static final int DEVICE = 0;
    /** Error class OBJECT. */
    public static final int OBJECT = 1;
    /** Error class PROPERTY. */
    public static final int PROPERTY = 2;
    /** Error class RESOURCES. */
    public static final int RESOURCES = 3;
    /** Error class SECURITY. */
    public static final int SECURITY = 4;
    /** Error class SERVICES. */
    public static final int SERVICES = 5;
    /** Error class COMMUNICATION. */
    public static final int COMMUNICATION = 7;

    /** OTHER. */
    public static final int OTHER = 0;
    /** FILE_ACCESS_DENIED. */
    public static final int FILE_ACCESS_DENIED = 5;
    /** INVALID_DATA_TYPE. */
    public static final int INVALID_DATA_TYPE = 9;
    /** INVALID_FILE_ACCESS_METHOD. */
    public static final int INVALID_FILE_ACCESS_METHOD = 10;
    /** INVALID_FILE_START_POSITION. */
    public static final int INVALID_FILE_START_POSITION = 11;
    /** PASSWORD_FAILURE. */
    public static final int PASSWORD_FAILURE = 26;
    /** READ_ACCESS_DENIED. */
    public static final int READ_ACCESS_DENIED = 27;
    /** SERVICE_REQUEST_DENIED. */
    public static final int SERVICE_REQUEST_DENIED = 29;
    /** UNKNOWN_OBJECT. */
    public static final int UNKNOWN_OBJECT = 31;
    /** UNKNOWN_PROPERTY. */
    public static final int UNKNOWN_PROPERTY = 32;
    /** VALUE_OUT_OF_RANGE. */
    public static final int VALUE_OUT_OF_RANGE = 37;
    /** WRITE_ACCESS_DENIED. */
    public static final int WRITE_ACCESS_DENIED = 40;
    /** INVALID_ARRAY_INDEX. */
    public static final int INVALID_ARRAY_INDEX = 42;
    /** OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED. */
    public static final int OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED = 45;
    /** PROPERTY_IS_NOT_AN_ARRAY. */
    public static final int PROPERTY_IS_NOT_AN_ARRAY = 50;
    /** PARAMETER_OUT_OF_RANGE. */
    public static final int PARAMETER_OUT_OF_RANGE = 80;
    /** COMMUNICATION_DISABLED. */
    public static final int COMMUNICATION_DISABLED = 83;
    /** SUCCESS (in a BACnetHealth). */
    public static final int SUCCESS = 84;
    /** INCONSISTENT_OBJECT_TYPE. */
    public static final int INCONSISTENT_OBJECT_TYPE = 130;

    private ErrorCodes() {
    }
}
