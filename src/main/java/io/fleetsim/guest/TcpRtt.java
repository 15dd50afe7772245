package io.fleetsim.guest;

/**
 * The retransmission timeout of RFC 6298: SRTT and RTTVAR with alpha 1/8 and beta 1/4, RTO =
 * SRTT + max(G, 4 RTTVAR), 1 s before the first sample, doubled per expiry (backoff), kept in
 * [{@link #MIN_RTO}, {@link #MAX_RTO}]. The caller applies Karn's rule: it never samples a
 * segment that was retransmitted.
 */
final class TcpRtt {
  static final long INITIAL_RTO = 1_000_000_000L;
  /** Linux's floor (RFC 6298 asks 1 s; 200 ms keeps loss recovery on a LAN from stalling). */
  static final long MIN_RTO = 200_000_000L;
  /** RFC 6298 2.5: a maximum of at least 60 s. */
  static final long MAX_RTO = 60_000_000_000L;
  /** The clock granularity G: the guest clock is in nanoseconds; 1 ms keeps RTO above SRTT. */
  static final long GRANULARITY = 1_000_000L;

  private long srtt;
  private long rttvar;
  private long rto = INITIAL_RTO;
  private boolean sampled;

  void sample(long rttNanos) {
    long r = Math.max(0, rttNanos);
    if (!sampled) {
      srtt = r;
      rttvar = r / 2;
      sampled = true;
    } else {
      rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
      srtt = (7 * srtt + r) / 8;
    }
    rto = clamp(srtt + Math.max(GRANULARITY, 4 * rttvar));
  }

  /** A retransmission timer expired: RFC 6298 5.5. */
  void backoff() {
    rto = clamp(rto * 2);
  }

  /**
   * An ACK for new data arrived: the path works, so the backoff ends and RTO is SRTT + 4 RTTVAR
   * again, without taking the ambiguous sample Karn's rule forbids. (Strict RFC 6298 keeps the
   * backed-off RTO until a sample; without timestamps, under heavy loss, that ratchets RTO up to
   * its maximum, which Linux avoids by sampling retransmissions through timestamps.)
   */
  void forwardAck() {
    if (sampled) {
      rto = clamp(srtt + Math.max(GRANULARITY, 4 * rttvar));
    }
  }

  long rto() {
    return rto;
  }

  long srtt() {
    return srtt;
  }

  long rttvar() {
    return rttvar;
  }

  private static long clamp(long v) {
    return Math.max(MIN_RTO, Math.min(MAX_RTO, v));
  }
}
