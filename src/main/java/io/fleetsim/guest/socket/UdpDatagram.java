package io.fleetsim.guest.socket;

import io.fleetsim.addr.Ipv4Address;

/**
 * A received UDP datagram.
 *
 * @param payload the data (a copy the handler may keep)
 * @param receivedAtNanos guest time of arrival
 */
public record UdpDatagram(Ipv4Address source, int sourcePort, Ipv4Address destination,
    int destinationPort, byte[] payload, long receivedAtNanos) {}
