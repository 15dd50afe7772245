package io.fleetsim.fault;

import java.time.Duration;

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
      throw new FaultParameterException(key, "must be >= 0, not " + human(d));
    }
    return d;
  }

  static Duration positive(String key, Duration d) {
    nonNegative(key, d);
    if (d.isZero()) {
      throw new FaultParameterException(key, "must be > 0, not " + human(d));
    }
    return d;
  }

  static long positive(String key, long n, String unit) {
    if (n <= 0) {
      throw new FaultParameterException(key, "must be > 0" + unit + ", not " + n);
    }
    return n;
  }

  static String human(Duration d) {
    if (d.toNanos() % 1_000_000 == 0 && d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
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
