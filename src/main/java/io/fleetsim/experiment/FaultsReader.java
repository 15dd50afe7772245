package io.fleetsim.experiment;

import static io.fleetsim.time.DurationText.human;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import io.fleetsim.experiment.Experiment.Fault;
import io.fleetsim.experiment.Experiment.Network;
import io.fleetsim.fault.Direction;
import io.fleetsim.fault.FaultKind;
import io.fleetsim.fault.FaultParameterException;
import io.fleetsim.fault.FaultRegistry;
import io.fleetsim.fault.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code faults}: the timeline. Each element's times are checked against the run, its kind looked
 * up in the {@link FaultRegistry}, and its target and keys checked against what that kind
 * declares; the kind's reader builds the fault. Then crash, restart, pause and resume are checked
 * in time order per VM ({@link ControlOrder}).
 */
final class FaultsReader {
  private static final Set<String> TIMING_KEYS = Set.of("at", "for", "every", "kind");

  private final ExperimentFile in;
  private final FaultRegistry kinds;
  private final Optional<Duration> duration;
  private final Set<String> networkNames;
  private final Set<String> portIds = new HashSet<>();
  private final Set<String> linkNames;
  private final Map<String, List<String>> vmsOf;

  private FaultsReader(ExperimentFile in, FaultRegistry kinds, Optional<Duration> duration,
      Map<String, Network> networks, Set<String> linkNames) {
    this.linkNames = linkNames;
    this.in = in;
    this.kinds = kinds;
    this.duration = duration;
    this.networkNames = new HashSet<>(in.names("networks"));
    this.vmsOf = in.vmsByName();
    networks.values().forEach(n -> n.ports().forEach(port -> portIds.add(port.id())));
  }

  /** The faults without errors, in file order. */
  static List<Fault> read(ExperimentFile in, FaultRegistry kinds, Optional<Duration> duration,
      Map<String, Network> networks, Map<String, Experiment.NetworkLink> links) {
    if (!in.root.hasPath("faults")) {
      return new ArrayList<>();
    }
    Optional<List<? extends ConfigObject>> list = in.optional("faults", in.root::getObjectList);
    if (list.isEmpty()) {
      return new ArrayList<>();
    }
    // a link with errors of its own is still a name: its faults are not reported as unknown
    Set<String> linkNames = new HashSet<>(in.names("links"));
    return new FaultsReader(in, kinds, duration, networks, linkNames).elements(list.get());
  }

