package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.addr.MacAddress;

/**
 * A lease a dhcp-server holds: the address, the client's hardware address (chaddr), its client
 * identifier (option 61, hex; the chaddr's when it sent none) and the seconds left.
 */
public record DhcpServerLease(Ipv4Address address, MacAddress client, String clientId,
    long expiresInSeconds) {}
