package io.fleetsim.experiment.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetsim.experiment.Experiment;
import io.fleetsim.link.PortStats;
import io.fleetsim.guest.os.WorkloadReport;
import io.fleetsim.guest.workload.PingResult;
import io.fleetsim.guest.workload.RttStats;
import io.fleetsim.guest.workload.Workload;
import io.fleetsim.report.ReportWriter;
import io.fleetsim.vm.VmReport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
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
 * The accounting check lives here: every direction of every VM's link and of every network port
 * must balance.
 */
final class Results {
  static final ObjectMapper JSON = io.fleetsim.report.Json.MAPPER;
  /** results.json's writer: as {@link #JSON} writes, without a flush after every entry. */
  static final ObjectWriter WRITER = JSON.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  private final Experiment experiment;
  private final Optional<Path> file;
  private final Instant started;
  private final Wiring wiring;
  private final Conductor.Record record;
  private final Map<String, VmEntry> reports;
  private final Map<String, List<FleetVm.Boot>> boots;
  private final Map<String, Object> host;
  private final PingRtts rtts;

  Results(Experiment experiment, Optional<Path> file, Instant started, Wiring wiring,
      Conductor.Record record, Map<String, VmEntry> reports,
      Map<String, List<FleetVm.Boot>> boots, Map<String, Object> host, PingRtts rtts) {
    this.host = host;
    this.boots = boots;
    this.rtts = rtts;
    this.experiment = experiment;
    this.file = file;
    this.started = started;
    this.wiring = wiring;
    this.record = record;
    this.reports = reports;
  }

