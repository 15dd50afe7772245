package io.fleetsim.guest;

import java.util.HashMap;
import java.util.Map;

/**
 * Token buckets for the ICMP errors a stack sends, after Linux's defaults: per destination one
 * error a second with a burst of 6 ({@code net.ipv4.icmp_ratelimit} = 1000 ms, XRLIM burst
 * factor 6), and for all destinations together 1000 a second with a burst of 50 ({@code
 * icmp_msgs_per_sec}, {@code icmp_msgs_burst}). Buckets start full. Credit is kept in
 * nanoseconds of guest time, so the limit is exact in virtual time.
 */
final class IcmpRateLimit {
  static final long PER_DESTINATION_NANOS = 1_000_000_000L;
  static final int PER_DESTINATION_BURST = 6;
  static final long GLOBAL_NANOS = 1_000_000L;
  static final int GLOBAL_BURST = 50;
  /** Destinations remembered; past this, full buckets are forgotten (they hold no state). */
  static final int MAX_DESTINATIONS = 4096;

  private static final class Bucket {
    long credit;
    long last;

    Bucket(long credit, long last) {
      this.credit = credit;
      this.last = last;
    }

    boolean take(long now, long cost, long capacity) {
      credit = Math.min(capacity, credit + Math.max(0, now - last));
      last = now;
      if (credit < cost) {
        return false;
      }
      credit -= cost;
      return true;
    }
  }

  private final Timers timers;
  private final Bucket global;
  private final Map<Integer, Bucket> perDestination = new HashMap<>(); // a lookup; see evict

  IcmpRateLimit(Timers timers) {
    this.timers = timers;
    this.global = new Bucket(GLOBAL_NANOS * GLOBAL_BURST, timers.now());
  }

  /** Whether an error to {@code destination} may go now; takes its token if so. */
  boolean allow(int destination) {
    long now = timers.now();
    long capacity = PER_DESTINATION_NANOS * PER_DESTINATION_BURST;
    Bucket b = perDestination.get(destination);
    if (b == null) {
      if (perDestination.size() >= MAX_DESTINATIONS) {
        // removing every full bucket gives the same map whatever order it is walked in
        perDestination.values().removeIf(x -> x.credit + (now - x.last) >= capacity);
      }
      b = new Bucket(capacity, now);
      if (perDestination.size() < MAX_DESTINATIONS) {
        perDestination.put(destination, b);
      }
    }
    Bucket g = global;
    if (!g.take(now, GLOBAL_NANOS, GLOBAL_NANOS * GLOBAL_BURST)) {
      return false;
    }
    return b.take(now, PER_DESTINATION_NANOS, capacity);
  }
}
