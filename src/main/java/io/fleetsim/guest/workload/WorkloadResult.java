package io.fleetsim.guest.workload;

/** What a run achieved. */
public sealed interface WorkloadResult permits PingResult, UdpSendResult, UdpSinkResult, EchoResult {
  /** The verdict each workload documents (ping: at least one reply, like busybox's exit 0). */
  boolean success();

  /** One line for reports. */
  String summary();
}
