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
 * units (a count, a percentage, nanoseconds); empty when the result has no such figure (no RTT
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
    DURATION
  }

  private static final Map<String, Map<String, Metric>> BY_KIND = table();

  public OptionalDouble of(WorkloadResult result) {
    return reader.apply(result);
  }

  /** The metrics of workload {@code kind} (ping, udp-send, udp-sink, echo), in a fixed order. */
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
        percent("loss", "requests not answered, % of transmitted",
            r -> share(r.transmitted() - r.received(), r.transmitted())),
        rtt("rtt-min", "shortest round trip", RttStats::minNanos),
        rtt("rtt-mean", "mean round trip", RttStats::meanNanos),
        rtt("rtt-p50", "median round trip", RttStats::p50Nanos),
        rtt("rtt-p90", "90th percentile round trip", RttStats::p90Nanos),
        rtt("rtt-p99", "99th percentile round trip", RttStats::p99Nanos),
        rtt("rtt-max", "longest round trip", RttStats::maxNanos))));
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
