package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses workload specs, words separated by spaces:
 *
 * <pre>
 * ping HOST [count=N] [interval=DURATION] [size=SIZE]
 * udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N]
 * udp-sink PORT
 * echo PORT
 * app CLASS [key=value ...]
 * </pre>
 *
 * Quantities carry their unit, so none is guessed: durations are a decimal number with ns, us,
 * ms, s, m or h ({@code 1s}, {@code 200ms}, {@code 0.5s}); sizes are payload bytes with B or KiB
 * ({@code 56B}, {@code 1KiB}); a rate is datagrams per second ({@code 300/s}). Counts are plain
 * numbers. Errors are {@link WorkloadSyntaxException}s naming the bad word and the usage.
 */
public final class Workloads {
  public static final String PING_USAGE = "ping HOST [count=N] [interval=DURATION] [size=SIZE]";
  public static final String UDP_SEND_USAGE =
      "udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N]";
  public static final String UDP_SINK_USAGE = "udp-sink PORT";
  public static final String ECHO_USAGE = "echo PORT";
  public static final String APP_USAGE = AppWorkload.USAGE;
  private static final String KINDS = "ping, udp-send, udp-sink, echo"
      + ", app";

  private Workloads() {}

  public static Workload parse(String spec) {
    List<String> words = Arrays.asList(spec.trim().split("\\s+"));
    if (spec.isBlank()) {
      throw new WorkloadSyntaxException("empty workload (expected one of: " + KINDS + ")");
    }
    String kind = words.get(0);
    List<String> rest = words.subList(1, words.size());
    switch (kind) {
      case "ping":
        return ping(rest);
      case "udp-send":
        return udpSend(rest);
      case "udp-sink":
        return new UdpSinkWorkload(portOnly("udp-sink", UDP_SINK_USAGE, rest));
      case "echo":
        return new EchoWorkload(portOnly("echo", ECHO_USAGE, rest));
      case AppWorkload.KIND:
        return AppWorkload.parse(rest);
      default:
        throw new WorkloadSyntaxException(
            "unknown workload '" + kind + "' (expected one of: " + KINDS + ")");
    }
  }

  private static Workload ping(List<String> words) {
    SpecReader r = new SpecReader("ping", PING_USAGE, words, keys("count", "interval", "size"), 1);
    return new PingWorkload(r.address("HOST", r.positional(0)), r.count("count"),
        r.duration("interval").orElse(PingWorkload.DEFAULT_INTERVAL),
        r.size("size", PingWorkload.DEFAULT_SIZE, 0, Sockets.MAX_ICMP_PAYLOAD));
  }

  private static Workload udpSend(List<String> words) {
    SpecReader r = new SpecReader("udp-send", UDP_SEND_USAGE, words,
        keys("rate", "size", "duration", "count"), 1);
    String target = r.positional(0);
    int colon = target.lastIndexOf(':');
    if (colon < 0) {
      throw r.error("HOST:PORT '" + target + "' has no ':PORT'");
    }
    OptionalLong count = r.count("count");
    Optional<Duration> duration = r.duration("duration");
    return new UdpSendWorkload(r.address("HOST", target.substring(0, colon)),
        r.port("PORT", target.substring(colon + 1)),
        r.rate("rate").orElse(UdpSendWorkload.DEFAULT_RATE),
        r.size("size", UdpSendWorkload.DEFAULT_SIZE, SequencePayload.LENGTH,
            Sockets.MAX_UDP_PAYLOAD),
        duration, count);
  }

  private static int portOnly(String kind, String usage, List<String> words) {
    SpecReader r = new SpecReader(kind, usage, words, Set.of(), 1);
    return r.port("PORT", r.positional(0));
  }

  private static Set<String> keys(String... names) {
    return new TreeSet<>(Arrays.asList(names));
  }
}
