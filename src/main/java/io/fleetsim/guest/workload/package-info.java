/**
 * What a simulated guest runs on its {@link io.fleetsim.guest.socket.Sockets}: ping, udp-send,
 * udp-sink and echo, parsed from one-line specs by {@link io.fleetsim.guest.workload.Workloads}.
 */
package io.fleetsim.guest.workload;
