package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code tcp-stream HOST:PORT [bytes=AMOUNT] [duration=DURATION] [user-timeout=DURATION]}: a bulk
 * transfer, like netperf's TCP_STREAM. It connects, sends {@link StreamPattern} bytes as fast as
 * the connection takes them (back-pressure: send until the buffer takes less, then wait for
 * writable), until {@code bytes} are sent or {@code duration} has passed since the connection
 * opened, whichever comes first (neither: until stopped); then it half-closes and waits for the
 * peer (a tcp-sink) to close too. Goodput is the bytes the peer acknowledged over the time from
 * the open to the end. {@code user-timeout} aborts the connection when data stays unacknowledged
 * that long (TCP's default applies without it). Default criteria ({@link Criteria}): every byte
 * sent was acknowledged and the connection had no error.
 */
public record TcpStreamWorkload(Ipv4Address host, int port, OptionalLong bytes,
    Optional<Duration> duration, Optional<Duration> userTimeout) implements Workload {
  public static final String KIND = "tcp-stream";

  public TcpStreamWorkload {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535");
    }
    if (bytes.isPresent() && bytes.getAsLong() < 1) {
      throw new IllegalArgumentException("bytes must be at least 1");
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return KIND + " " + host + ":" + port
        + (bytes.isPresent() ? " bytes=" + bytes.getAsLong() + "B" : "")
        + duration.map(d -> " duration=" + DurationText.human(d)).orElse("")
        + userTimeout.map(d -> " user-timeout=" + DurationText.human(d)).orElse("");
  }

  @Override
  public boolean finite() {
    return bytes.isPresent() || duration.isPresent();
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    TcpStreamRun run = new TcpStreamRun(this, stack);
    run.begin();
    return run;
  }
}
