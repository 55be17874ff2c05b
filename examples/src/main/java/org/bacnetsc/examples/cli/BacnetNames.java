package org.bacnetsc.examples.cli;

import java.util.Locale;
import java.util.Optional;
import org.bacnetsc.device.BacnetException;
import org.bacnetsc.device.codec.Value;
import org.bacnetsc.device.object.ObjectType;
import org.bacnetsc.device.object.PropertyIdentifier;

/**
 * How the tools ({@code bsc read}, {@code bsc rpm}, {@code bsc file get}) read objects and properties from the
 * command line and name what they print: standard names as the standard spells them ({@code network-port},
 * {@code sc-hub-connector-state}) or numbers, error classes and codes, Reject and Abort reasons, connection states.
 */
public final class BacnetNames {

    /** The highest property identifier an Enumerated of 4 octets holds (the SC ones are 4194304 and up). */
    static final long MAX_PROPERTY = 0xFFFFFFFFL;

    private BacnetNames() {
    }

    /**
     * An object given as {@code type,instance}: the type a standard name ({@code network-port}, {@code
     * analog-input}; case, hyphens and underscores do not matter), {@code proprietary-N} or a number 0-1023, the
     * instance 0-4194303.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Value.ObjectId parseObject(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("object \"" + text + "\": expected TYPE,INSTANCE (network-port,1 or "
                    + "56,1)");
        }
        String type = parts[0].trim();
        int code;
        if (type.chars().allMatch(Character::isDigit)) {
            code = (int) number(type, 1023, "object type");
        } else if (type.toLowerCase(Locale.ROOT).matches("(proprietary|type)-\\d+")) {
            code = (int) number(type.substring(type.indexOf('-') + 1), 1023, "object type");
        } else {
            code = ObjectType.named(type).map(ObjectType::code).orElseThrow(() -> new IllegalArgumentException(
                    "object type \"" + type + "\": not a standard object type's name (network-port, device, file, "
                            + "analog-input, ...) or a number 0-1023"));
        }
        String instance = parts[1].trim();
        if (!instance.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("object instance \"" + instance + "\": expected a number 0-4194303");
        }
        return new Value.ObjectId(code, (int) number(instance, 4194303, "object instance"));
    }

    /**
     * A property given as a standard name ({@code sc-hub-connector-state}, {@code object-name}, {@code all}; case,
     * hyphens and underscores do not matter), {@code property-N} or a number 0-4294967295.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static long parseProperty(String text) {
        String p = text.trim();
        if (!p.isEmpty() && p.chars().allMatch(Character::isDigit)) {
            return number(p, MAX_PROPERTY, "property");
        }
        if (p.toLowerCase(Locale.ROOT).matches("property-\\d+")) {
            return number(p.substring("property-".length()), MAX_PROPERTY, "property");
        }
        return PropertyIdentifier.named(p).map(PropertyIdentifier::code).orElseThrow(() ->
                new IllegalArgumentException("property \"" + text + "\": not a property name known here "
                        + "(object-name, present-value, sc-hub-connector-state, ...); give its number instead"));
    }

    /**
     * A property reference of {@code bsc rpm}: a property ({@link #parseProperty}) with an optional array index in
     * brackets, {@code object-list[3]}.
     *
     * @return the property and the index (null without one)
     */
    public static PropertyRef parsePropertyRef(String text) {
        String p = text.trim();
        int open = p.indexOf('[');
        if (open < 0) {
            return new PropertyRef(parseProperty(p), null);
        }
        if (!p.endsWith("]") || open == 0) {
            throw new IllegalArgumentException("property \"" + text + "\": expected NAME or NAME[INDEX]");
        }
        String index = p.substring(open + 1, p.length() - 1).trim();
        if (index.isEmpty() || !index.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("array index \"" + index + "\" of \"" + text + "\": expected a number");
        }
        return new PropertyRef(parseProperty(p.substring(0, open)), number(index, 0xFFFFFFFFL, "array index"));
    }

    /**
     * A property and an array index.
     *
     * @param property the property identifier
     * @param index    the array index, or null for the whole property
     */
    public record PropertyRef(long property, Long index) {
    }

