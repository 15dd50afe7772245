package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;

/**
 * {@code tcp-echo PORT}: sends every byte of every accepted connection back on it (RFC 862 over
 * TCP), tcp-rr's server. When the connection's send buffer is full it stops reading until the
 * buffer drains, so a fast talker is slowed by TCP's own flow control rather than buffered
 * without bound; it closes a connection once the peer has closed and everything is echoed. Runs
 * until stopped. Default criterion ({@link Criteria}): it echoed at least one byte.
 */
public record TcpEchoWorkload(int port) implements Workload {
  public static final String KIND = "tcp-echo";

  public TcpEchoWorkload {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535");
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return KIND + " " + port;
  }

  @Override
  public boolean finite() {
    return false;
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    return new TcpEchoRun(port, stack);
  }
}
