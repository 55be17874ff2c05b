/**
 * BACnet/IP (Annex J): the BVLL codec, the UDP port and the BBMD with its foreign device table.
 * Uses network and Pekko.
 */
package org.bacnetsc.bip;
