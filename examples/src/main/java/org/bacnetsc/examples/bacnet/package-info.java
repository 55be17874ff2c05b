/**
 * A minimal BACnet application layer and the example devices (Who-Is / I-Am, ReadProperty of a few Device properties) on SC and on BACnet/IP.
 * Uses codec, node, network, bip and router.
 */
package org.bacnetsc.examples.bacnet;
