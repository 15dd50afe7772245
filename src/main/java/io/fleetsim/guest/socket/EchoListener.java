package io.fleetsim.guest.socket;

/** Receives the echo replies of an {@link EchoSocket}. */
@FunctionalInterface
public interface EchoListener {
  void reply(EchoReply reply);
}
