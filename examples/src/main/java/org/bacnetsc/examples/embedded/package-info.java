/**
 * Embedding samples: a hub and nodes inside an application's own ActorSystem, compiled and run by a test.
 * Uses hub, node, transport and codec through their public API only.
 */
package org.bacnetsc.examples.embedded;