  ExperimentRun.Outcome write(Path folder) throws IOException {
    List<String> failed = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Path json = folder.resolve("results.json");
    // section by section and entry by entry: at 100,000 VMs the document as one tree would not
    // fit the heap the VMs leave; each entry's tree is dropped once it is written
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(json), 1 << 16);
        JsonGenerator g = WRITER.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("experiment");
      WRITER.writeValue(g, experiment());
      g.writeObjectFieldStart("topology");
      TopologySection.write(g, experiment);
      g.writeEndObject();
      g.writeFieldName("host");
      WRITER.writeValue(g, HostFacts.finish(host));
      ObjectNode series = JSON.createObjectNode();
      series(series);
      g.writeFieldName("series");
      WRITER.writeValue(g, series);
      ObjectNode totals = JSON.createObjectNode();
      totals(totals);
      g.writeFieldName("totals");
      WRITER.writeValue(g, totals);
      g.writeFieldName("faults");
      WRITER.writeValue(g, record.faults());
      g.writeArrayFieldStart("fleets");
      fleets(entry -> WRITER.writeValue(g, entry));
      g.writeEndArray();
      g.writeArrayFieldStart("workloads");
      workloads(entry -> WRITER.writeValue(g, entry), failed);
      g.writeEndArray();
      g.writeArrayFieldStart("links");
      links(entry -> WRITER.writeValue(g, entry), errors);
      g.writeEndArray();
      g.writeArrayFieldStart("vms");
      for (VmEntry r : reports.values()) {
        r.write(WRITER, g);
      }
      g.writeEndArray();
      g.writeObjectFieldStart("accounting");
      g.writeBooleanField("ok", errors.isEmpty());
      g.writeFieldName("errors");
      WRITER.writeValue(g, errors);
      g.writeEndObject();
      g.writeEndObject();
    }
    if (experiment.report().html()) {
      ReportWriter.write(json, folder.resolve("report.html"));
    }
    return new ExperimentRun.Outcome(folder, errors.isEmpty(), errors, failed);
  }

  /** Where each entry of an array section goes as soon as it is made. */
  private interface Entries {
    void add(ObjectNode entry) throws IOException;
  }

  private ObjectNode experiment() {
    ObjectNode e = JSON.createObjectNode();
    e.put("name", experiment.name());
    e.put("file", file.map(Path::toString).orElse(null));
    e.put("seed", experiment.seed());
    e.put("durationSeconds", experiment.duration().toMillis() / 1000.0);
    e.put("ranSeconds", record.ran().toMillis() / 1000.0);
    e.put("startedAt", started.toString()); // the run's clock: in virtual time the same every run
    e.put("vmCount", wiring.vms.size());
    e.put("fleetsimVersion", version());
    return e;
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
    ArrayNode goodput = series.putArray("tcpGoodputBitsPerSecond");
    ArrayNode retransmissions = series.putArray("tcpRetransmissionsPerSecond");
    for (Conductor.Sample s : record.samples()) {
      goodput.add(s.tcp().tcpBytes() * 8);
      retransmissions.add(s.tcp().tcpRetransmissions());
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

  /**
   * Per fleet: its VMs, and percentiles over every ping reply they received (the report's fleet
   * summary; a fleet of 1,000 has no single row to read them from).
   */
  private void fleets(Entries out) throws IOException {
    for (Experiment.Fleet fleet : experiment.fleets().values()) {
      ObjectNode o = JSON.createObjectNode();
      o.put("name", fleet.name());
      o.put("vmCount", fleet.vms().size());
      ArrayNode names = o.putArray("vms");
      fleet.vms().forEach(vm -> names.add(vm.name()));
      Histogram micros = rtts.fleet(fleet.name());
      if (micros.getTotalCount() > 0) {
        ObjectNode r = o.putObject("rttMillis");
        r.put("replies", micros.getTotalCount());
        r.put("min", micros.getMinValue() / 1000.0);
        r.put("p50", micros.getValueAtPercentile(50) / 1000.0);
        r.put("p90", micros.getValueAtPercentile(90) / 1000.0);
        r.put("p99", micros.getValueAtPercentile(99) / 1000.0);
        r.put("max", micros.getMaxValue() / 1000.0);
      }
      out.add(o);
    }
  }

  /**
   * One entry per declared workload (the experiment's, {next}/{prev} filled in) per boot of its
   * VM, with its state: not-started, running (when its VM did not answer the stop), done, or
   * crashed (its boot ended by a crash). The VM's last boot is judged ({@link WorkloadVerdict});
   * what did not pass goes to {@code failed}, one line each.
   */
  private void workloads(Entries out, List<String> failed) throws IOException {
    for (Experiment.Fleet fleet : experiment.fleets().values()) {
      for (Experiment.Vm vm : fleet.vms()) {
        List<FleetVm.Boot> lives = boots.getOrDefault(vm.name(), List.of());
        for (FleetVm.Boot boot : lives) {
          boolean last = boot.number() == lives.size();
          for (int i = 0; i < vm.workloads().size(); i++) {
            Workload declared = vm.workloads().get(i);
            List<WorkloadReport> runs = runsOf(boot.report(), i);
            if (runs.isEmpty()) {
              ObjectNode w = JSON.createObjectNode();
              WorkloadVerdict.notStarted(w, vm.name(), declared, i, boot, last, failed);
              out.add(w);
            }
            for (WorkloadReport run : runs) {
              ObjectNode w = WorkloadVerdict.started(JSON.createObjectNode(), vm.name(), declared,
                  i, boot, last, run, fleet.criteria().get(i), failed);
              run.latest().ifPresent(result -> {
                if (result instanceof PingResult ping) {
                  pingFields(w, ping);
                } else {
                  w.set("result", JSON.valueToTree(result));
                }
              });
              out.add(w);
            }
          }
        }
      }
    }
  }

  /** The runs of declared workload {@code index} in one boot's report (one per NIC it ran on). */
  private static List<WorkloadReport> runsOf(VmEntry entry, int index) {
    return entry.report().flatMap(VmReport::guest).map(g -> g.runsOf(index)).orElse(List.of());
  }

  private static void pingFields(ObjectNode w, PingResult ping) {
    w.put("transmitted", ping.transmitted());
    w.put("received", ping.received());
    w.put("duplicates", ping.duplicates());
    w.put("errors", ping.errors());
    w.put("lossPercent", ping.transmitted() == 0 ? 0.0
        : round(100.0 * (ping.transmitted() - ping.received()) / ping.transmitted()));
    ping.rtt().ifPresent(rtt -> rttMillis(w.putObject("rttMillis"), rtt));
  }

  private static void rttMillis(ObjectNode o, RttStats rtt) {
    o.put("min", rtt.minNanos() / 1e6);
    o.put("mean", rtt.meanNanos() / 1e6);
    o.put("p50", rtt.p50Nanos() / 1e6);
    o.put("p90", rtt.p90Nanos() / 1e6);
    o.put("p99", rtt.p99Nanos() / 1e6);
    o.put("max", rtt.maxNanos() / 1e6);
  }

  /**
   * Per direction of every VM's link and every network port: sent + duplicated = delivered +
   * dropped + held, else an error; and each one's fabric port drops (no-peer and the like).
   */
  private void links(Entries out, List<String> errors) throws IOException {
    for (Link link : wiring.links) {
      for (FrameBooks d : List.of(link.out(), link.in())) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", link.name() + " " + d.name());
        o.put("vm", link.vm().name());
        o.put("network", link.network());
        books(o, d, link.name(), errors);
        out.add(o);
      }
      PortStats port = link.portStats();
      if (port.dropped() > 0) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", link.name() + " fabric port");
        o.put("network", link.network());
        o.set("dropped", JSON.valueToTree(nonZero(port.drops())));
        o.put("balanced", true);
        out.add(o);
      }
    }
    for (Interlink link : wiring.interlinks) {
      Experiment.NetworkLink spec = link.spec();
      for (FrameBooks d : List.of(link.out(), link.in())) {
        boolean ab = d.name().equals("out");
        ObjectNode o = JSON.createObjectNode();
        o.put("name", link.rowName(ab));
        o.put("link", link.name());
        o.putArray("between").add(spec.a()).add(spec.b());
        o.put("from", ab ? spec.a() : spec.b());
        o.put("to", ab ? spec.b() : spec.a());
        books(o, d, link.rowName(ab), errors);
        o.put("latencyMillis", spec.latency().toNanos() / 1e6);
        o.put("jitterMillis", spec.jitter().toNanos() / 1e6);
        o.put("rateBitsPerSecond", spec.rateBitsPerSecond());
        o.put("lossPercent", TopologyLinks.lossPercent(spec));
        out.add(o);
      }
      List<PortStats> ports = List.of(link.portA(), link.portB());
      for (int i = 0; i < 2; i++) {
        if (ports.get(i).dropped() > 0) {
          ObjectNode o = JSON.createObjectNode();
          o.put("name", link.name() + " fabric port on " + spec.between().get(i));
          o.put("network", spec.between().get(i));
          o.set("dropped", JSON.valueToTree(nonZero(ports.get(i).drops())));
          o.put("balanced", true);
          out.add(o);
        }
      }
    }
    for (ExternalPort port : wiring.externalPorts) {
      for (FrameBooks d : List.of(port.out(), port.in())) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", port.id() + " " + d.name());
        o.put("port", port.id());
        o.put("network", port.network());
        books(o, d, port.id(), errors);
        o.put("checked", ExternalPort.CHECKED);
        o.put("notChecked", ExternalPort.NOT_CHECKED);
        out.add(o);
      }
      PortStats s = port.stats();
      ObjectNode o = JSON.createObjectNode();
      o.put("name", port.id() + " (QEMU port)");
      o.put("network", port.network());
      // the fabric's own counts of this port, and what it dropped before or after the chains
      o.put("framesIn", s.framesIn());
      o.put("framesOut", s.framesOut());
      o.set("dropped", JSON.valueToTree(nonZero(s.drops())));
      if (port.faults().framesAfterClose() > 0) {
        o.put("ignoredAfterEnd", port.faults().framesAfterClose());
      }
      out.add(o);
    }
  }

  /** One direction's books into {@code o}; an imbalance is also an error naming {@code what}. */
  private static void books(ObjectNode o, FrameBooks d, String what, List<String> errors) {
    o.put("direction", d.name());
    o.put("sent", d.sent());
    o.put("duplicated", d.added());
    o.put("delivered", d.delivered());
    o.put("held", d.held());
    o.put("delayed", d.delayed());
    o.set("dropped", JSON.valueToTree(d.droppedByCause()));
    long imbalance = d.imbalance();
    o.put("balanced", imbalance == 0);
    if (imbalance != 0) {
      o.put("imbalance", imbalance);
      errors.add(what + " " + d.name() + ": sent " + d.sent() + " + duplicated " + d.added()
          + " != delivered " + d.delivered() + " + dropped " + d.droppedTotal() + " + held " + d.held()
          + " (" + (imbalance > 0 ? imbalance + " frames unaccounted for" : -imbalance + " frames too many") + ")");
    }
  }

  /**
   * The headline: every frame delivered and every frame lost in the whole run (boot and drain
   * included, which the per-second series leave out), on VMs' links and network ports alike. A
   * frame for a port with no peer is not counted as lost, as in the series.
   */
  private void totals(ObjectNode t) {
    long frames = 0;
    long bytes = 0;
    Map<String, Long> byCause = new java.util.TreeMap<>();
    List<PortStats> fabricPorts = new ArrayList<>();
    for (Link link : wiring.links) {
      for (FrameBooks d : List.of(link.out(), link.in())) {
        d.dropped().forEach((cause, n) -> byCause.merge(cause, n, Long::sum));
      }
      fabricPorts.add(link.portStats());
    }
    for (ExternalPort port : wiring.externalPorts) {
      for (FrameBooks d : List.of(port.out(), port.in())) {
        d.dropped().forEach((cause, n) -> byCause.merge(cause, n, Long::sum));
      }
      fabricPorts.add(port.stats());
    }
    for (Interlink link : wiring.interlinks) {
      for (FrameBooks d : List.of(link.out(), link.in())) {
        d.dropped().forEach((cause, n) -> byCause.merge(cause, n, Long::sum));
      }
      fabricPorts.add(link.portA());
      fabricPorts.add(link.portB());
    }
    for (PortStats s : fabricPorts) {
      frames += s.framesOut();
      bytes += s.bytesOut();
      s.drops().forEach((cause, n) -> {
        if (n > 0 && !cause.equals(io.fleetsim.link.DropCause.NO_PEER.label())) {
          byCause.merge(cause, n, Long::sum);
        }
      });
    }
    t.put("framesDelivered", frames);
    t.put("bytesDelivered", bytes);
    t.put("framesDropped", byCause.values().stream().mapToLong(Long::longValue).sum());
    t.set("droppedByCause", JSON.valueToTree(byCause));
  }

  private static Map<String, Long> nonZero(Map<String, Long> drops) {
    Map<String, Long> out = new java.util.TreeMap<>(drops);
    out.values().removeIf(n -> n == 0);
    return out;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String version() {
    return io.fleetsim.Version.get();
  }

  static JsonNode read(Path results) throws IOException {
    return JSON.readTree(results.toFile());
  }
}
