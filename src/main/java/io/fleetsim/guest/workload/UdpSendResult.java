package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;

/**
 * @param sent datagrams the stack accepted (on the wire, held for the link, or awaiting ARP)
 * @param dropped datagrams the stack refused on the spot (no route, link down, queue full)
 * @param delayed datagrams that waited for back-pressure to clear before going out
 * @param elapsedNanos from the first datagram to the end
 * @param achievedRate sent per second over the elapsed time
 */
public record UdpSendResult(Ipv4Address host, int port, long sent, long dropped, long delayed,
    long elapsedNanos, double achievedRate) implements WorkloadResult {

  @Override
  public String kind() {
    return UdpSendWorkload.KIND;
  }

  @Override
  public String summary() {
    return String.format("udp-send %s:%d: %d sent in %.3f s (%.1f/s), %d dropped, %d delayed",
        host, port, sent, elapsedNanos / 1e9, achievedRate, dropped, delayed);
  }
}
