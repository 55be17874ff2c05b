/**
 * Segmentation of the BACnet application layer (ASHRAE 135 Clause 5.4 as the digest's section 1.3 gives it): the
 * send side ({@link org.bacnetsc.device.segment.SegmentSender}: one large ComplexACK or Confirmed-Request in
 * windows of segments, acknowledged by Segment-ACKs) and the receive side
 * ({@link org.bacnetsc.device.segment.SegmentReceiver}: reassembly within limits, Segment-ACKs per window, NAKs for
 * gaps) as pure, bounded state machines. No actors, no logging, no I/O, no clock: the owner (an actor with timers)
 * feeds APDUs and timer expiries in and sends what comes out; every peer-supplied APDU yields a value (ignored, or an
 * Abort to send), never an exception. Uses the APDU records of {@code org.bacnetsc.device.codec}.
 */
package org.bacnetsc.device.segment;
