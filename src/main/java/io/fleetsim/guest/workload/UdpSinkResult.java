package io.fleetsim.guest.workload;

import java.util.List;

/**
 * @param datagrams every datagram to the port
 * @param foreign datagrams without udp-send's payload (counted, not tracked)
 * @param senders per sender, in order of first arrival
 */
public record UdpSinkResult(int port, long datagrams, long bytes, long foreign,
    List<SenderStats> senders) implements WorkloadResult {
  public UdpSinkResult {
    senders = List.copyOf(senders);
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
  public boolean success() {
    return lost() == 0 && duplicates() == 0;
  }

  @Override
  public String summary() {
    return "udp-sink " + port + ": " + datagrams + " datagrams (" + bytes + " bytes) from "
        + senders.size() + (senders.size() == 1 ? " sender, " : " senders, ") + lost() + " lost, "
        + duplicates() + " duplicates, " + outOfOrder() + " out of order"
        + (foreign > 0 ? ", " + foreign + " foreign" : "");
  }
}
