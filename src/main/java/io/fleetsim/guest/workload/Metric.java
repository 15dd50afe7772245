package io.fleetsim.guest.workload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * A figure of one workload kind's result that an {@link Expectation} can test: its name
 * ({@code loss}, {@code rtt-p99}), its unit, and how it is read from a result. Values are in base
 * units (a count, a percentage, nanoseconds, bits per second, events per second); empty when the result has no such figure (no RTT
 * without replies, no loss before anything was sent). A name means the same, in the same unit,
 * for every kind that has it.
 */
public record Metric(String name, Unit unit, String doc,
    Function<WorkloadResult, OptionalDouble> reader) {

  /** What a metric's value is, and so how an expectation must write its threshold. */
  public enum Unit {
    /** A whole number, written without a unit: {@code received >= 1000}. */
    COUNT,
    /** Written with {@code %}: {@code loss < 5%}. */
    PERCENT,
    /** Nanoseconds, written with ns, us, ms or s: {@code rtt-p99 < 200ms}. */
    DURATION,
    /** Bits per second, written with bit/s, kbit/s, Mbit/s or Gbit/s: {@code goodput >= 5Mbit/s}. */
    BIT_RATE,
    /** Events per second, written with /s: {@code transaction-rate >= 100/s}. */
    PER_SECOND
  }

  private static final Map<String, Map<String, Metric>> BY_KIND = table();

  public OptionalDouble of(WorkloadResult result) {
    return reader.apply(result);
  }

  /** The metrics of workload {@code kind} ({@link Workload#kind}), in a fixed order. */
  public static Map<String, Metric> of(String kind) {
    return BY_KIND.getOrDefault(kind, Map.of());
  }

  /** The workload kinds that have metrics, in a fixed order. */
  public static List<String> kinds() {
    return List.copyOf(BY_KIND.keySet());
  }

  /** The metric called {@code name} in any kind (units agree across kinds). */
  static Optional<Metric> anyNamed(String name) {
    for (Map<String, Metric> metrics : BY_KIND.values()) {
      if (metrics.containsKey(name)) {
        return Optional.of(metrics.get(name));
      }
    }
    return Optional.empty();
  }

  private static Map<String, Map<String, Metric>> table() {
    Map<String, Map<String, Metric>> t = new LinkedHashMap<>();
    t.put(PingWorkload.KIND, kind(PingResult.class, List.of(
        count("transmitted", "echo requests sent", PingResult::transmitted),
        count("received", "requests answered (first replies)", PingResult::received),
        count("duplicates", "extra replies to answered requests", PingResult::duplicates),
        count("errors", "ICMP errors about the requests (time exceeded, unreachable)",
            PingResult::errors),
        percent("loss", "requests not answered, % of transmitted",
            r -> share(r.transmitted() - r.received(), r.transmitted())),
        rtt("rtt-min", "shortest round trip", RttStats::minNanos),
        rtt("rtt-mean", "mean round trip", RttStats::meanNanos),
        rtt("rtt-p50", "median round trip", RttStats::p50Nanos),
        rtt("rtt-p90", "90th percentile round trip", RttStats::p90Nanos),
        rtt("rtt-p99", "99th percentile round trip", RttStats::p99Nanos),
        rtt("rtt-max", "longest round trip", RttStats::maxNanos))));
    t.put(TracerouteWorkload.KIND, kind(TracerouteResult.class, List.of(
        count("reached", "1 when the destination answered, else 0", r -> r.reached() ? 1 : 0),
        count("hops", "hops listed (the last is the destination when reached)",
            r -> r.hops().size()))));
    t.put(UdpSendWorkload.KIND, kind(UdpSendResult.class, List.of(
        count("sent", "datagrams the stack accepted", UdpSendResult::sent),
        count("dropped", "datagrams the stack refused (no route, link down)", UdpSendResult::dropped),
        count("delayed", "datagrams that waited for back-pressure", UdpSendResult::delayed))));
    t.put(UdpSinkWorkload.KIND, kind(UdpSinkResult.class, List.of(
        count("received", "distinct udp-send datagrams", UdpSinkResult::received),
        count("lost", "sequence numbers that never arrived", UdpSinkResult::lost),
        percent("loss", "lost, % of received + lost", r -> share(r.lost(), r.received() + r.lost())),
        count("duplicates", "arrivals of a number already seen", UdpSinkResult::duplicates),
        count("out-of-order", "arrivals below the highest number seen", UdpSinkResult::outOfOrder),
        count("streams", "udp-send runs heard (a rebooted sender is a new one)",
            r -> r.senders().size()))));
    t.put(EchoWorkload.KIND, kind(EchoResult.class, List.of(
        count("echoed", "datagrams sent back", EchoResult::echoed),
        count("dropped", "replies the stack refused", EchoResult::dropped))));
    t.put(TcpStreamWorkload.KIND, kind(TcpStreamResult.class, List.of(
        count("bytes-sent", "stream bytes the connection took", TcpStreamResult::bytesSent),
        count("bytes-acked", "of those, bytes the peer acknowledged", TcpStreamResult::bytesAcked),
        percent("acked", "bytes-acked, % of bytes-sent (none before a byte was sent)",
            r -> share(r.bytesAcked(), r.bytesSent())),
        bitRate("goodput", "bytes-acked x 8 per second of the connection's life",
            TcpStreamResult::goodputBitsPerSecond),
        count("retransmissions", "segments TCP sent again", r -> r.stats().retransmissions()),
        count("timeouts", "retransmission timer expiries", r -> r.stats().timeouts()),
        count("errors", "1 when the connection failed (refused, reset, timed out, ...), else 0",
            r -> r.error().isPresent() ? 1 : 0))));
    t.put(TcpSinkWorkload.KIND, kind(TcpSinkResult.class, List.of(
        count("bytes-received", "stream bytes over every connection", TcpSinkResult::bytesReceived),
        count("connections", "connections accepted", r -> r.connections().size()),
        count("corrupt-bytes", "received bytes that differ from tcp-stream's pattern",
            r -> r.connections().stream().mapToLong(TcpSinkConnection::corruptBytes).sum()),
        count("complete", "connections the sender closed in order (whole stream received)",
            r -> r.connections().stream().filter(TcpSinkConnection::complete).count()),
        count("errors", "connections that ended with an error", TcpSinkResult::errors),
        bitRate("goodput", "bytes-received x 8 per second, first accept to last end",
            TcpSinkResult::goodputBitsPerSecond))));
    t.put(TcpRrWorkload.KIND, kind(TcpRrResult.class, List.of(
        count("transactions", "requests answered in full", TcpRrResult::transactions),
        perSecond("transaction-rate", "transactions per second of the connection's life",
            TcpRrResult::transactionsPerSecond),
        latency("latency-min", "fastest transaction", RttStats::minNanos),
        latency("latency-mean", "mean transaction time", RttStats::meanNanos),
        latency("latency-p50", "median transaction time", RttStats::p50Nanos),
        latency("latency-p90", "90th percentile transaction time", RttStats::p90Nanos),
        latency("latency-p99", "99th percentile transaction time", RttStats::p99Nanos),
        latency("latency-max", "slowest transaction", RttStats::maxNanos),
        count("retransmissions", "segments TCP sent again", r -> r.stats().retransmissions()),
        count("errors", "1 when the connection failed (refused, reset, timed out, ...), else 0",
            r -> r.error().isPresent() ? 1 : 0))));
    t.put(TcpEchoWorkload.KIND, kind(TcpEchoResult.class, List.of(
        count("bytes-echoed", "bytes sent back over every connection", TcpEchoResult::bytesEchoed),
        count("connections", "connections accepted", r -> r.connections().size()),
        count("errors", "connections that ended with an error", TcpEchoResult::errors))));
    t.put(HttpServeWorkload.KIND, kind(HttpServeResult.class, List.of(
        count("requests", "request heads received, well-formed or not", HttpServeResult::requests),
        count("responses", "responses sent in full, any status", HttpServeResult::responseCount),
        count("bad-requests", "malformed requests (answered 400, 431, 501 or 505)",
            HttpServeResult::badRequests),
        count("connections", "connections accepted", HttpServeResult::connections),
        count("bytes-sent", "response bytes, heads and bodies", HttpServeResult::bytesSent))));
    t.put(HttpGetWorkload.KIND, kind(HttpGetResult.class, List.of(
        count("requests", "requests made", r -> r.requests().size()),
        count("ok", "full responses with a 2xx status", HttpGetResult::okCount),
        percent("failed", "requests without a full 2xx response, % of requests (none before one)",
            r -> share(r.requests().size() - r.okCount(), r.requests().size())),
        count("errors", "requests that got no full response (refused, reset, timed out, ...)",
            HttpGetResult::errorCount),
        count("connections", "connections opened", HttpGetResult::connections),
        count("body-bytes", "body bytes received over every request", HttpGetResult::bodyBytes))));
    t.put(DhcpServerWorkload.KIND, kind(DhcpServerResult.class, List.of(
        count("offers", "OFFERs sent", DhcpServerResult::offers),
        count("acks", "ACKs sent (new leases and renewals)", DhcpServerResult::acks),
        count("naks", "NAKs sent", DhcpServerResult::naks),
        count("declines", "addresses clients DECLINEd (in use by someone else)",
            DhcpServerResult::declines),
        count("releases", "leases clients RELEASEd", DhcpServerResult::releases),
        count("exhausted", "DISCOVERs left unanswered: no address free", DhcpServerResult::exhausted),
        count("malformed", "datagrams to port 67 that are not DHCP requests",
            DhcpServerResult::malformed),
        count("leases", "leases active at the end", r -> r.leases().size()),
        count("refused", "1 when it could not serve on an interface that holds its pool (or had"
            + " no address), else 0", r -> r.refused() ? 1 : 0))));
    t.put(AppWorkload.KIND, kind(AppResult.class, List.of(
        count("succeeded", "1 when the app reported success, else 0", r -> r.succeeded() ? 1 : 0))));
    return Collections.unmodifiableMap(t);
  }

  /** A metric on one result type, before it is bound to its kind's result class. */
  private record Typed<R>(String name, Unit unit, String doc, Function<R, OptionalDouble> reader) {}

  private static <R extends WorkloadResult> Map<String, Metric> kind(Class<R> type,
      List<Typed<R>> metrics) {
    Map<String, Metric> out = new LinkedHashMap<>();
    for (Typed<R> m : metrics) {
      out.put(m.name(), new Metric(m.name(), m.unit(), m.doc(),
          r -> type.isInstance(r) ? m.reader().apply(type.cast(r)) : OptionalDouble.empty()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static <R> Typed<R> count(String name, String doc, Function<R, Number> value) {
    return new Typed<>(name, Unit.COUNT, doc, r -> OptionalDouble.of(value.apply(r).doubleValue()));
  }

  private static <R> Typed<R> percent(String name, String doc, Function<R, OptionalDouble> value) {
    return new Typed<>(name, Unit.PERCENT, doc, value);
  }

  private static <R> Typed<R> bitRate(String name, String doc, Function<R, Double> value) {
    return new Typed<>(name, Unit.BIT_RATE, doc, r -> OptionalDouble.of(value.apply(r)));
  }

  private static <R> Typed<R> perSecond(String name, String doc, Function<R, Double> value) {
    return new Typed<>(name, Unit.PER_SECOND, doc, r -> OptionalDouble.of(value.apply(r)));
  }

  /** A transaction time in nanoseconds; none before the first transaction. */
  private static Typed<TcpRrResult> latency(String name, String doc,
      Function<RttStats, Long> nanos) {
    return new Typed<>(name, Unit.DURATION, doc, r -> r.latency()
        .map(s -> OptionalDouble.of(nanos.apply(s))).orElse(OptionalDouble.empty()));
  }

  /** A round-trip figure in nanoseconds; none without replies. */
  private static Typed<PingResult> rtt(String name, String doc, Function<RttStats, Long> nanos) {
    return new Typed<>(name, Unit.DURATION, doc, r -> r.rtt()
        .map(s -> OptionalDouble.of(nanos.apply(s))).orElse(OptionalDouble.empty()));
  }

  private static OptionalDouble share(long part, long whole) {
    return whole <= 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * part / whole);
  }

  /** Every metric name with the kinds that have it, for error messages: "loss (ping, udp-sink)". */
  static List<String> catalogue() {
    Map<String, List<String>> kinds = new LinkedHashMap<>();
    BY_KIND.forEach((kind, metrics) -> metrics.keySet()
        .forEach(name -> kinds.computeIfAbsent(name, n -> new ArrayList<>()).add(kind)));
    List<String> out = new ArrayList<>();
    kinds.forEach((name, k) -> out.add(name + " (" + String.join(", ", k) + ")"));
    return out;
  }
}
