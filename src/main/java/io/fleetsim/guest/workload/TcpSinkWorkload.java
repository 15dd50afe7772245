package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;

/**
 * {@code tcp-sink PORT}: accepts any number of connections and reads each to its end, counting
 * its bytes, hashing them (SHA-256) and checking them against {@link StreamPattern}, tcp-stream's
 * bytes; it closes its side when the sender has closed its own. Runs until stopped. Default
 * criterion ({@link Criteria}): at least one byte arrived.
 */
public record TcpSinkWorkload(int port) implements Workload {
  public static final String KIND = "tcp-sink";

  public TcpSinkWorkload {
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
    return new TcpSinkRun(port, stack);
  }
}
