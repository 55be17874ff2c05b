/**
 * JMH micro-benchmarks of the codec, the hand-over paths and the hub's shortcut, run by bsc microbench.
 * Uses codec, connection, transport and hub.
 */
package org.bacnetsc.examples.jmh;
