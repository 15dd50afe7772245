package io.fleetsim.guest.workload;

/** What a run achieved. */
public sealed interface WorkloadResult permits PingResult, TracerouteResult, UdpSendResult, UdpSinkResult,
    EchoResult, TcpStreamResult, TcpSinkResult, TcpRrResult, TcpEchoResult, HttpServeResult,
    HttpGetResult,
    DhcpServerResult, AppResult {
  /** The kind of workload that produced it ({@link Workload#kind}). */
  String kind();

  /** Whether the kind's default criterion holds ({@link Criteria#DEFAULTS}). */
  default boolean success() {
    return Criteria.defaultFor(kind()).holds(this);
  }

  /** One line for reports. */
  String summary();
}
