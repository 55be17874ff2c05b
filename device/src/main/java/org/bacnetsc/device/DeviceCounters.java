package org.bacnetsc.device;

/**
 * What a device's application layer has done since start: nothing it drops or refuses goes uncounted.
 *
 * @param requestsServed       confirmed requests answered (ACK, Error, Reject or Abort)
 * @param errors               of them answered with an Error
 * @param rejects              of them answered with a Reject
 * @param aborts               of them answered with an Abort (segmentation not accepted, too large, out of resources)
 * @param duplicates           repeated requests (same peer, same invoke ID) answered again from the cache, not run
 * @param segmentedResponses   ComplexACKs sent in segments
 * @param segmentTimeouts      segmented responses the client stopped acknowledging (dropped after the retries)
 * @param unconfirmedReceived  unconfirmed requests received
 * @param unconfirmedAnswered  I-Am and I-Have sent in answer
 * @param droppedWhileDisabled requests and sends dropped while DeviceCommunicationControl disabled initiation
 * @param undecodable          APDUs and NPDUs that did not decode (dropped, or rejected when the invoke ID was read)
 * @param clientRequests       confirmed requests this device sent
 * @param clientTimeouts       of them that got no answer after every retry
 * @param clientRetries        request retransmissions on APDU timeout
 */
public record DeviceCounters(long requestsServed, long errors, long rejects, long aborts, long duplicates,
                             long segmentedResponses, long segmentTimeouts, long unconfirmedReceived,
                             long unconfirmedAnswered, long droppedWhileDisabled, long undecodable,
                             long clientRequests, long clientTimeouts, long clientRetries) {
}
