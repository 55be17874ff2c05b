package org.bacnetsc.connection;

import org.bacnetsc.codec.DeviceUuid;
import org.bacnetsc.codec.Vmac;

/**
 * Who this end of a connection is: its VMAC and Device UUID, sent in Connect-Request and Connect-Accept.
 *
 * @param vmac       the VMAC
 * @param deviceUuid the Device UUID
 */
public record LocalIdentity(Vmac vmac, DeviceUuid deviceUuid) {
    /** Both are required. */
    public LocalIdentity {
        if (vmac == null || deviceUuid == null) {
            throw new IllegalArgumentException("a local identity needs a VMAC and a Device UUID");
        }
    }
}
