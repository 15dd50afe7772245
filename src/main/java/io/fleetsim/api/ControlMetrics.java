package io.fleetsim.api;

import io.fleetsim.control.Control;
import io.fleetsim.control.FaultView;
import io.fleetsim.control.Readings;
import io.fleetsim.control.Status;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * {@code /metrics}: every figure of a {@link Control}, read afresh at each scrape (the Control
 * keeps the counters; nothing is counted twice here) and written by the Prometheus client.
 */
final class ControlMetrics implements MultiCollector {
  /** Prometheus' text format 0.0.4, which promtool and every scraper read. */
  static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  /**
   * Ping RTT bucket bounds in seconds: from a loopback reply (100 us) to a VM that stalls for
   * seconds, at 1-2.5-5 steps.
   */
  static final double[] RTT_BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY};

  private final Control control;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  ControlMetrics(Control control) {
    this.control = control;
    registry.register(this);
  }

  /** One scrape in the text format. */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return out.toByteArray();
  }

  @Override
  public MetricSnapshots collect() {
    Readings r = control.readings();
    List<FaultView> faults = control.faults();
    Status status = control.status();
    List<MetricSnapshot> all = new ArrayList<>();
    ports(r.ports(), all);
    links(r.links(), all);
    GaugeSnapshot.Builder vms = GaugeSnapshot.builder().name("fleetsim_vms")
        .help("VMs in each state (running, paused, crashed, ...)");
    r.vmsByState().forEach((state, n) -> vms.dataPoint(gauge(n, "state", state)));
    all.add(vms.build());
    all.add(rtt(r.pingRttMicros()));
    all.add(CounterSnapshot.builder().name("fleetsim_tcp_delivered_bytes")
        .help("Bytes TCP delivered in order to programs, over every VM")
        .dataPoint(counter(r.tcp().bytesDelivered())).build());
    all.add(CounterSnapshot.builder().name("fleetsim_tcp_retransmitted_segments")
        .help("TCP segments sent again, over every VM")
        .dataPoint(counter(r.tcp().segmentsRetransmitted())).build());
    faults(faults, status.elapsedSeconds(), all);
    all.add(GaugeSnapshot.builder().name("fleetsim_elapsed_seconds")
        .help("Seconds since the timeline started, on the run's clock")
        .dataPoint(gauge(status.elapsedSeconds())).build());
    return new MetricSnapshots(all);
  }

  /** Frames, bytes and drops of ports or links: three counter families filled side by side. */
  private record Traffic(CounterSnapshot.Builder frames, CounterSnapshot.Builder bytes,
      CounterSnapshot.Builder drops) {
    static Traffic of(String of, String through, String lost) {
      return new Traffic(
          CounterSnapshot.builder().name("fleetsim_" + of + "_frames").help("Frames " + through),
          CounterSnapshot.builder().name("fleetsim_" + of + "_bytes").help("Bytes " + through),
          CounterSnapshot.builder().name("fleetsim_" + of + "_drops").help("Frames " + lost));
    }

    void addTo(List<MetricSnapshot> all) {
      all.add(frames.build());
      all.add(bytes.build());
      all.add(drops.build());
    }
  }

  private static void ports(List<Readings.PortReading> ports, List<MetricSnapshot> all) {
    Traffic t = Traffic.of("port", "through a network's port: in from its peer, out to it",
        "lost at a network's port, by cause");
    for (Readings.PortReading p : ports) {
      String[] at = {"network", p.network(), "port", p.port(), "vm", p.vm()};
      t.frames().dataPoint(counter(p.framesIn(), at, "direction", "in"));
      t.frames().dataPoint(counter(p.framesOut(), at, "direction", "out"));
      t.bytes().dataPoint(counter(p.bytesIn(), at, "direction", "in"));
      t.bytes().dataPoint(counter(p.bytesOut(), at, "direction", "out"));
      p.drops().forEach((cause, n) -> t.drops().dataPoint(counter(n, at, "cause", cause)));
    }
    t.addTo(all);
  }

  private static void links(List<Readings.LinkReading> links, List<MetricSnapshot> all) {
    Traffic t = Traffic.of("link", "a link between two networks delivered, per direction",
        "a link between two networks lost, per direction and cause");
    for (Readings.LinkReading l : links) {
      String[] at = {"link", l.link(), "direction", l.direction()};
      t.frames().dataPoint(counter(l.frames(), at));
      t.bytes().dataPoint(counter(l.bytes(), at));
      l.drops().forEach((cause, n) -> t.drops().dataPoint(counter(n, at, "cause", cause)));
    }
    t.addTo(all);
  }

  /** Classic buckets from the fleet's HdrHistogram (microseconds); its sum from its mean. */
  static HistogramSnapshot rtt(Map<String, Histogram> fleets) {
    HistogramSnapshot.Builder h = HistogramSnapshot.builder().name("fleetsim_ping_rtt_seconds")
        .help("Ping round trips completed, per fleet");
    fleets.forEach((fleet, micros) -> {
      long[] counts = new long[RTT_BOUNDS.length];
      long below = 0;
      for (int i = 0; i < RTT_BOUNDS.length - 1; i++) {
        long upTo = micros.getTotalCount() == 0 ? 0
            : micros.getCountBetweenValues(0, Math.round(RTT_BOUNDS[i] * 1e6));
        counts[i] = upTo - below;
        below = upTo;
      }
      counts[RTT_BOUNDS.length - 1] = micros.getTotalCount() - below;
      h.dataPoint(HistogramDataPointSnapshot.builder()
          .classicHistogramBuckets(ClassicHistogramBuckets.of(RTT_BOUNDS, counts))
          .sum(micros.getTotalCount() == 0 ? 0 : micros.getMean() * micros.getTotalCount() / 1e6)
          .labels(Labels.of("fleet", fleet)).build());
    });
    return h.build();
  }

  /**
   * Per kind and source: how many faults are on now, and how many activations have started so
   * far. Every kind and source that appears gets both, 0 included, so that a query sees it end.
   */
  private static void faults(List<FaultView> faults, double elapsed, List<MetricSnapshot> all) {
    Map<KindSource, long[]> byKind =
        new TreeMap<>(Comparator.comparing(KindSource::kind).thenComparing(KindSource::source));
    for (FaultView f : faults) {
      long[] n = byKind.computeIfAbsent(new KindSource(f.kind(), f.source()), k -> new long[2]);
      if (f.state().equals("active")) {
        n[0]++;
      }
      n[1] += f.periods().stream().filter(p -> p.start() <= elapsed).count();
    }
    GaugeSnapshot.Builder active = GaugeSnapshot.builder().name("fleetsim_faults_active")
        .help("Faults on now, per kind and source (timeline or api)");
    CounterSnapshot.Builder started = CounterSnapshot.builder().name("fleetsim_faults_started")
        .help("Fault activations started so far, per kind and source (timeline or api)");
    byKind.forEach((key, n) -> {
      active.dataPoint(gauge(n[0], "kind", key.kind(), "source", key.source()));
      started.dataPoint(counter(n[1], new String[] {"kind", key.kind(), "source", key.source()}));
    });
    all.add(active.build());
    all.add(started.build());
  }

  private record KindSource(String kind, String source) {}

  private static CounterDataPointSnapshot counter(double value, String[] labels, String... more) {
    String[] all = new String[labels.length + more.length];
    System.arraycopy(labels, 0, all, 0, labels.length);
    System.arraycopy(more, 0, all, labels.length, more.length);
    return CounterDataPointSnapshot.builder().value(value).labels(Labels.of(all)).build();
  }

  private static CounterDataPointSnapshot counter(double value) {
    return CounterDataPointSnapshot.builder().value(value).build();
  }

  private static GaugeDataPointSnapshot gauge(double value, String... labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
  }
}
