package io.fleetsim.guest.socket;

/** A listening TCP port. */
public interface TcpListener {
  int port();

  /** Stops listening: new SYNs get RST; connections already accepted go on. Idempotent. */
  void close();
}
