/**
 * The hub function: the supervising hub actor, its directory and fast routes, ScHub, its status, metrics and operations endpoint.
 * Uses codec, connection, transport, node (certificate status) and operations; the cluster reaches it through HubDirectory.
 */
package org.bacnetsc.hub;
