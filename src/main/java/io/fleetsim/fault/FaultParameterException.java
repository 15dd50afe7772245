package io.fleetsim.fault;

/** A fault parameter out of range; {@link #key()} names it (e.g. {@code probability}). */
public final class FaultParameterException extends IllegalArgumentException {
  private final String key;

  public FaultParameterException(String key, String message) {
    super(message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
