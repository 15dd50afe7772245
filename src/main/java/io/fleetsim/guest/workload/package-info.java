/**
 * What a simulated guest runs on its {@link io.fleetsim.guest.socket.Sockets}: ping, udp-send,
 * udp-sink and echo; over TCP tcp-stream, tcp-sink, tcp-rr, tcp-echo, http-serve and http-get;
 * parsed from one-line specs by {@link io.fleetsim.guest.workload.Workloads}.
 */
package io.fleetsim.guest.workload;
