package org.bacnetsc.connection;

import java.time.Instant;

/**
 * What the TLS handshake showed of the peer's operational certificate, for logs and failed-connection records.
 *
 * @param subject   the subject distinguished name
 * @param serial    the serial number in hex
 * @param notBefore start of validity
 * @param notAfter  end of validity
 */
public record PeerCertificate(String subject, String serial, Instant notBefore, Instant notAfter) {
}
