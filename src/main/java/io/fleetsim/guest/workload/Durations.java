package io.fleetsim.guest.workload;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as workloads write them: a decimal number and a unit, {@code 1s 200ms 0.5s 10us 2m}
 * ({@link io.fleetsim.time.DurationText#human} writes them so).
 */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)");

  private Durations() {}

  /** Empty unless the text is a number and one of the units ns, us, ms, s, m, h. */
  public static Optional<Duration> parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long unitNanos;
    switch (m.group(2)) {
      case "ns": unitNanos = 1L; break;
      case "us": unitNanos = 1_000L; break;
      case "ms": unitNanos = 1_000_000L; break;
      case "s": unitNanos = 1_000_000_000L; break;
      case "m": unitNanos = 60_000_000_000L; break;
      default: unitNanos = 3_600_000_000_000L; break;
    }
    BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(nanos.longValue()));
  }
}
