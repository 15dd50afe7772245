package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A traceroute's hops, in TTL order.
 *
 * @param reached an echo reply came from {@code host} (the last hop is the destination)
 * @param unreachable the trace ended on destination unreachable, or on no route to send by
 */
public record TracerouteResult(Ipv4Address host, boolean reached, boolean unreachable,
    List<TracerouteHop> hops) implements WorkloadResult {
  public TracerouteResult {
    hops = List.copyOf(hops);
  }

  @Override
  public String kind() {
    return TracerouteWorkload.KIND;
  }

  @Override
  public String summary() {
    String path = hops.stream()
        .map(h -> h.from().map(Ipv4Address::toString).orElse("*")
            + (h.note().isEmpty() ? "" : " " + h.note()))
        .collect(Collectors.joining(" "));
    return "traceroute " + host + ": " + (reached ? "reached in " + hops.size() + " hops"
        : "not reached after " + hops.size() + " hops" + (unreachable ? " (unreachable)" : ""))
        + (path.isEmpty() ? "" : ": " + path);
  }
}
