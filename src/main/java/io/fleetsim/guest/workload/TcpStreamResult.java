package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.TcpError;
import io.fleetsim.guest.socket.TcpStats;
import java.util.Optional;

/**
 * What a tcp-stream run achieved.
 *
 * @param bytesSent stream bytes the connection took from the workload
 * @param bytesAcked of those, the bytes the peer acknowledged
 * @param elapsedNanos from the connection's open to the end (the peer's close, an error, a stop);
 *     0 when it never opened
 * @param goodputBitsPerSecond bytesAcked x 8 over elapsedNanos
 * @param sha256 of the bytesSent bytes, lower-case hex
 * @param completed the stream reached its end (bytes= or duration=) and both sides closed
 * @param stats the connection's TCP counters at the end
 * @param error why the connection failed (refused, reset, timed out, ...); empty when it did not
 */
public record TcpStreamResult(Ipv4Address host, int port, long bytesSent, long bytesAcked,
    long elapsedNanos, double goodputBitsPerSecond, String sha256, boolean completed,
    TcpStats stats, Optional<TcpError> error) implements WorkloadResult {

  @Override
  public String kind() {
    return TcpStreamWorkload.KIND;
  }

  @Override
  public String summary() {
    return "tcp-stream " + host + ":" + port + ": " + bytesSent + " bytes sent, " + bytesAcked
        + " acked in " + Goodput.seconds(elapsedNanos) + " (" + Goodput.text(goodputBitsPerSecond)
        + "), " + stats.retransmissions() + " retransmissions, sha256=" + sha256
        + error.map(e -> ", error " + e.kind() + ": " + e.message()).orElse("");
  }
}
