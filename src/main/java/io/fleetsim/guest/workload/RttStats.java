package io.fleetsim.guest.workload;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.PackedHistogram;

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
   * A histogram for round trips in microseconds (busybox's resolution), 3 significant digits,
   * packed counts: every pinging VM has one. Its buckets are those of any HdrHistogram of 3
   * digits, so the percentiles are too; but a flat counts array grows with the largest value
   * recorded (one reply of 1.5 s made it 45 KiB), while a packed one stores only the buckets that
   * were hit (about 1 KiB for a minute of pings).
   */
  static AbstractHistogram histogram() {
    return new PackedHistogram(3);
  }
}
