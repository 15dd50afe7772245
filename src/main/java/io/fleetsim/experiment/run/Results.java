package io.fleetsim.experiment.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.fabric.PortStats;
import io.fleetsim.guest.workload.PingResult;
import io.fleetsim.guest.workload.RttStats;
import io.fleetsim.guest.workload.WorkloadResult;
import io.fleetsim.report.ReportWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * results.json (and report.html from it): the experiment, the per-second series, the fault
 * timeline as it happened, per-workload results, per-link frame accounting, per-VM counters.
 * The accounting check lives here: every direction of every in-process link must balance.
 */
final class Results {
  static final ObjectMapper JSON = io.fleetsim.report.Json.MAPPER;

  private final Experiment experiment;
  private final Optional<Path> file;
  private final Instant started;
  private final Wiring wiring;
  private final Conductor.Record record;
  private final Map<String, Map<String, Object>> reports;
  private final Map<String, Object> host;

  Results(Experiment experiment, Optional<Path> file, Instant started, Wiring wiring,
      Conductor.Record record, Map<String, Map<String, Object>> reports, Map<String, Object> host) {
    this.host = host;
    this.experiment = experiment;
    this.file = file;
    this.started = started;
    this.wiring = wiring;
    this.record = record;
    this.reports = reports;
  }

