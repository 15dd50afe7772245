package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code tcp-rr HOST:PORT [size=AMOUNT] [rate=N/s] [duration=DURATION] [count=N]
 * [user-timeout=DURATION]}: request/response transactions on one connection, like netperf's
 * TCP_RR against a tcp-echo: send a request of {@code size} bytes (default 1B, netperf's
 * default), wait for as many back, record the time. Back to back unless {@code rate} paces the
 * starts (transaction i starts at open + i / rate, or when the previous one ends if later). It
 * ends after {@code count} transactions or {@code duration} from the open, whichever comes first;
 * with neither it runs until stopped. Default criterion ({@link Criteria}): one transaction.
 */
public record TcpRrWorkload(Ipv4Address host, int port, int size, Optional<Double> rate,
    Optional<Duration> duration, OptionalLong count, Optional<Duration> userTimeout)
    implements Workload {
  public static final String KIND = "tcp-rr";
  public static final int DEFAULT_SIZE = 1;
  /** Requests up to 1 MiB: a transaction, not a transfer. */
  public static final int MAX_SIZE = 1 << 20;

  public TcpRrWorkload {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535");
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be 1-" + MAX_SIZE);
    }
    if (rate.isPresent() && !(rate.get() > 0)) {
      throw new IllegalArgumentException("rate must be positive");
    }
    if (count.isPresent() && count.getAsLong() < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return KIND + " " + host + ":" + port + " size=" + size + "B"
        + rate.map(r -> " rate=" + UdpSendWorkload.rateText(r) + "/s").orElse("")
        + duration.map(d -> " duration=" + DurationText.human(d)).orElse("")
        + (count.isPresent() ? " count=" + count.getAsLong() : "")
        + userTimeout.map(d -> " user-timeout=" + DurationText.human(d)).orElse("");
  }

  @Override
  public boolean finite() {
    return duration.isPresent() || count.isPresent();
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    TcpRrRun run = new TcpRrRun(this, stack);
    run.begin();
    return run;
  }
}
