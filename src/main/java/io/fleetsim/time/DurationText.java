package io.fleetsim.time;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A duration as people and experiment files write it. One form for every message, description
 * and console line, so that what fleetsim prints can be pasted back into a file or a workload.
 */
public final class DurationText {
  private DurationText() {}

  /** The shortest exact form: {@code 1s}, {@code 200ms}, {@code 1.5s}, {@code 10us}, {@code -1ms}. */
  public static String human(Duration d) {
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0 && nanos < 1_000_000_000L) {
      return nanos / 1_000_000L + "ms";
    }
    if (nanos % 1_000L == 0 && nanos < 1_000_000L) {
      return nanos / 1_000L + "us";
    }
    if (nanos < 1_000L) {
      return nanos + "ns";
    }
    return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString() + "s";
  }
}