  ExperimentRun.Outcome write(Path folder) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject("experiment");
    e.put("name", experiment.name());
    e.put("file", file.map(Path::toString).orElse(null));
    e.put("seed", experiment.seed());
    e.put("durationSeconds", experiment.duration().toMillis() / 1000.0);
    e.put("ranSeconds", record.ran().toMillis() / 1000.0);
    e.put("startedAt", started.toString());
    e.put("vmCount", wiring.vms.size());
    e.put("fleetsimVersion", version());
    root.set("host", JSON.valueToTree(host));
    series(root.putObject("series"));
    root.set("faults", JSON.valueToTree(record.faults()));
    List<String> failed = new ArrayList<>();
    workloads(root.putArray("workloads"), failed);
    List<String> errors = new ArrayList<>();
    links(root.putArray("links"), errors);
    ArrayNode vms = root.putArray("vms");
    reports.values().forEach(r -> vms.add(JSON.valueToTree(r)));
    ObjectNode accounting = root.putObject("accounting");
    accounting.put("ok", errors.isEmpty());
    accounting.set("errors", JSON.valueToTree(errors));
    JSON.writeValue(folder.resolve("results.json").toFile(), root);
    if (experiment.report().html()) {
      ReportWriter.write(root, folder.resolve("report.html"));
    }
    return new ExperimentRun.Outcome(folder, errors.isEmpty(), errors, failed);
  }

  private void series(ObjectNode series) {
    ArrayNode seconds = series.putArray("seconds");
    ArrayNode frames = series.putArray("framesPerSecond");
    ArrayNode bytes = series.putArray("bytesPerSecond");
    ArrayNode drops = series.putArray("dropsPerSecond");
    ArrayNode loss = series.putArray("lossPercent");
    ObjectNode rtt = series.putObject("rttMillis");
    ArrayNode p50 = rtt.putArray("p50");
    ArrayNode p99 = rtt.putArray("p99");
    ArrayNode max = rtt.putArray("max");
    for (Conductor.Sample s : record.samples()) {
      seconds.add(s.second());
      frames.add(s.frames());
      bytes.add(s.bytes());
      drops.add(s.drops());
      loss.add(s.frames() + s.drops() == 0 ? 0.0 : round(100.0 * s.drops() / (s.frames() + s.drops())));
      if (s.rtt().isPresent()) {
        Histogram h = s.rtt().get();
        p50.add(h.getValueAtPercentile(50) / 1000.0);
        p99.add(h.getValueAtPercentile(99) / 1000.0);
        max.add(h.getMaxValue() / 1000.0);
      } else {
        p50.addNull();
        p99.addNull();
        max.addNull();
      }
    }
  }

  /** One entry per workload run; those that did not succeed are added to {@code failed}. */
  @SuppressWarnings("unchecked")
  private void workloads(ArrayNode out, List<String> failed) {
    for (Map.Entry<String, Map<String, Object>> vm : reports.entrySet()) {
      Object guest = vm.getValue().get("guest");
      if (!(guest instanceof Map)) {
        continue;
      }
      for (Map<String, Object> run : (List<Map<String, Object>>) ((Map<String, Object>) guest).get("workloads")) {
        ObjectNode w = out.addObject();
        w.put("vm", vm.getKey());
        w.put("workload", String.valueOf(run.get("workload")));
        w.put("done", Boolean.TRUE.equals(run.get("done")));
        Object result = run.get("result");
        if (result instanceof WorkloadResult r) {
          w.put("kind", r.getClass().getSimpleName().replace("Result", "").toLowerCase(java.util.Locale.ROOT));
          w.put("success", r.success());
          w.put("summary", r.summary());
          if (!r.success()) {
            failed.add(vm.getKey() + ": " + r.summary());
          }
          if (r instanceof PingResult ping) {
            w.put("transmitted", ping.transmitted());
            w.put("received", ping.received());
            w.put("duplicates", ping.duplicates());
            w.put("lossPercent", ping.transmitted() == 0 ? 0.0
                : round(100.0 * (ping.transmitted() - ping.received()) / ping.transmitted()));
            ping.rtt().ifPresent(rtt -> rttMillis(w.putObject("rttMillis"), rtt));
          } else {
            w.set("result", JSON.valueToTree(r));
          }
        }
      }
    }
  }

  private static void rttMillis(ObjectNode o, RttStats rtt) {
    o.put("min", rtt.minNanos() / 1e6);
    o.put("mean", rtt.meanNanos() / 1e6);
    o.put("p50", rtt.p50Nanos() / 1e6);
    o.put("p90", rtt.p90Nanos() / 1e6);
    o.put("p99", rtt.p99Nanos() / 1e6);
    o.put("max", rtt.maxNanos() / 1e6);
  }

  /** Per link direction: sent + duplicated = delivered + dropped + held, else an error. */
  private void links(ArrayNode out, List<String> errors) {
    for (Link link : wiring.links) {
      for (Link.Direction d : List.of(link.out(), link.in())) {
        ObjectNode o = out.addObject();
        o.put("name", link.name() + " " + d.name());
        o.put("vm", link.vm().name());
        o.put("network", link.network());
        o.put("direction", d.name());
        o.put("sent", d.sent());
        o.put("duplicated", d.added());
        o.put("delivered", d.delivered());
        o.put("held", d.held());
        o.set("dropped", JSON.valueToTree(d.dropped()));
        long imbalance = d.imbalance();
        o.put("balanced", imbalance == 0);
        if (imbalance != 0) {
          o.put("imbalance", imbalance);
          errors.add(link.name() + " " + d.name() + ": sent " + d.sent() + " + duplicated " + d.added()
              + " != delivered " + d.delivered() + " + dropped " + d.droppedTotal() + " + held " + d.held()
              + " (" + (imbalance > 0 ? imbalance + " frames unaccounted for" : -imbalance + " frames too many") + ")");
        }
      }
      PortStats port = link.portStats();
      if (port.dropped() > 0) {
        ObjectNode o = out.addObject();
        o.put("name", link.name() + " fabric port");
        o.put("network", link.network());
        o.set("dropped", JSON.valueToTree(nonZero(port.drops())));
        o.put("balanced", true);
      }
    }
    for (ExternalPort port : wiring.externalPorts) {
      PortStats s = port.stats();
      ObjectNode o = out.addObject();
      o.put("name", port.id() + " (QEMU port)");
      o.put("network", port.network());
      o.put("framesIn", s.framesIn());
      o.put("framesOut", s.framesOut());
      o.set("dropped", JSON.valueToTree(nonZero(s.drops())));
      o.put("balanced", true); // its far end is outside fleetsim: nothing to check it against
    }
  }

  private static Map<String, Long> nonZero(Map<String, Long> drops) {
    Map<String, Long> out = new java.util.TreeMap<>(drops);
    out.values().removeIf(n -> n == 0);
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String version() {
    return io.fleetsim.Version.get();
  }

  static JsonNode read(Path results) throws IOException {
    return JSON.readTree(results.toFile());
  }
}
