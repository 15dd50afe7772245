package io.fleetsim.fault;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A fault kind as an experiment names it, described by its own file: the {@code kind} name, a
 * one-line doc, its own keys (besides at, for, every, kind, target and direction), what it may
 * target (none: it names its VMs in a key, as a partition does), whether it takes a
 * {@code direction}, and how it is built from the keys' values. The experiment reader knows kinds
 * only through these; what a fault does when it goes on is {@link Fault#apply}.
 */
public record FaultKind(String name, String doc, List<FaultKey> keys, Set<Target> targets,
    boolean directed, Function<FaultParams, Optional<Fault>> reader) {

  /** Every target: a frame fault acts on VMs' links, on networks and on ports alike. */
  public static final Set<Target> ANY_TARGET = Collections.unmodifiableSet(
      EnumSet.allOf(Target.class));
  /** Keys every fault element has, so no kind may declare them. */
  public static final List<String> COMMON_KEYS = List.of("at", "for", "every", "kind", "target",
      "direction");

  public FaultKind {
    if (name == null || !name.matches("[a-z][a-z-]*")) {
      throw new IllegalArgumentException("not a kind name: " + name);
    }
    if (doc == null || doc.isBlank()) {
      throw new IllegalArgumentException("kind " + name + " has no doc");
    }
    keys = List.copyOf(keys);
    Set<String> seen = new HashSet<>();
    for (FaultKey k : keys) {
      if (COMMON_KEYS.contains(k.name()) || !seen.add(k.name())) {
        throw new IllegalArgumentException("kind " + name + ": key " + k.name()
            + " is common or given twice");
      }
    }
    // in declaration order, for messages and help
    targets = Collections.unmodifiableSet(targets.isEmpty() ? EnumSet.noneOf(Target.class)
        : EnumSet.copyOf(targets));
    java.util.Objects.requireNonNull(reader, "reader");
  }

  /** The key names, in declaration order. */
  public List<String> keyNames() {
    List<String> out = new ArrayList<>();
    keys.forEach(k -> out.add(k.name()));
    return out;
  }

  /** Whether the element takes {@code target}; a kind without targets names its VMs itself. */
  public boolean targeted() {
    return !targets.isEmpty();
  }

  /** The keys with a default, as HOCON text ({@code jitter = 0ms}), one a line. */
  public String defaults() {
    StringBuilder out = new StringBuilder();
    for (FaultKey k : keys) {
      k.defaultValue().ifPresent(v -> out.append('"').append(k.name()).append("\" = ").append(v)
          .append('\n'));
    }
    return out.toString();
  }

  /**
   * Builds a fault from {@code params}; empty when a value was wrong, each problem reported
   * through {@code params.error}.
   */
  public Optional<Fault> build(FaultParams params) {
    try {
      return reader.apply(params);
    } catch (FaultParameterException e) {
      params.error(e.key(), e.getMessage());
      return Optional.empty();
    }
  }

  /** What help shows: the name, its doc, its targets, then a line per key. */
  public List<String> usage() {
    List<String> out = new ArrayList<>();
    List<String> on = new ArrayList<>();
    targets.forEach(t -> on.add(t.name().toLowerCase(Locale.ROOT)));
    out.add(name + ": " + doc + (on.isEmpty() ? "" : " (target: " + String.join(", ", on)
        + (directed ? "; with direction" : "") + ")"));
    keys.forEach(k -> out.add("  " + k.usage()));
    return out;
  }
}
