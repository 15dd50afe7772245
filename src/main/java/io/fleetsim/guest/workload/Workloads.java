package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
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
 * ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N]
 * traceroute HOST [max-hops=N] [probes=N] [wait=DURATION]
 * udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N]
 * udp-sink PORT
 * echo PORT
 * tcp-stream HOST:PORT [bytes=AMOUNT] [duration=DURATION] [user-timeout=DURATION]
 * tcp-sink PORT
 * tcp-rr HOST:PORT [size=AMOUNT] [rate=N/s] [duration=DURATION] [count=N] [user-timeout=DURATION]
 * tcp-echo PORT
 * http-serve PORT [size=AMOUNT]
 * http-get URL [count=N] [interval=DURATION] [user-timeout=DURATION]
 * dhcp-server POOL [router=ADDR] [lease=DURATION] [dns=ADDR]
 * app CLASS [key=value ...]
 * </pre>
 *
 * Quantities carry their unit, so none is guessed: durations are a decimal number with ns, us,
 * ms, s, m or h ({@code 1s}, {@code 200ms}, {@code 0.5s}); packet sizes (ping, udp-send) are
 * payload bytes with B or KiB ({@code 56B}, {@code 1KiB}); amounts of stream data (tcp-stream
 * bytes, tcp-rr and http-serve size) take B, kB, KiB, MB, MiB, GB or GiB ({@code 10MB} =
 * 10,000,000 bytes); a rate is datagrams or transactions per second ({@code 300/s}). Counts are
 * plain numbers. Errors are {@link WorkloadSyntaxException}s naming the bad word and the usage.
 */
