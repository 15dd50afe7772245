package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;

/**
 * A parsed, immutable workload spec. It can be started on any number of stacks; each start is
 * an independent {@link WorkloadRun}. Finite workloads end by themselves; infinite ones run
 * until {@link WorkloadRun#stop()}.
 */
public sealed interface Workload
    permits PingWorkload, TracerouteWorkload, UdpSendWorkload, UdpSinkWorkload, EchoWorkload, TcpStreamWorkload,
        TcpSinkWorkload, TcpRrWorkload, TcpEchoWorkload, HttpServeWorkload, HttpGetWorkload,
        DhcpServerWorkload, AppWorkload {
  /** The canonical spec with every default spelled out, e.g. {@code ping 10.0.2.2 count=5 ...}. */
  String describe();

  /**
   * The spec's first word: ping, traceroute, udp-send, udp-sink, echo, tcp-stream, tcp-sink,
   * tcp-rr, tcp-echo, http-serve, http-get, dhcp-server or app.
   */
  String kind();

  boolean finite();

  /** Starts on the VM thread; the stack should be configured (by hand or by DHCP) first. */
  WorkloadRun start(Sockets stack);
}
