package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code traceroute HOST [max-hops=N] [probes=N] [wait=DURATION]}, after {@code traceroute -I}:
 * ICMP echo probes with TTL 1, 2, ... up to {@code max-hops} (30), {@code probes} (3) per hop
 * sent one after another, each waiting up to {@code wait} (1s) for its answer: time exceeded
 * from a router names the hop, an echo reply means the destination was reached (the last hop),
 * destination unreachable ends the trace there ({@code !N}, {@code !H}). Always finite.
 * Default criterion ({@link Criteria}): the destination was reached.
 */
public record TracerouteWorkload(Ipv4Address host, int maxHops, int probes, Duration waitTime)
    implements Workload {
  public static final String KIND = "traceroute";
  public static final int DEFAULT_MAX_HOPS = 30;
  public static final int DEFAULT_PROBES = 3;
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);
  /** traceroute -I sends 60-byte packets: 20 IPv4 + 8 ICMP + 32 data. */
  static final int PAYLOAD = 32;

  public TracerouteWorkload {
    Objects.requireNonNull(host, "host");
    if (maxHops < 1 || maxHops > 255) {
      throw new IllegalArgumentException("max-hops must be 1-255");
    }
    if (probes < 1 || probes > 10) {
      throw new IllegalArgumentException("probes must be 1-10");
    }
    if (waitTime.isNegative() || waitTime.isZero()) {
      throw new IllegalArgumentException("wait must be positive");
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return "traceroute " + host + " max-hops=" + maxHops + " probes=" + probes + " wait="
        + DurationText.human(waitTime);
  }

  @Override
  public boolean finite() {
    return true;
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    TracerouteRun run = new TracerouteRun(this, stack);
    run.begin();
    return run;
  }
}
