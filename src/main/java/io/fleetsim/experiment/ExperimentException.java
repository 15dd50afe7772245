package io.fleetsim.experiment;

import java.util.List;

/** An experiment file that does not validate; carries every error found, in file order. */
public final class ExperimentException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<ValidationError> errors;

  public ExperimentException(List<ValidationError> errors) {
    super(errors.isEmpty() ? "invalid experiment" : errors.get(0) + (errors.size() > 1
        ? " (and " + (errors.size() - 1) + " more)" : ""));
    this.errors = List.copyOf(errors);
  }

  public List<ValidationError> errors() {
    return errors;
  }
}
