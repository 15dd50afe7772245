package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import java.util.List;
import java.util.Optional;

/**
 * One line of a traceroute: the probes sent with TTL {@code ttl}.
 *
 * @param from who answered (the first answer's source); empty when no probe was answered
 * @param rttNanos the round trip of each probe in the order sent, empty for one unanswered
 * @param note {@code !N} or {@code !H} when the hop answered destination unreachable (net, host),
 *     {@code !<code>} for other codes; empty otherwise
 */
public record TracerouteHop(int ttl, Optional<Ipv4Address> from, List<Optional<Long>> rttNanos,
    String note) {
  public TracerouteHop {
    rttNanos = List.copyOf(rttNanos);
  }

  /** How many probes were answered. */
  public long answered() {
    return rttNanos.stream().filter(Optional::isPresent).count();
  }
}
