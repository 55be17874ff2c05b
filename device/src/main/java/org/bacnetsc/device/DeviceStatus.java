package org.bacnetsc.device;

/**
 * A device's application layer now.
 *
 * @param instance         the device instance
 * @param communication    DeviceCommunicationControl: 0 enable, 2 disable-initiation
 * @param serverInProgress server transactions in progress (executing, segmenting, reassembling)
 * @param clientOutstanding client requests awaiting their answer
 * @param counters         counters since start
 */
public record DeviceStatus(int instance, int communication, int serverInProgress, int clientOutstanding,
                           DeviceCounters counters) {
}
