package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;

/**
 * {@code udp-sink PORT}: counts datagrams and bytes and, per udp-send stream (a sender's address,
 * port and {@link SequencePayload stream id}: a rebooted sender starts a new one), checks the
 * sequence numbers for loss, duplicates and reordering. Runs until stopped. Default criterion
 * ({@link Criteria}): it received at least one of udp-send's datagrams.
 */
public record UdpSinkWorkload(int port) implements Workload {
  public UdpSinkWorkload {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535");
    }
  }

  public static final String KIND = "udp-sink";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String describe() {
    return "udp-sink " + port;
  }

  @Override
  public boolean finite() {
    return false;
  }

  @Override
  public WorkloadRun start(Sockets stack) {
    return new UdpSinkRun(port, stack);
  }
}
