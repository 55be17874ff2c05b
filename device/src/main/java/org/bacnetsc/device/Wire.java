package org.bacnetsc.device;

import org.bacnetsc.device.codec.Apdu;

/** How the transaction classes send: an APDU to an address, wrapped in an NPDU by the actor. */
interface Wire {
    void send(Address to, Apdu apdu, boolean expectingReply);
}
