/**
 * The BACnet application layer's wire format (ASHRAE 135-2020 Clause 20): APDU headers of the eight PDU types and the
 * tag encoding of Clause 20.2; pure functions over bytes, decode failures as values. Uses nothing of this project.
 */
package org.bacnetsc.device.codec;
