package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;

/**
 * What udp-sink saw from one udp-send stream: a sender (address and source port) in one run;
 * a sender that rebooted and sends again from the same address and port is its next stream.
 *
 * @param stream 1 for the first stream from this address and port, 2 for the next, ...
 * @param received distinct sequence numbers that arrived
 * @param lost numbers up to the highest seen that never arrived (the sender starts at 0, so a
 *     sink started late counts the sender's first datagrams as lost; datagrams lost after the
 *     highest one that arrived are invisible here: compare with udp-send's sent count)
 * @param duplicates arrivals of a number already seen
 * @param outOfOrder arrivals below the highest number seen so far
 */
public record SenderStats(Ipv4Address address, int port, int stream, long received, long lost,
    long duplicates, long outOfOrder, long highestSequence, long bytes) {}
