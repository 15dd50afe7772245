package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N]}: datagrams
 * of {@code size} payload bytes (default 64, at least 20) carrying a {@link SequencePayload},
 * paced at {@code rate} per second (default 100). It ends after {@code count} datagrams or
 * {@code duration}, whichever comes first, and runs until stopped with neither.
 *
 * <p>Back-pressure: before each datagram it asks {@link Sockets#canSend}; when the link's ring
 * is full or the next hop is being resolved it waits for {@link Sockets#whenCanSend} instead of
 * dropping, counts the datagram as delayed and then resumes the pace from that moment (no burst
 * to catch up, so the rate is a ceiling). Default criterion ({@link Criteria}): something was sent.
 */
public record UdpSendWorkload(Ipv4Address host, int port, double rate, int size,
    Optional<Duration> duration, OptionalLong count) implements Workload {
  public static final double DEFAULT_RATE = 100;
  public static final int DEFAULT_SIZE = 64;

  public UdpSendWorkload {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535");
    }
    if (!(rate > 0)) {
      throw new IllegalArgumentException("rate must be positive");
    }
    if (size < SequencePayload.LENGTH || size > Sockets.MAX_UDP_PAYLOAD) {
      throw new IllegalArgumentException(
          "size must be " + SequencePayload.LENGTH + "-" + Sockets.MAX_UDP_PAYLOAD);
    }
  }

  public static final String KIND = "udp-send";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return "udp-send " + host + ":" + port + " rate=" + rateText(rate) + "/s size=" + size + "B"
        + duration.map(d -> " duration=" + DurationText.human(d)).orElse("")
        + (count.isPresent() ? " count=" + count.getAsLong() : "");
  }

  static String rateText(double r) {
    return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
  }

  @Override
  public boolean finite() {
    return duration.isPresent() || count.isPresent();
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    UdpSendRun run = new UdpSendRun(this, stack);
    run.begin();
    return run;
  }
}
