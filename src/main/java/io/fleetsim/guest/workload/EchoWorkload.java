package io.fleetsim.guest.workload;

import io.fleetsim.guest.NetStack;

/**
 * {@code echo PORT}: a UDP echo server (RFC 862) sending every datagram back to its source.
 * Runs until stopped. Success: every reply was accepted by the stack.
 */
public record EchoWorkload(int port) implements Workload {
  public EchoWorkload {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535");
    }
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
  public WorkloadRun start(NetStack stack) {
    return new EchoRun(port, stack);
  }
}
