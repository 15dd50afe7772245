package io.fleetsim.guest.workload;

import org.HdrHistogram.Histogram;

/** Round-trip times in nanoseconds: extremes, mean and percentiles of the first replies. */
public record RttStats(long count, long minNanos, long meanNanos, long maxNanos, long p50Nanos,
    long p90Nanos, long p99Nanos, long p999Nanos) {

  static RttStats of(Histogram h) {
    return new RttStats(h.getTotalCount(), h.getMinValue(), Math.round(h.getMean()),
        h.getMaxValue(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
        h.getValueAtPercentile(99), h.getValueAtPercentile(99.9));
  }

  /** A histogram for round trips, 3 significant digits (HdrHistogram's own precision). */
  static Histogram histogram() {
    Histogram h = new Histogram(3);
    h.setAutoResize(true);
    return h;
  }
}
