package io.fleetsim.experiment;

import java.util.List;
import java.util.Optional;

/**
 * A fault posted to a running experiment, hub or switch: one JSON object in the timeline's keys
 * without {@code at} (the fault starts when it is posted), read and validated exactly as an
 * element of a file's {@code faults} is. Error paths are the body's keys ({@code delay}, {@code
 * target}); the whole body's is empty.
 */
public final class FaultRequests {

  /** The fault (its {@code at} zero: now), or every error; never both. */
  public record Result(Optional<Experiment.Fault> fault, List<ValidationError> errors) {}

  private FaultRequests() {}

  public static Result read(String json, FaultScope scope) {
    throw new UnsupportedOperationException("issue 13: valid helper");
  }
}
