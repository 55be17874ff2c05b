package org.bacnetsc.cluster;

import org.bacnetsc.codec.DeviceUuid;

/**
 * One member's claim to a VMAC for a device, as replicated in the cluster-wide directory: kept as the text
 * {@code member|uuid|admittedAtMillis} under the VMAC's key.
 *
 * @param member         the member's address ({@code pekko://system@host:port})
 * @param uuid           the device
 * @param admittedAtMillis when the member admitted it (wall clock)
 */
record Claim(String member, DeviceUuid uuid, long admittedAtMillis) {

    static Claim parse(String text) {
        int a = text.lastIndexOf('|');
        int b = text.lastIndexOf('|', a - 1);
        return new Claim(text.substring(0, b), DeviceUuid.parse(text.substring(b + 1, a)),
                Long.parseLong(text.substring(a + 1)));
    }

    String text() {
        return member + "|" + uuid + "|" + admittedAtMillis;
    }

    /** The earlier admission wins a VMAC; ties go to the lower member address (the same on every member). */
    boolean winsVmacOver(Claim other) {
        return admittedAtMillis != other.admittedAtMillis ? admittedAtMillis < other.admittedAtMillis
                : member.compareTo(other.member) < 0;
    }

    /** The later admission wins a device (it moved to another member); ties go to the lower member address. */
    boolean winsDeviceOver(Claim other) {
        return admittedAtMillis != other.admittedAtMillis ? admittedAtMillis > other.admittedAtMillis
                : member.compareTo(other.member) < 0;
    }
}
