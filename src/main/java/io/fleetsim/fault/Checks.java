package io.fleetsim.fault;

import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.Optional;

/** Range checks shared by the fault records; each names the key and the bad value. */
final class Checks {
  private Checks() {}

  static double probability(String key, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new FaultParameterException(key, "must be a probability between 0 and 1, not " + p);
    }
    return p;
  }

  static Duration nonNegative(String key, Duration d) {
    if (d == null) {
      throw new FaultParameterException(key, "is missing");
    }
    if (d.isNegative()) {
      throw new FaultParameterException(key, "must be >= 0, not " + DurationText.human(d));
    }
    return d;
  }

  static Duration positive(String key, Duration d) {
    nonNegative(key, d);
    if (d.isZero()) {
      throw new FaultParameterException(key, "must be > 0, not " + DurationText.human(d));
    }
    return d;
  }

  static long positive(String key, long n, String unit) {
    if (n <= 0) {
      throw new FaultParameterException(key, "must be > 0" + unit + ", not " + n);
    }
    return n;
  }

  /** Whether every value is there (the getters reported each one that is not). */
  static boolean all(Optional<?>... values) {
    for (Optional<?> v : values) {
      if (v.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** 0.1 -> "10%". */
  static String percent(double p) {
    return new java.math.BigDecimal(p * 100).round(new java.math.MathContext(4)).stripTrailingZeros()
        .toPlainString() + "%";
  }

  /** 20000000 -> "20Mbit". */
  static String bits(long perSecond) {
    String[] units = {"bit", "kbit", "Mbit", "Gbit"};
    int u = 0;
    long v = perSecond;
    while (u < units.length - 1 && v >= 1000 && v % 1000 == 0) {
      v /= 1000;
      u++;
    }
    return v + units[u];
  }
}
