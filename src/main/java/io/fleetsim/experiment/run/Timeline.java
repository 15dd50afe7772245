package io.fleetsim.experiment.run;

import io.fleetsim.experiment.Experiment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * When each fault is on. A fault starts at {@code at} and lasts {@code for} (absent: to the end).
 * With {@code every} it starts again every {@code every}; {@code every} without {@code for}
 * flip-flops: on for {@code every}, off for {@code every}. Pure: the same experiment gives the
 * same activations.
 */
final class Timeline {
  private Timeline() {}

  /** One period in which fault {@code index} is on; {@code end} empty = until the end. */
  record Activation(int index, Experiment.Fault fault, int occurrence, Duration start,
      Optional<Duration> end) {}

  static List<Activation> of(List<Experiment.Fault> faults, Duration total) {
    List<Activation> out = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      Experiment.Fault f = faults.get(i);
      if (f.every().isEmpty()) {
        out.add(new Activation(i, f, 0, f.at(), f.duration().map(f.at()::plus).filter(e -> e.compareTo(total) < 0)));
        continue;
      }
      Duration every = f.every().get();
      Duration on = f.duration().orElse(every);
      Duration period = f.duration().isPresent() ? every : every.multipliedBy(2);
      int n = 0;
      for (Duration start = f.at(); start.compareTo(total) < 0; start = start.plus(period)) {
        Duration end = start.plus(on);
        out.add(new Activation(i, f, n++, start, end.compareTo(total) < 0 ? Optional.of(end) : Optional.empty()));
      }
    }
    out.sort(Comparator.comparing(Activation::start).thenComparingInt(Activation::index));
    return out;
  }
}
