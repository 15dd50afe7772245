/**
 * The small guest OS a simulated VM runs: the e1000 driver (in {@code guest.driver}), an IPv4
 * stack (here) and workloads (in {@code guest.workload}: ping, traceroute, udp-send, ...), which
 * {@code guest.os} boots and runs. This package imports neither of the two above it.
 *
 * <p>The stack, {@link io.fleetsim.guest.NetStack}, sits on a {@link io.fleetsim.guest.Link}
 * (the driver) and a {@link io.fleetsim.guest.GuestEnv} (time, timers, vCPU, console). One
 * concept per file: {@code Ethernet}, {@code ArpPacket}/{@code ArpResolver}, {@code
 * Ipv4Header}/{@code Ipv4Layer}, {@code IcmpMessage}/{@code Icmp}, {@code UdpHeader}/{@code
 * Udp}, {@code TcpSegment}/{@code Tcp}/{@code TcpConnection} (TCP, see docs/tcp.md), {@code
 * DhcpMessage}/{@code DhcpClient}, {@code TxQueue} (link back-pressure), {@code
 * StackCounters}. A VM's stacks (one per NIC) share one {@code RoutingTable}: they route as one
 * host and, on a router, forward between them, with ICMP errors rate-limited by {@code
 * IcmpRateLimit} (docs/routing.md). Everything runs on the VM thread; bad input from the network
 * is dropped and counted by name, never thrown.
 */
package io.fleetsim.guest;
