package io.fleetsim.cli;

/** Bad input from the user: printed as one line, exit status 1, no stack trace. */
final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageError(String message) {
    super(message);
  }
}
