package io.fleetsim.experiment.run;

/** An experiment that could not start (a port refused, a VM did not boot); nothing is left running. */
public final class RunException extends Exception {
  private static final long serialVersionUID = 1L;

  public RunException(String message) {
    super(message);
  }
}
