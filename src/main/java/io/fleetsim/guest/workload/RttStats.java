package io.fleetsim.guest.workload;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/** Round-trip times in nanoseconds: extremes, mean and percentiles of the first replies. */
public record RttStats(long count, long minNanos, long meanNanos, long maxNanos, long p50Nanos,
    long p90Nanos, long p99Nanos, long p999Nanos) {

  /** From a histogram of microseconds (see {@link #histogram()}). */
  static RttStats of(AbstractHistogram micros) {
    return new RttStats(micros.getTotalCount(), micros.getMinValue() * 1000,
        Math.round(micros.getMean() * 1000), micros.getMaxValue() * 1000,
        micros.getValueAtPercentile(50) * 1000, micros.getValueAtPercentile(90) * 1000,
        micros.getValueAtPercentile(99) * 1000, micros.getValueAtPercentile(99.9) * 1000);
  }

  /**
   * A histogram for round trips in microseconds (busybox's resolution), 3 significant digits, int
   * counts: every pinging VM has one, and in nanoseconds with long counts a single slow reply
   * grew it to over 100 KB.
   */
  static AbstractHistogram histogram() {
    IntCountsHistogram h = new IntCountsHistogram(3);
    h.setAutoResize(true);
    return h;
  }
}
