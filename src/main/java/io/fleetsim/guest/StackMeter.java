package io.fleetsim.guest;

/**
 * Where a stack reports the traffic an experiment samples once a second (goodput and
 * retransmissions for the run's series). Called on the VM thread; an implementation shared by
 * many VMs must be thread-safe in real time (VMs run on several threads there).
 */
public interface StackMeter {
  /** Nobody samples: the default for stacks outside an experiment. */
  StackMeter NONE = new StackMeter() {};

  /** {@code bytes} of a TCP stream were delivered, in order, to the program reading them. */
  default void tcpDelivered(long bytes) {}

  /** A TCP segment was sent again (timeout or fast retransmit). */
  default void tcpRetransmitted() {}
}