  private List<Fault> elements(List<? extends ConfigObject> list) {
    List<Fault> out = new ArrayList<>();
    List<ControlOrder.Indexed> indexed = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      FaultElement r = new FaultElement(in, "faults[" + i + "]", list.get(i).origin().lineNumber(),
          list.get(i).toConfig());
      Optional<Fault> fault = element(r, list.get(i));
      if (fault.isPresent()) {
        out.add(fault.get());
        indexed.add(new ControlOrder.Indexed(i, fault.get()));
      }
    }
    if (duration.isPresent()) {
      for (ControlOrder.Problem problem : ControlOrder.check(indexed, vmsOf, duration.get())) {
        int l = list.get(problem.index()).origin().lineNumber();
        in.error("faults[" + problem.index() + "]", l, problem.message());
      }
    }
    return out;
  }

  private Optional<Fault> element(FaultElement r, ConfigObject object) {
    Config fault = r.config;
    Optional<Duration> at = r.required("at", key -> Units.duration(fault, key))
        .flatMap(d -> r.within("at", d, duration, true));
    Optional<Duration> dur = r.optional("for", key -> Units.duration(fault, key))
        .flatMap(d -> r.length("for", d));
    Optional<Duration> every = r.optional("every", key -> Units.duration(fault, key))
        .flatMap(d -> r.length("every", d));
    endsInTime(r, at, dur, every);
    if (dur.isPresent() && every.isPresent() && dur.get().compareTo(every.get()) >= 0) {
      // each repetition must end before the next begins, or one would undo the other
      r.error("for", "for = " + human(dur.get()) + " must be shorter than every = "
          + human(every.get()));
    }
    Optional<FaultKind> kind = kind(r);
    // without a kind (unknown or missing) the target is still checked as far as it can be
    Optional<String> target = kind.isEmpty() || kind.get().targeted() ? target(r, kind)
        : Optional.empty();
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    FaultKind k = kind.get();
    in.unknownKeys(r.prefix, object, allowedKeys(k));
    Direction direction = k.directed() ? direction(r) : Direction.BOTH;
    Optional<io.fleetsim.fault.Fault> built = k.build(new ElementParams(r, k, vmsOf));
    if (at.isPresent() && built.isPresent() && (!k.targeted() || target.isPresent()) && r.ok()) {
      return Optional.of(new Fault(at.get(), dur, every, k.name(), target, direction, built.get()));
    }
    return Optional.empty();
  }

  private Optional<FaultKind> kind(FaultElement r) {
    Optional<String> name = r.required("kind", r.config::getString);
    if (name.isPresent() && kinds.kind(name.get()).isEmpty()) {
      r.error("kind", "unknown fault kind '" + name.get() + "' (expected one of: "
          + String.join(", ", kinds.names()) + ")");
      return Optional.empty();
    }
    return name.flatMap(kinds::kind);
  }

  /** {@code target}: a name of this experiment, and of a sort {@code kind} may target. */
  private Optional<String> target(FaultElement r, Optional<FaultKind> kind) {
    Optional<String> target = r.required("target", r.config::getString);
    if (target.isEmpty()) {
      return target;
    }
    Optional<Target> sort = sortOf(target.get());
    if (sort.isEmpty()) {
      r.error("target", "unknown target '" + target.get()
          + "' (not a vm, fleet, network, network port or link of this experiment)");
      return Optional.empty();
    }
    if (kind.isPresent() && !fits(target.get(), kind.get().targets())) {
      List<String> nouns = new ArrayList<>();
      kind.get().targets().forEach(t -> nouns.add(t.noun()));
      r.error("target", "'" + target.get() + "' is " + sort.get().noun() + "; "
          + kind.get().name() + " needs " + String.join(" or ", nouns));
      return Optional.empty();
    }
    return target;
  }

  /** What {@code name} names: a vm or fleet, a network, a network's port or a link; empty: nothing. */
  private Optional<Target> sortOf(String name) {
    return vmsOf.containsKey(name) ? Optional.of(Target.VM)
        : networkNames.contains(name) ? Optional.of(Target.NETWORK)
        : portIds.contains(name) ? Optional.of(Target.PORT)
        : linkNames.contains(name) ? Optional.of(Target.LINK) : Optional.empty();
  }

  /** Whether {@code name} is one of {@code targets} (a port id may also name a vm: both count). */
  private boolean fits(String name, Set<Target> targets) {
    return targets.contains(Target.VM) && vmsOf.containsKey(name)
        || targets.contains(Target.NETWORK) && networkNames.contains(name)
        || targets.contains(Target.PORT) && portIds.contains(name)
        || targets.contains(Target.LINK) && linkNames.contains(name);
  }

  private static Set<String> allowedKeys(FaultKind k) {
    Set<String> allowed = new HashSet<>(TIMING_KEYS);
    allowed.addAll(k.keyNames());
    if (k.targeted()) {
      allowed.add("target");
    }
    if (k.directed()) {
      allowed.add("direction");
    }
    return allowed;
  }

  private Direction direction(FaultElement r) {
    Optional<String> text = r.optional("direction", r.config::getString);
    try {
      return Direction.parse("direction", text.orElse(in.defaults.getString("faults.direction")));
    } catch (FaultParameterException e) {
      r.error("direction", e.getMessage());
      return Direction.BOTH;
    }
  }

  /**
   * A fault's first occurrence must end by the end of the run ({@code at + for <= duration}), and
   * {@code every} must leave room for a repetition.
   */
  private void endsInTime(FaultElement r, Optional<Duration> at, Optional<Duration> dur,
      Optional<Duration> every) {
    if (duration.isEmpty()) {
      return;
    }
    Duration end = duration.get();
    if (dur.isPresent() && at.isPresent() && at.get().plus(dur.get()).compareTo(end) > 0) {
      r.errorHere(r.lineOf("for"), "at " + human(at.get()) + " + for " + human(dur.get())
          + " ends at " + human(at.get().plus(dur.get())) + ", after the experiment's duration "
          + human(end));
    } else if (dur.isPresent() && at.isEmpty() && dur.get().compareTo(end) > 0) {
      r.error("for", "for " + human(dur.get()) + " is longer than the experiment's duration "
          + human(end));
    }
    if (every.isPresent() && every.get().compareTo(end) > 0) {
      r.error("every", "every " + human(every.get()) + " is longer than the experiment's duration "
          + human(end) + ", so the fault would never repeat");
    }
  }
}
