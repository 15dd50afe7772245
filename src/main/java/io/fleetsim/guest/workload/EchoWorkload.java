package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;

/**
 * {@code echo PORT}: a UDP echo server (RFC 862) sending every datagram back to its source.
 * Runs until stopped. Default criterion ({@link Criteria}): it echoed at least one datagram.
 */
public record EchoWorkload(int port) implements Workload {
  public EchoWorkload {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535");
    }
  }

  public static final String KIND = "echo";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return "echo " + port;
  }

  @Override
  public boolean finite() {
    return false;
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    return new EchoRun(port, stack);
  }
}
