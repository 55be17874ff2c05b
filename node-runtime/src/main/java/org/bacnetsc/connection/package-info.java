/**
 * One BACnet/SC connection as a typed actor: the states and timers of Annex AB.6, heartbeats, inbound checks.
 * Uses codec and Pekko; talks to any socket through SocketCommand, so it knows no transport.
 */
package org.bacnetsc.connection;