    private static long number(String digits, long max, String what) {
        try {
            long v = Long.parseLong(digits);
            if (v >= 0 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // too long: out of range
        }
        throw new IllegalArgumentException(what + " " + digits + " is out of range 0-" + max);
    }

    /**
     * Where a device is, for people: a device on this SC network by its VMAC ({@code 12:34:56:78:9a:bc}); one on
     * another network as {@code NETWORK:ADDRESS via ROUTER} in hex.
     */
    public static String address(org.bacnetsc.device.Address a) {
        if (!a.remote() && a.mac().size() == org.bacnetsc.codec.Vmac.LENGTH) {
            return org.bacnetsc.codec.Vmac.of(a.mac().toArray()).toString();
        }
        return a.toString();
    }

    /** {@code network-port,1}: the form {@link #parseObject} reads. */
    public static String object(Value.ObjectId id) {
        return ObjectType.nameOf(id.objectType()) + "," + id.instance();
    }

    /** {@code sc-hub-connector-state}, or {@code property-N}. */
    public static String property(long id) {
        return PropertyIdentifier.nameOf(id);
    }

    /** A property with its index: {@code object-list[3]}. */
    public static String property(long id, Long index) {
        return index == null ? property(id) : property(id) + "[" + index + "]";
    }

    private static final String[] ERROR_CLASSES = {"device", "object", "property", "resources", "security",
        "services", "vt", "communication"};

    /** BACnetErrorCode 0-85 (Clause 21); 33 is reserved. */
    private static final String[] ERROR_CODES = {"other", "authentication-failed", "configuration-in-progress",
        "device-busy", "dynamic-creation-not-supported", "file-access-denied", "incompatible-security-levels",
        "inconsistent-parameters", "inconsistent-selection-criterion", "invalid-data-type",
        "invalid-file-access-method", "invalid-file-start-position", "invalid-operator-name",
        "invalid-parameter-data-type", "invalid-time-stamp", "key-generation-error", "missing-required-parameter",
        "no-objects-of-specified-type", "no-space-for-object", "no-space-to-add-list-element",
        "no-space-to-write-property", "no-vt-sessions-available", "property-is-not-a-list",
        "object-deletion-not-permitted", "object-identifier-already-exists", "operational-problem",
        "password-failure", "read-access-denied", "security-not-supported", "service-request-denied", "timeout",
        "unknown-object", "unknown-property", null, "unknown-vt-class", "unknown-vt-session",
        "unsupported-object-type", "value-out-of-range", "vt-session-already-closed",
        "vt-session-termination-failure", "write-access-denied", "character-set-not-supported",
        "invalid-array-index", "cov-subscription-failed", "not-cov-property", "optional-functionality-not-supported",
        "invalid-configuration-data", "datatype-not-supported", "duplicate-name", "duplicate-object-id",
        "property-is-not-an-array", "abort-buffer-overflow", "abort-invalid-apdu-in-this-state",
        "abort-preempted-by-higher-priority-task", "abort-segmentation-not-supported", "abort-proprietary",
        "abort-other", "invalid-tag", "network-down", "reject-buffer-overflow", "reject-inconsistent-parameters",
        "reject-invalid-parameter-data-type", "reject-invalid-tag", "reject-missing-required-parameter",
        "reject-parameter-out-of-range", "reject-too-many-arguments", "reject-undefined-enumeration",
        "reject-unrecognized-service", "reject-proprietary", "reject-other", "unknown-device", "unknown-route",
        "value-not-initialized", "invalid-event-state", "no-alarm-configured", "log-buffer-full",
        "logged-value-purged", "no-property-specified", "not-configured-for-triggered-logging",
        "unknown-subscription", "parameter-out-of-range", "list-element-not-found", "busy",
        "communication-disabled", "success", "access-denied"};

    private static final String[] REJECT_REASONS = {"other", "buffer-overflow", "inconsistent-parameters",
        "invalid-parameter-data-type", "invalid-tag", "missing-required-parameter", "parameter-out-of-range",
        "too-many-arguments", "undefined-enumeration", "unrecognized-service"};

    private static final String[] ABORT_REASONS = {"other", "buffer-overflow", "invalid-apdu-in-this-state",
        "preempted-by-higher-priority-task", "segmentation-not-supported", "security-error",
        "insufficient-security", "window-size-out-of-range", "application-exceeded-reply-time", "out-of-resources",
        "tsm-timeout", "apdu-too-long"};

    private static final String[] CONNECTION_STATES = {"not-connected", "connected", "disconnected-with-errors",
        "failed-to-connect"};

    /** {@code property}, or the number. */
    public static String errorClass(long code) {
        return code >= 0 && code < ERROR_CLASSES.length ? ERROR_CLASSES[(int) code] : String.valueOf(code);
    }

    /** {@code unknown-property}, {@code tls-error} (the SC codes of Annex AB), or the number. */
    public static String errorCode(long code) {
        if (code >= 0 && code < ERROR_CODES.length && ERROR_CODES[(int) code] != null) {
            return ERROR_CODES[(int) code];
        }
        if (code == 130) {
            return "inconsistent-object-type";
        }
        Optional<org.bacnetsc.codec.ErrorCode> sc = code > Integer.MAX_VALUE ? Optional.empty()
                : org.bacnetsc.codec.ErrorCode.find((int) code);
        return sc.map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).orElse(String.valueOf(code));
    }

    /** {@code property/unknown-property}. */
    public static String error(long errorClass, long errorCode) {
        return errorClass(errorClass) + "/" + errorCode(errorCode);
    }

    /** A Reject reason's name, or the number. */
    public static String rejectReason(int reason) {
        return reason >= 0 && reason < REJECT_REASONS.length ? REJECT_REASONS[reason] : String.valueOf(reason);
    }

    /** An Abort reason's name, or the number. */
    public static String abortReason(int reason) {
        return reason >= 0 && reason < ABORT_REASONS.length ? ABORT_REASONS[reason] : String.valueOf(reason);
    }

    /** BACnetSCConnectionState: {@code connected}, ..., or the number. */
    public static String connectionState(int state) {
        return state >= 0 && state < CONNECTION_STATES.length ? CONNECTION_STATES[state] : String.valueOf(state);
    }

    /** Why a request failed, for a person: {@code error property/unknown-property}, {@code reject ...}, ... */
    public static String failure(BacnetException e) {
        return switch (e.kind()) {
            case ERROR -> "error " + error(e.errorClass(), e.errorCode());
            case REJECT -> "reject " + rejectReason(e.reason());
            case ABORT -> e.reason() < 0 ? String.valueOf(e.getMessage())
                    : "abort " + abortReason(e.reason()) + " (" + e.getMessage() + ")";
            case TIMEOUT -> "no answer within the APDU timeout and its retries";
            default -> String.valueOf(e.getMessage());
        };
    }
}
