package org.bacnetsc.bip;

import org.apache.pekko.util.ByteString;

/**
 * Who gets the NPDUs a BACnet/IP socket ({@link ForeignDevice}, {@link BipLink}) receives; shaped like
 * {@code BacnetDevice::onNpdu}.
 */
@FunctionalInterface
public interface NpduReceiver {

    /**
     * One NPDU.
     *
     * @param mac       the sender's B/IP address as its 6-octet MAC (for a Forwarded-NPDU: the originating node's)
     * @param npdu      the NPDU
     * @param broadcast whether the BVLL function says it was a broadcast (Original-Broadcast-NPDU, Forwarded-NPDU)
     */
    void received(ByteString mac, ByteString npdu, boolean broadcast);
}
