/**
 * The BACnet network layer of Clause 6: the NPDU codec and the network layer messages, pure functions over bytes.
 * Uses nothing of this project and no actor, logging or I/O.
 */
package org.bacnetsc.network;
