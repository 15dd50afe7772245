package io.fleetsim.netdev;

/**
 * A datagram netdev cannot start. The message is the one line shown to the user, in QEMU's words
 * where QEMU has them (e.g. "can't bind ip=127.0.0.1 to socket: Address already in use").
 */
public final class DatagramSetupException extends RuntimeException {
  public DatagramSetupException(String message) {
    super(message, null, false, false);
  }
}
