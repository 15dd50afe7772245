package io.fleetsim.qemu;

/**
 * A command-line option QEMU would refuse. The message names the option and the offending part,
 * in QEMU's words where QEMU has them, e.g. {@code -netdev socket,listen=:1: Parameter 'id' is missing}.
 */
public final class OptionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OptionException(String message) {
    super(message);
  }
}
