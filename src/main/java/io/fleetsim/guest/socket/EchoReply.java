package io.fleetsim.guest.socket;

import io.fleetsim.addr.Ipv4Address;

/**
 * An ICMP echo reply matched to an {@link EchoSocket} by its identifier.
 *
 * @param from the replying host
 * @param sequence the echo sequence number, as sent
 * @param ttl the reply's IPv4 TTL
 * @param bytes the ICMP message length (8 + payload), what ping prints as "N bytes from"
 * @param payload the echoed data (a copy)
 * @param receivedAtNanos guest time of arrival
 */
public record EchoReply(Ipv4Address from, int sequence, int ttl, int bytes, byte[] payload,
    long receivedAtNanos) {}
