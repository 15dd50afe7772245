package io.fleetsim.api;

/** The API could not start: its message says why, in words for the user. */
public final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  public ApiException(String message) {
    super(message);
  }
}
