package io.fleetsim.control;

import io.fleetsim.experiment.ValidationError;
import java.util.List;

/**
 * The answer to a change asked of a {@link Control}: done, or why not. The API answers them as
 * 200, 400, 404 and 409.
 */
public sealed interface Reply<T> {

  /** Done; {@code value} is what it did. */
  record Done<T>(T value) implements Reply<T> {}

  /** The request itself is wrong (a fault's keys): each error with its path in the body. */
  record Invalid<T>(List<ValidationError> errors) implements Reply<T> {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }

  /** What it names does not exist (a fault id, a VM). */
  record NotFound<T>(String message) implements Reply<T> {}

  /**
   * It cannot be done now (virtual time is read-only, the run is over, the VM is already down,
   * the fault already ended): {@code reason} says which.
   */
  record Refused<T>(String reason) implements Reply<T> {}
}
