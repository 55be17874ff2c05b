/**
 * The load generator's parts: non-blocking node connections (NioNodes), the delivery tracker, the plain TCP relay baseline.
 * Uses codec and transport; no actors.
 */
package org.bacnetsc.examples.bench;
