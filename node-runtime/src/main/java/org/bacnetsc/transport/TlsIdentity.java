package org.bacnetsc.transport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An operational certificate (PEM, possibly with its chain) and its private key (PEM: PKCS#8, SEC1 EC or PKCS#1 RSA).
 *
 * @param certificate the certificate file
 * @param privateKey  the private key file
 */
public record TlsIdentity(Path certificate, Path privateKey) {

    /** Whether both files exist. */
    public boolean exists() {
        return Files.isRegularFile(certificate) && Files.isRegularFile(privateKey);
    }
}
