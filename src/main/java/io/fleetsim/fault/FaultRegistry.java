package io.fleetsim.fault;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every fault kind by its HOCON name: the keys it takes and a factory building it from
 * {@link FaultParams}. The experiment reader validates faults through it; nothing else needs to
 * know the kinds.
 */
public final class FaultRegistry {

  /**
   * A kind: {@code keys} are its own parameters (besides at, for, every, kind, target and, for
   * link faults, direction); {@code link} says whether it acts on frames.
   */
  public record Kind(String name, Set<String> keys, boolean link,
      Function<FaultParams, Optional<Fault>> factory) {
    public Kind {
      keys = Set.copyOf(keys);
    }
  }

  private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

  static {
    register("latency", true, Set.of("delay", "jitter", "distribution"), p -> {
      Optional<java.time.Duration> delay = p.getDuration("delay");
      Optional<java.time.Duration> jitter = p.getDuration("jitter");
      Optional<String> distribution = p.getString("distribution");
      return all(delay, jitter, distribution) ? Optional.of(new LatencyFault(delay.get(),
          jitter.get(), LatencyFault.Distribution.parse("distribution", distribution.get())))
          : Optional.empty();
    });
    register("loss", true, Set.of("probability", "model", "p", "r", "loss-good", "loss-bad"), p -> {
      Optional<String> model = p.getString("model");
      if (model.isEmpty()) {
        return Optional.empty();
      }
      LossFault.Model m = LossFault.Model.parse("model", model.get());
      if (m == LossFault.Model.RANDOM) {
        for (String key : List.of("p", "r", "loss-good", "loss-bad")) {
          if (p.has(key)) {
            p.error(key, "only for model = gilbert-elliott");
          }
        }
        return p.getDouble("probability").map(LossFault::random);
      }
      if (p.has("probability")) {
        p.error("probability", "not for model = gilbert-elliott (give p, r, loss-good, loss-bad)");
      }
      Optional<Double> gb = p.getDouble("p");
      Optional<Double> bg = p.getDouble("r");
      Optional<Double> good = p.getDouble("loss-good");
      Optional<Double> bad = p.getDouble("loss-bad");
      return all(gb, bg, good, bad) ? Optional.of(LossFault.gilbertElliott(gb.get(), bg.get(),
          good.get(), bad.get())) : Optional.empty();
    });
    register("duplicate", true, Set.of("probability"),
        p -> p.getDouble("probability").map(DuplicateFault::new));
    register("reorder", true, Set.of("probability", "gap"), p -> {
      Optional<Double> probability = p.getDouble("probability");
      Optional<java.time.Duration> gap = p.getDuration("gap");
      return all(probability, gap) ? Optional.of(new ReorderFault(probability.get(), gap.get()))
          : Optional.empty();
    });
    register("corrupt", true, Set.of("probability", "bits"), p -> {
      Optional<Double> probability = p.getDouble("probability");
      Optional<Integer> bits = p.getInt("bits");
      return all(probability, bits) ? Optional.of(new CorruptFault(probability.get(), bits.get()))
          : Optional.empty();
    });
    register("rate", true, Set.of("rate", "burst", "queue"), p -> {
      Optional<String> rate = p.getString("rate");
      Optional<Long> burst = p.getBytes("burst");
      Optional<Long> queue = p.getBytes("queue");
      return all(rate, burst, queue) ? Optional.of(new RateLimitFault(
          RateLimitFault.parseRate("rate", rate.get()), burst.get(), queue.get()))
          : Optional.empty();
    });
    // the experiment checks the names against its VMs and fleets and expands fleets
    register("partition", false, Set.of("groups"),
        p -> p.getStringLists("groups").map(PartitionFault.Groups::new));
    register("link-down", false, Set.of(), p -> Optional.of(new Fault.LinkDown()));
    register("disconnect", false, Set.of(), p -> Optional.of(new Fault.Disconnect()));
    register("crash", false, Set.of(), p -> Optional.of(new Fault.Crash()));
    register("restart", false, Set.of(), p -> Optional.of(new Fault.Restart()));
    register("pause", false, Set.of(), p -> Optional.of(new Fault.Pause()));
    register("resume", false, Set.of(), p -> Optional.of(new Fault.Resume()));
  }

  private FaultRegistry() {}

  private static void register(String name, boolean link, Set<String> keys,
      Function<FaultParams, Optional<Fault>> factory) {
    KINDS.put(name, new Kind(name, keys, link, factory));
  }

  /** The kind names, in a stable order. */
  public static List<String> kinds() {
    return Collections.unmodifiableList(new ArrayList<>(KINDS.keySet()));
  }

  public static Optional<Kind> kind(String name) {
    return Optional.ofNullable(KINDS.get(name));
  }

  /**
   * Builds a fault of {@code kind} (which must be registered); empty when a parameter was wrong,
   * each problem reported through {@code params.error}.
   */
  public static Optional<Fault> build(String kind, FaultParams params) {
    Kind k = KINDS.get(kind);
    if (k == null) {
      throw new IllegalArgumentException("unknown fault kind: " + kind);
    }
    try {
      return k.factory().apply(params);
    } catch (FaultParameterException e) {
      params.error(e.key(), e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean all(Optional<?>... values) {
    for (Optional<?> v : values) {
      if (v.isEmpty()) {
        return false;
      }
    }
    return true;
  }
}
