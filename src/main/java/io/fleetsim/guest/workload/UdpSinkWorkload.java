package io.fleetsim.guest.workload;

import io.fleetsim.guest.NetStack;

/**
 * {@code udp-sink PORT}: counts datagrams and bytes and, per sender, checks udp-send's sequence
 * numbers for loss, duplicates and reordering. Runs until stopped. Success: nothing lost and
 * nothing duplicated.
 */
public record UdpSinkWorkload(int port) implements Workload {
  public UdpSinkWorkload {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535");
    }
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
  public WorkloadRun start(NetStack stack) {
    return new UdpSinkRun(port, stack);
  }
}
