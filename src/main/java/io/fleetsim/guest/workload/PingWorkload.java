package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@code ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N]}, after busybox ping: without
 * {@code count} it runs until stopped (like busybox without {@code -c}) and prints its
 * statistics then; interval 1s and 56 data bytes by default. After the last request it waits
 * for outstanding replies: up to 10 s if none came yet, else twice the longest round trip (at
 * least 1 s), and ends early once every request was answered or reported by an ICMP error (as
 * iputils ping does). {@code ttl} is the requests' IPv4 TTL ({@code ping -t}), 64 by default.
 * Default criterion ({@link Criteria}): at least one reply (busybox exits 0 then); an ICMP error
 * is not a reply.
 */
public record PingWorkload(Ipv4Address host, OptionalLong count, Duration interval, int size,
    int ttl) implements Workload {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_SIZE = 56;
  public static final int DEFAULT_TTL = 64;

  /** With the default TTL. */
  public PingWorkload(Ipv4Address host, OptionalLong count, Duration interval, int size) {
    this(host, count, interval, size, DEFAULT_TTL);
  }

  public PingWorkload {
    Objects.requireNonNull(host, "host");
    if (count.isPresent() && count.getAsLong() < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    if (size < 0 || size > Sockets.MAX_ICMP_PAYLOAD) {
      throw new IllegalArgumentException("size must be 0-" + Sockets.MAX_ICMP_PAYLOAD);
    }
    if (ttl < 1 || ttl > 255) {
      throw new IllegalArgumentException("ttl must be 1-255");
    }
  }

  public static final String KIND = "ping";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return "ping " + host + (count.isPresent() ? " count=" + count.getAsLong() : "")
        + " interval=" + DurationText.human(interval) + " size=" + size + "B"
        + (ttl != DEFAULT_TTL ? " ttl=" + ttl : "");
  }

  @Override
  public boolean finite() {
    return count.isPresent();
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    PingRun run = new PingRun(this, stack);
    run.begin();
    return run;
  }
}
