/**
 * The small guest OS a simulated VM runs: the e1000 driver, an IPv4 stack (Ethernet, ARP, IPv4,
 * ICMP, UDP, DHCP client) and workloads (ping, udp-send, udp-sink, echo).
 */
package io.fleetsim.guest;
