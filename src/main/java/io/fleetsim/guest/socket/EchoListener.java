package io.fleetsim.guest.socket;

/** Receives the echo replies of an {@link EchoSocket}, and the ICMP errors about its requests. */
@FunctionalInterface
public interface EchoListener {
  void reply(EchoReply reply);

  /** An ICMP error quoting one of this socket's requests; ignored unless overridden. */
  default void error(EchoError error) {}
}
