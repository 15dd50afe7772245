package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import java.util.Optional;

/**
 * A ping run's statistics, as busybox counts them.
 *
 * @param lossPercent {@code (transmitted - received) * 100 / transmitted}, integer division
 * @param rtt percentiles of first replies; empty when no reply came
 * @param unreachable sending failed for lack of a route ("Network is unreachable")
 * @param errors ICMP errors about the requests (time exceeded, destination unreachable); an
 *     error is no reply, so its request counts as lost
 */
public record PingResult(Ipv4Address host, long transmitted, long received, long duplicates,
    long lossPercent, Optional<RttStats> rtt, boolean unreachable, long errors)
    implements WorkloadResult {

  /** Without ICMP errors. */
  public PingResult(Ipv4Address host, long transmitted, long received, long duplicates,
      long lossPercent, Optional<RttStats> rtt, boolean unreachable) {
    this(host, transmitted, received, duplicates, lossPercent, rtt, unreachable, 0);
  }

  @Override
  public String kind() {
    return PingWorkload.KIND;
  }

  @Override
  public String summary() {
    return "ping " + host + ": " + transmitted + " transmitted, " + received + " received, "
        + (duplicates > 0 ? duplicates + " duplicates, " : "")
        + (errors > 0 ? errors + " errors, " : "") + lossPercent + "% loss"
        + rtt.map(r -> ", rtt p50/p99/max = " + PingRun.millis(r.p50Nanos()) + "/"
            + PingRun.millis(r.p99Nanos()) + "/" + PingRun.millis(r.maxNanos()) + " ms")
            .orElse("")
        + (unreachable ? ", network unreachable" : "");
  }
}
