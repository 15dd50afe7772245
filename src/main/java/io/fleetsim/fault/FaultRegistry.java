package io.fleetsim.fault;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fault kinds an experiment may name: a list of their descriptions. A new kind is its own
 * file, declaring its {@link FaultKind}, and one line in {@link #ALL}; the experiment reader and
 * the runner know kinds only through the list and the faults it builds.
 */
public final class FaultRegistry {

  /** Every kind, in the order messages and help list them. */
  public static final FaultRegistry ALL = new FaultRegistry(List.of(
      LatencyFault.KIND,
      LossFault.KIND,
      DuplicateFault.KIND,
      ReorderFault.KIND,
      CorruptFault.KIND,
      RateLimitFault.KIND,
      PartitionFault.KIND,
      LinkDownFault.KIND,
      DisconnectFault.KIND,
      CrashFault.KIND,
      RestartFault.KIND,
      PauseFault.KIND,
      ResumeFault.KIND));

  private final List<FaultKind> kinds;

  /** {@code kinds} with distinct names. */
  public FaultRegistry(List<FaultKind> kinds) {
    Set<String> seen = new HashSet<>();
    for (FaultKind k : kinds) {
      if (!seen.add(k.name())) {
        throw new IllegalArgumentException("fault kind listed twice: " + k.name());
      }
    }
    this.kinds = List.copyOf(kinds);
  }

  public List<FaultKind> kinds() {
    return kinds;
  }

  /** The kind names, in list order. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    kinds.forEach(k -> out.add(k.name()));
    return out;
  }

  public Optional<FaultKind> kind(String name) {
    for (FaultKind k : kinds) {
      if (k.name().equals(name)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** This list and {@code more} after it. */
  public FaultRegistry with(FaultKind... more) {
    List<FaultKind> all = new ArrayList<>(kinds);
    all.addAll(List.of(more));
    return new FaultRegistry(all);
  }
}
