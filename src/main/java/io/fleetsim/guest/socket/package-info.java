/**
 * The socket API guest programs are written against: {@link io.fleetsim.guest.socket.Sockets}
 * (UDP, TCP, ICMP echo, timers, console, seeded random numbers on one interface) and the types
 * it hands out, and {@link io.fleetsim.guest.socket.App}, the contract of a user's own workload
 * ({@code app CLASS key=value ...}). Workloads, built in or a user's, see only this package; the
 * stack behind it is {@code io.fleetsim.guest}.
 */
package io.fleetsim.guest.socket;
