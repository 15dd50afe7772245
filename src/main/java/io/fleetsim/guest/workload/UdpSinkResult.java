package io.fleetsim.guest.workload;

import java.util.List;

/**
 * @param datagrams every datagram to the port
 * @param foreign datagrams without udp-send's payload (counted, not tracked)
 * @param senders per udp-send stream (sender and run), in order of first arrival
 */
public record UdpSinkResult(int port, long datagrams, long bytes, long foreign,
    List<SenderStats> senders) implements WorkloadResult {
  public UdpSinkResult {
    senders = List.copyOf(senders);
  }

  /** Distinct udp-send datagrams, over every stream. */
  public long received() {
    return senders.stream().mapToLong(SenderStats::received).sum();
  }

  public long lost() {
    return senders.stream().mapToLong(SenderStats::lost).sum();
  }

  public long duplicates() {
    return senders.stream().mapToLong(SenderStats::duplicates).sum();
  }

  public long outOfOrder() {
    return senders.stream().mapToLong(SenderStats::outOfOrder).sum();
  }

  @Override
  public String kind() {
    return UdpSinkWorkload.KIND;
  }

  @Override
  public String summary() {
    long from = senders.stream().filter(s -> s.stream() == 1).count();
    return "udp-sink " + port + ": " + datagrams + " datagrams (" + bytes + " bytes) from "
        + from + (from == 1 ? " sender" : " senders")
        + (senders.size() > from ? " (" + senders.size() + " streams)" : "") + ", " + lost() + " lost, "
        + duplicates() + " duplicates, " + outOfOrder() + " out of order"
        + (foreign > 0 ? ", " + foreign + " foreign" : "");
  }
}
