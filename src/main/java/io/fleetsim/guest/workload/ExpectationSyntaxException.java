package io.fleetsim.guest.workload;

/** An expectation that does not parse, or names a metric its workload does not have. */
public final class ExpectationSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ExpectationSyntaxException(String message) {
    super(message);
  }
}
