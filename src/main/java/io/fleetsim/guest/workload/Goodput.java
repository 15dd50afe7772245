package io.fleetsim.guest.workload;

import java.util.Locale;

/** Goodput figures: stream bytes delivered, in bits per second, as netperf reports them. */
final class Goodput {
  private Goodput() {}

  /** {@code bytes} over {@code nanos}, in bits per second; 0 over no time. */
  static double bitsPerSecond(long bytes, long nanos) {
    return nanos > 0 ? bytes * 8e9 / nanos : 0;
  }

  /** "12.34 Mbit/s", the unit chosen so the number stays readable. */
  static String text(double bitsPerSecond) {
    String[] units = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s"};
    int u = 0;
    double v = bitsPerSecond;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.2f %s", v, units[u]);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }
}