public final class Workloads {
  public static final String PING_USAGE =
      "ping HOST [count=N] [interval=DURATION] [size=SIZE] [ttl=N]";
  public static final String TRACEROUTE_USAGE =
      "traceroute HOST [max-hops=N] [probes=N] [wait=DURATION]";
  public static final String UDP_SEND_USAGE =
      "udp-send HOST:PORT [rate=N/s] [size=SIZE] [duration=DURATION] [count=N]";
  public static final String UDP_SINK_USAGE = "udp-sink PORT";
  public static final String ECHO_USAGE = "echo PORT";
  /** The option the TCP clients share; the two long usages are split before it for help texts. */
  public static final String USER_TIMEOUT_OPTION = "[user-timeout=DURATION]";
  public static final String TCP_STREAM_USAGE_START =
      "tcp-stream HOST:PORT [bytes=AMOUNT] [duration=DURATION]";
  public static final String TCP_STREAM_USAGE = TCP_STREAM_USAGE_START + " " + USER_TIMEOUT_OPTION;
  public static final String TCP_SINK_USAGE = "tcp-sink PORT";
  public static final String TCP_RR_USAGE_START =
      "tcp-rr HOST:PORT [size=AMOUNT] [rate=N/s] [duration=DURATION] [count=N]";
  public static final String TCP_RR_USAGE = TCP_RR_USAGE_START + " " + USER_TIMEOUT_OPTION;
  public static final String TCP_ECHO_USAGE = "tcp-echo PORT";
  public static final String HTTP_SERVE_USAGE = "http-serve PORT [size=AMOUNT]";
  public static final String HTTP_GET_USAGE =
      "http-get URL [count=N] [interval=DURATION] [user-timeout=DURATION]";
  public static final String DHCP_SERVER_USAGE =
      "dhcp-server POOL [router=ADDR] [lease=DURATION] [dns=ADDR]";
  public static final String APP_USAGE = AppWorkload.USAGE;
  private static final String KINDS = "ping, traceroute, udp-send, udp-sink, echo, tcp-stream, tcp-sink,"
      + " tcp-rr, tcp-echo, http-serve, http-get, dhcp-server"
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
      case TracerouteWorkload.KIND:
        return traceroute(rest);
      case "udp-send":
        return udpSend(rest);
      case "udp-sink":
        return new UdpSinkWorkload(portOnly("udp-sink", UDP_SINK_USAGE, rest));
      case "echo":
        return new EchoWorkload(portOnly("echo", ECHO_USAGE, rest));
      case TcpStreamWorkload.KIND:
        return tcpStream(rest);
      case TcpSinkWorkload.KIND:
        return new TcpSinkWorkload(portOnly(TcpSinkWorkload.KIND, TCP_SINK_USAGE, rest));
      case TcpRrWorkload.KIND:
        return tcpRr(rest);
      case TcpEchoWorkload.KIND:
        return new TcpEchoWorkload(portOnly(TcpEchoWorkload.KIND, TCP_ECHO_USAGE, rest));
      case HttpServeWorkload.KIND:
        return httpServe(rest);
      case HttpGetWorkload.KIND:
        return httpGet(rest);
      case DhcpServerWorkload.KIND:
        return dhcpServer(rest);
      case AppWorkload.KIND:
        return AppWorkload.parse(rest);
      default:
        throw new WorkloadSyntaxException(
            "unknown workload '" + kind + "' (expected one of: " + KINDS + ")");
    }
  }

  private static Workload ping(List<String> words) {
    SpecReader r = new SpecReader("ping", PING_USAGE, words,
        keys("count", "interval", "size", "ttl"), 1);
    return new PingWorkload(r.address("HOST", r.positional(0)), r.count("count"),
        r.duration("interval").orElse(PingWorkload.DEFAULT_INTERVAL),
        r.size("size", PingWorkload.DEFAULT_SIZE, 0, Sockets.MAX_ICMP_PAYLOAD),
        r.number("ttl", PingWorkload.DEFAULT_TTL, 1, 255));
  }

  private static Workload traceroute(List<String> words) {
    SpecReader r = new SpecReader(TracerouteWorkload.KIND, TRACEROUTE_USAGE, words,
        keys("max-hops", "probes", "wait"), 1);
    Duration wait = r.duration("wait").orElse(TracerouteWorkload.DEFAULT_WAIT);
    return new TracerouteWorkload(r.address("HOST", r.positional(0)),
        r.number("max-hops", TracerouteWorkload.DEFAULT_MAX_HOPS, 1, 255),
        r.number("probes", TracerouteWorkload.DEFAULT_PROBES, 1, 10), wait);
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

  private static Workload tcpStream(List<String> words) {
    SpecReader r = new SpecReader(TcpStreamWorkload.KIND, TCP_STREAM_USAGE, words,
        keys("bytes", "duration", "user-timeout"), 1);
    HostPort to = hostPort(r, r.positional(0));
    return new TcpStreamWorkload(to.host(), to.port(), r.bytes("bytes", 1, Long.MAX_VALUE / 8),
        r.duration("duration"), r.duration("user-timeout"));
  }

  private static Workload tcpRr(List<String> words) {
    SpecReader r = new SpecReader(TcpRrWorkload.KIND, TCP_RR_USAGE, words,
        keys("size", "rate", "duration", "count", "user-timeout"), 1);
    HostPort to = hostPort(r, r.positional(0));
    return new TcpRrWorkload(to.host(), to.port(),
        (int) r.bytes("size", 1, TcpRrWorkload.MAX_SIZE).orElse(TcpRrWorkload.DEFAULT_SIZE),
        r.rate("rate", "transactions"), r.duration("duration"), r.count("count"),
        r.duration("user-timeout"));
  }

  private static Workload httpServe(List<String> words) {
    SpecReader r = new SpecReader(HttpServeWorkload.KIND, HTTP_SERVE_USAGE, words, keys("size"), 1);
    return new HttpServeWorkload(r.port("PORT", r.positional(0)),
        r.bytes("size", 0, HttpServeWorkload.MAX_SIZE).orElse(HttpServeWorkload.DEFAULT_SIZE));
  }

  private static Workload httpGet(List<String> words) {
    SpecReader r = new SpecReader(HttpGetWorkload.KIND, HTTP_GET_USAGE, words,
        keys("count", "interval", "user-timeout"), 1);
    String url = r.positional(0);
    String scheme = "http://";
    if (!url.regionMatches(true, 0, scheme, 0, scheme.length())) {
      throw r.error("URL '" + url + "' is not http://HOST[:PORT][/PATH]"
          + (url.regionMatches(true, 0, "https://", 0, 8) ? " (https is not supported)" : ""));
    }
    String rest = url.substring(scheme.length());
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "/" : rest.substring(slash);
    if (path.indexOf('#') >= 0) {
      path = path.substring(0, path.indexOf('#')); // a fragment is not sent (RFC 9110 4.2.4)
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw r.error("URL '" + url + "' has a character a request target cannot carry");
      }
    }
    int colon = authority.lastIndexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    if (host.isEmpty() || authority.indexOf('@') >= 0) {
      throw r.error("URL '" + url + "' has no HOST (http://HOST[:PORT][/PATH])");
    }
    return new HttpGetWorkload(r.address("HOST", host),
        colon < 0 ? 80 : r.port("PORT", authority.substring(colon + 1)), path,
        r.count("count").orElse(1), r.duration("interval"), r.duration("user-timeout"));
  }

  private static Workload dhcpServer(List<String> words) {
    SpecReader r = new SpecReader(DhcpServerWorkload.KIND, DHCP_SERVER_USAGE, words,
        keys("router", "lease", "dns"), 1);
    DhcpPool pool;
    try {
      pool = DhcpPool.parse(r.positional(0));
    } catch (IllegalArgumentException e) {
      throw r.error(e.getMessage());
    }
    Optional<Ipv4Address> router = hostOption(r, "router");
    Optional<Ipv4Address> dns = hostOption(r, "dns");
    try {
      return new DhcpServerWorkload(pool, router,
          r.duration("lease").orElse(DhcpServerWorkload.DEFAULT_LEASE), dns);
    } catch (IllegalArgumentException e) {
      throw r.error(e.getMessage());
    }
  }

  /** Option {@code key=ADDR}, a unicast address, when given. */
  private static Optional<Ipv4Address> hostOption(SpecReader r, String key) {
    Optional<Ipv4Address> a = r.option(key).map(text -> r.address(key + "=", text));
    if (a.isPresent() && (a.get().isBroadcast() || a.get().isMulticast())) {
      throw r.error(key + "=" + a.get() + " is not a host address");
    }
    return a;
  }

  private record HostPort(io.fleetsim.addr.Ipv4Address host, int port) {}

  private static HostPort hostPort(SpecReader r, String target) {
    int colon = target.lastIndexOf(':');
    if (colon < 0) {
      throw r.error("HOST:PORT '" + target + "' has no ':PORT'");
    }
    return new HostPort(r.address("HOST", target.substring(0, colon)),
        r.port("PORT", target.substring(colon + 1)));
  }

  private static int portOnly(String kind, String usage, List<String> words) {
    SpecReader r = new SpecReader(kind, usage, words, Set.of(), 1);
    return r.port("PORT", r.positional(0));
  }

  private static Set<String> keys(String... names) {
    return new TreeSet<>(Arrays.asList(names));
  }
}
