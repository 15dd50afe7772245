package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpStats;
import java.util.Optional;

/**
 * What a tcp-rr run achieved.
 *
 * @param size request (and response) bytes
 * @param transactions requests answered in full
 * @param elapsedNanos from the connection's open to the end; 0 when it never opened
 * @param transactionsPerSecond transactions over elapsedNanos
 * @param latency from a request's first byte handed to TCP to its response's last byte
 *     (microsecond resolution); empty before the first transaction
 * @param stats the connection's TCP counters at the end
 * @param serverClosed the server closed the connection before the run ended (a tcp-echo does not)
 * @param error why the connection failed (refused, reset, timed out, ...); empty otherwise
 */
public record TcpRrResult(Ipv4Address host, int port, int size, long transactions,
    long elapsedNanos, double transactionsPerSecond, Optional<RttStats> latency, TcpStats stats,
    boolean serverClosed, Optional<TcpError> error) implements WorkloadResult {

  @Override
  public String kind() {
    return TcpRrWorkload.KIND;
  }

  @Override
  public String summary() {
    return String.format(java.util.Locale.ROOT, "tcp-rr %s:%d: %d transactions of %d bytes in %s"
        + " (%.1f/s)", host, port, transactions, size, Goodput.seconds(elapsedNanos),
        transactionsPerSecond)
        + latency.map(l -> ", latency min/p50/p90/p99/max = " + PingRun.millis(l.minNanos()) + "/"
            + PingRun.millis(l.p50Nanos()) + "/" + PingRun.millis(l.p90Nanos()) + "/"
            + PingRun.millis(l.p99Nanos()) + "/" + PingRun.millis(l.maxNanos()) + " ms")
            .orElse("")
        + ", " + stats.retransmissions() + " retransmissions"
        + (serverClosed ? ", closed by the server" : "")
        + error.map(e -> ", error " + e.kind() + ": " + e.message()).orElse("");
  }
}
