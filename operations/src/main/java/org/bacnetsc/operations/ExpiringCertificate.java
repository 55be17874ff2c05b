package org.bacnetsc.operations;

import java.time.Instant;

/**
 * A certificate a service uses, as {@code bacnet_sc_certificate_expiry_seconds} and the status page show it.
 *
 * @param role     "operational" or "issuer"
 * @param subject  its subject
 * @param notAfter when it expires
 */
public record ExpiringCertificate(String role, String subject, Instant notAfter) {

    /** Seconds left at {@code now} (negative: expired). */
    public long secondsLeft(Instant now) {
        return notAfter.getEpochSecond() - now.getEpochSecond();
    }
}
