package io.fleetsim.guest.workload;

/** A workload spec that does not parse; the message names the bad part and the usage. */
public final class WorkloadSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public WorkloadSyntaxException(String message) {
    super(message);
  }
}
