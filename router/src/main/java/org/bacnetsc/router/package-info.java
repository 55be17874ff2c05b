/**
 * The BACnet/IP to BACnet/SC router: the routing rules (RoutingCore), the router actor, ScRouter and its operations endpoint.
 * Uses network, bip, codec, node (its SC port) and operations.
 */
package org.bacnetsc.router;
