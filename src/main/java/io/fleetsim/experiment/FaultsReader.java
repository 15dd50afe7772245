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
import java.util.TreeSet;

/**
 * {@code faults}: the timeline. Each element's times are checked against the run, its kind looked
 * up in the {@link FaultRegistry}, and its target and keys checked against what that kind
 * declares; the kind's reader builds the fault. Then crash, restart, pause and resume are checked
 * in time order per VM ({@link ControlOrder}).
 *
 * <p>A fault posted to something running ({@link FaultRequests}) is one such element, checked
 * against the names of a {@link FaultScope} instead of the file's: it has no {@code at} (it
 * starts now), must end within the time left, and is not put in order with the others (the run
 * knows its VMs' state).
 */
final class FaultsReader {
  private static final Set<String> TIMING_KEYS = Set.of("at", "for", "every", "kind");

  /** Where an element comes from: a file's timeline, or a request to something running. */
  private enum Source { FILE, POSTED }

  private final ExperimentFile in;
  private final FaultRegistry kinds;
  private final FaultScope scope;
  private final Source source;

  private FaultsReader(ExperimentFile in, FaultRegistry kinds, FaultScope scope, Source source) {
    this.in = in;
    this.kinds = kinds;
    this.scope = scope;
    this.source = source;
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
    Set<String> portIds = new HashSet<>();
    networks.values().forEach(n -> n.ports().forEach(port -> portIds.add(port.id())));
    // names, not the sections read: a network or link with errors of its own is still a name,
    // so its faults are not reported as unknown
    FaultScope scope = new FaultScope(in.vmsByName(), new HashSet<>(in.names("networks")),
        portIds, new HashSet<>(in.names("links")), duration);
    return new FaultsReader(in, kinds, scope, Source.FILE).elements(list.get());
  }

  /**
   * The fault that {@code in}'s root (a request's body) describes, with {@code at} zero, or empty
   * with its errors in {@code in}, under paths relative to the body.
   */
  static Optional<Fault> posted(ExperimentFile in, FaultRegistry kinds, FaultScope scope) {
    ConfigObject body = in.root.root();
    FaultElement r = new FaultElement(in, "", body.origin().lineNumber(), in.root);
    return new FaultsReader(in, kinds, scope, Source.POSTED).element(r, body);
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
    if (scope.remaining().isPresent()) {
      for (ControlOrder.Problem problem : ControlOrder.check(indexed, scope.vmsOf(),
          scope.remaining().get())) {
        int l = list.get(problem.index()).origin().lineNumber();
        in.error("faults[" + problem.index() + "]", l, problem.message());
      }
    }
    return out;
  }

  private Optional<Fault> element(FaultElement r, ConfigObject object) {
    Config fault = r.config;
    Optional<Duration> at = at(r);
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
    if (source == Source.POSTED) {
      // at is refused on its own (at()), and is no key to suggest
      Set<String> allowed = allowedKeys(k);
      allowed.remove("at");
      in.unknownKeys(r.prefix, object.withoutKey("at"), allowed);
    } else {
      in.unknownKeys(r.prefix, object, allowedKeys(k));
    }
    Direction direction = k.directed() ? direction(r) : Direction.BOTH;
    Optional<io.fleetsim.fault.Fault> built = k.build(new ElementParams(r, k, scope.vmsOf()));
    if (at.isPresent() && built.isPresent() && (!k.targeted() || target.isPresent()) && r.ok()) {
      return Optional.of(new Fault(at.get(), dur, every, k.name(), target, direction, built.get()));
    }
    return Optional.empty();
  }

  /** A file's {@code at}, within the run; a posted fault has none: it starts now. */
  private Optional<Duration> at(FaultElement r) {
    if (source == Source.POSTED) {
      if (r.config.hasPathOrNull("at")) {
        r.error("at", "an API fault starts when it is posted; leave out at");
      }
      return Optional.of(Duration.ZERO);
    }
    return r.required("at", key -> Units.duration(r.config, key))
        .flatMap(d -> r.within("at", d, scope.remaining(), true));
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
      r.error("target", unknownTarget(target.get()));
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

  /**
   * What a target that names nothing is not; a hub or switch (a posted fault without an end) has
   * only networks and ports, which its user cannot read in a file, so they are listed.
   */
  private String unknownTarget(String name) {
    if (source == Source.POSTED && scope.remaining().isEmpty()) {
      return "unknown target '" + name + "' (not a network or network port of this hub or switch;"
          + " networks: " + listed(scope.networks()) + "; ports: " + listed(scope.ports()) + ")";
    }
    return "unknown target '" + name
        + "' (not a vm, fleet, network, network port or link of this experiment)";
  }

  private static String listed(Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
  }

  /** What {@code name} names: a vm or fleet, a network, a network's port or a link; empty: nothing. */
  private Optional<Target> sortOf(String name) {
    return scope.vmsOf().containsKey(name) ? Optional.of(Target.VM)
        : scope.networks().contains(name) ? Optional.of(Target.NETWORK)
        : scope.ports().contains(name) ? Optional.of(Target.PORT)
        : scope.links().contains(name) ? Optional.of(Target.LINK) : Optional.empty();
  }

  /** Whether {@code name} is one of {@code targets} (a port id may also name a vm: both count). */
  private boolean fits(String name, Set<Target> targets) {
    return targets.contains(Target.VM) && scope.vmsOf().containsKey(name)
        || targets.contains(Target.NETWORK) && scope.networks().contains(name)
        || targets.contains(Target.PORT) && scope.ports().contains(name)
        || targets.contains(Target.LINK) && scope.links().contains(name);
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
   * {@code every} must leave room for a repetition; for a posted fault the run is what is left
   * of it (a hub or switch has no end).
   */
  private void endsInTime(FaultElement r, Optional<Duration> at, Optional<Duration> dur,
      Optional<Duration> every) {
    if (scope.remaining().isEmpty()) {
      return;
    }
    Duration end = scope.remaining().get();
    String run = source == Source.POSTED ? "the " + human(end) + " left in the run"
        : "the experiment's duration " + human(end);
    if (source == Source.FILE && dur.isPresent() && at.isPresent()
        && at.get().plus(dur.get()).compareTo(end) > 0) {
      r.errorHere(r.lineOf("for"), "at " + human(at.get()) + " + for " + human(dur.get())
          + " ends at " + human(at.get().plus(dur.get())) + ", after " + run);
    } else if (dur.isPresent() && (at.isEmpty() || source == Source.POSTED)
        && dur.get().compareTo(end) > 0) {
      r.error("for", "for " + human(dur.get()) + " is longer than " + run);
    }
    if (every.isPresent() && every.get().compareTo(end) > 0) {
      r.error("every", "every " + human(every.get()) + " is longer than " + run
          + ", so the fault would never repeat");
    }
  }
}
