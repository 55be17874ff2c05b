/**
 * Embedding samples: a hub, nodes and a node as a BACnet device with an object of its own (MyDevice) inside an
 * application's own ActorSystem, compiled with the build. Uses hub, node, device, transport and codec through their
 * public API only.
 */
package org.bacnetsc.examples.embedded;
