package io.fleetsim.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.fleetsim.experiment.Experiment.Fault;
import io.fleetsim.experiment.Experiment.Fleet;
import io.fleetsim.experiment.Experiment.Network;
import io.fleetsim.fault.FaultRegistry;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One pass over a parsed file, section by section (networks, fleets, faults, then the checks
 * across them, capture and report). Each check records an error and carries on with what it could
 * read, so one run reports every problem; the result is built only when there were none.
 */
final class ExperimentReader {
  private static final Set<String> TOP_KEYS = Set.of("name", "seed", "duration", "networks", "vms",
      "faults", "capture", "report", "clock", "links");
  private static final Set<String> REPORT_KEYS = Set.of("directory", "html", "progress-interval");

  private final ExperimentFile in;
  private final Config root;
  private final FaultRegistry kinds;

  ExperimentReader(String file, Config root, Config defaults, FaultRegistry kinds) {
    this.in = new ExperimentFile(file, root, defaults);
    this.root = root;
    this.kinds = kinds;
  }

  Experiment read() throws ExperimentException {
    in.unknownKeys("", root.root(), TOP_KEYS);
    Optional<String> name = in.required("name", root::getString).flatMap(n -> in.named("name", n));
    long seed = seed();
    Optional<Duration> duration = in.required("duration", path -> Units.duration(root, path))
        .flatMap(d -> in.positive("duration", d));
    Map<String, Network> networks = NetworksReader.read(in);
    Map<String, Experiment.NetworkLink> links = LinksReader.read(in, networks);
    Map<String, Fleet> fleets = FleetsReader.read(in, networks, links);
    List<Fault> faults = FaultsReader.read(in, kinds, duration, networks, links);
    PortChecks.listenOverlaps(in, networks, fleets);
    PortChecks.portIdClashes(in, networks);
    List<String> capture = capture(networks, fleets);
    Experiment.Report report = report();
    Optional<ClockMode> clock = in.optional("clock", root::getString).flatMap(this::clockMode);
    List<ValidationError> errors = in.errors();
    if (!errors.isEmpty()) {
      throw new ExperimentException(errors);
    }
    Experiment read = new Experiment(name.get(), seed, duration.get(), networks, fleets, faults,
        capture, report, ClockMode.REAL, links);
    List<String> ports = read.qemuPorts();
    if (clock.isEmpty()) {
      return read.withClock(ports.isEmpty() ? ClockMode.VIRTUAL : ClockMode.REAL);
    }
    if (clock.get() == ClockMode.VIRTUAL && !ports.isEmpty()) {
      in.error("clock", ClockMode.refusal(ports));
      throw new ExperimentException(in.errors());
    }
    return read.withClock(clock.get());
  }

  private Optional<ClockMode> clockMode(String text) {
    Optional<ClockMode> mode = ClockMode.parse(text);
    if (mode.isEmpty()) {
      in.error("clock", "expected virtual or real, not '" + text + "'");
    }
    return mode;
  }


  /**
   * {@code seed}: a whole number from 0 to {@link Long#MAX_VALUE}. Config's getLong would cut
   * 1.5 to 1 and clamp 1e30, so two different seeds could give the same run.
   */
  private long seed() {
    if (!root.hasPath("seed")) {
      return in.defaults.getLong("seed");
    }
    ConfigValue v = root.getValue("seed");
    boolean string = v.valueType() == ConfigValueType.STRING;
    String text = string ? ((String) v.unwrapped()).trim() : v.render();
    if (v.valueType() == ConfigValueType.NUMBER || text.matches("[+-]?[0-9.]+([eE][+-]?[0-9]+)?")) {
      if (text.matches("[0-9]{1,19}")
          && new BigInteger(text).compareTo(BigInteger.valueOf(Long.MAX_VALUE)) <= 0) {
        return Long.parseLong(text);
      }
      in.error("seed", "must be a whole number from 0 to " + Long.MAX_VALUE + ", not " + text);
    } else {
      in.error("seed", "expected number, got " + ExperimentFile.describe(v));
    }
    return in.defaults.getLong("seed");
  }

  /** {@code capture}: VM, fleet or network port (netdev id) names; each gets NAME.pcap. */
  private List<String> capture(Map<String, Network> networks, Map<String, Fleet> fleets) {
    List<String> out = new ArrayList<>();
    Optional<List<String>> names = in.optional("capture", root::getStringList);
    if (names.isEmpty()) {
      return out;
    }
    Set<String> known = new TreeSet<>();
    for (Fleet f : fleets.values()) {
      known.add(f.name());
      f.vms().forEach(vm -> known.add(vm.name()));
    }
    networks.values().forEach(n -> n.ports().forEach(port -> known.add(port.id())));
    for (int i = 0; i < names.get().size(); i++) {
      String name = names.get().get(i);
      String at = "capture[" + i + "]";
      if (!known.contains(name)) {
        in.error(at, in.lineOfElement("capture", i), "unknown capture target '" + name
            + "' (a vm, a fleet or a network port's netdev id)");
      } else if (out.contains(name)) {
        in.error(at, in.lineOfElement("capture", i), "'" + name + "' is listed twice");
      } else {
        out.add(name);
      }
    }
    return out;
  }

  private Experiment.Report report() {
    Config d = in.defaults.getConfig("report");
    if (root.hasPath("report") && in.optional("report", root::getObject).isPresent()) {
      in.unknownKeys("report", root.getObject("report"), REPORT_KEYS);
    }
    String directory = in.optional("report.directory", root::getString)
        .orElse(d.getString("directory"));
    if (directory.isBlank()) {
      in.error("report.directory", "must not be empty");
    }
    boolean html = in.optional("report.html", root::getBoolean).orElse(d.getBoolean("html"));
    Duration interval = in.optional("report.progress-interval", path -> Units.duration(root, path))
        .flatMap(v -> in.positive("report.progress-interval", v))
        .orElse(Units.duration(d, "progress-interval"));
    return new Experiment.Report(directory, html, interval);
  }
}
