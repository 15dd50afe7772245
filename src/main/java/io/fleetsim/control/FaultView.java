package io.fleetsim.control;

import java.util.List;
import java.util.Optional;

/**
 * A fault as the API lists it. {@code id}: {@code t3} for the timeline's {@code faults[3]},
 * {@code a1}, {@code a2}, ... for those the API put on, in the order they were posted. {@code
 * source}: timeline or api. {@code state}: scheduled, active or ended. Each period it was on is an
 * activation (a fault with {@code every} has several), in seconds since the timeline started;
 * {@code endedBy} is api when the API ended it early.
 */
public record FaultView(String id, String source, String kind, String target, String description,
    String state, List<Period> periods) {

  public FaultView {
    periods = List.copyOf(periods);
  }

  /** One activation: start and end (empty: still on) in seconds; who ended it early, if anyone. */
  public record Period(double start, Optional<Double> end, Optional<String> endedBy) {}
}
