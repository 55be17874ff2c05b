package org.bacnetsc.device;

/** The actor's mutable counters. */
final class Counting {
    long requestsServed;
    long errors;
    long rejects;
    long aborts;
    long duplicates;
    long segmentedResponses;
    long segmentTimeouts;
    long unconfirmedReceived;
    long unconfirmedAnswered;
    long droppedWhileDisabled;
    long undecodable;
    long clientRequests;
    long clientTimeouts;
    long clientRetries;

    DeviceCounters snapshot() {
        return new DeviceCounters(requestsServed, errors, rejects, aborts, duplicates, segmentedResponses,
                segmentTimeouts, unconfirmedReceived, unconfirmedAnswered, droppedWhileDisabled, undecodable,
                clientRequests, clientTimeouts, clientRetries);
    }
}
