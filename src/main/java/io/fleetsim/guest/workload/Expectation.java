package io.fleetsim.guest.workload;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass criterion on a workload's result, as an experiment file writes it: {@code METRIC OP
 * VALUE}, e.g. {@code loss < 5%}, {@code rtt-p99 <= 200ms}, {@code received >= 1000}. OP is one
 * of {@code < <= > >= ==}; VALUE is a decimal number in the metric's unit: none for a count (a
 * whole number), {@code %} for a percentage, ns, us, ms or s for a time, bit/s, kbit/s, Mbit/s
 * or Gbit/s for a bit rate ({@code goodput >= 5Mbit/s}; the {@code /s} may be left out, as in a
 * network's rate), {@code /s} for events per second ({@code transaction-rate >= 100/s}). A result that lacks the
 * figure (RTT of a ping that got no reply) does not meet the expectation.
 *
 * @param threshold in the metric's base unit (nanoseconds for times)
 */
public record Expectation(String text, String metric, Metric.Unit unit, Comparison comparison,
    double threshold) {

  public static final String SYNTAX = "METRIC OP VALUE, e.g. loss < 5%, rtt-p99 < 200ms, received >= 1000";

  /** How a measured value is compared with the threshold. */
  public enum Comparison {
    LT("<"), LE("<="), GT(">"), GE(">="), EQ("==");

    private final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    boolean holds(double value, double threshold) {
      switch (this) {
        case LT: return value < threshold;
        case LE: return value <= threshold;
        case GT: return value > threshold;
        case GE: return value >= threshold;
        default: return value == threshold;
      }
    }

    static Optional<Comparison> of(String symbol) {
      for (Comparison c : values()) {
        if (c.symbol.equals(symbol)) {
          return Optional.of(c);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * One expectation checked against one result.
   *
   * @param value what was measured, in base units; empty when the result lacks the figure
   */
  public record Check(Expectation expectation, OptionalDouble value, boolean pass) {}

  private static final Pattern FORM =
      Pattern.compile("\\s*([A-Za-z0-9_-]*)\\s*([<>=!]*)\\s*(.*?)\\s*");
  private static final Pattern VALUE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z%/]*)");
  private static final Map<String, Long> TIME_UNITS =
      Map.of("ns", 1L, "us", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L);
  /** Decimal multiples, as networks and netperf count bits. */
  private static final Map<String, Long> BIT_UNITS = Map.of("bit/s", 1L, "kbit/s", 1_000L,
      "Mbit/s", 1_000_000L, "Gbit/s", 1_000_000_000L, "bit", 1L, "kbit", 1_000L,
      "Mbit", 1_000_000L, "Gbit", 1_000_000_000L);

  /**
   * Checks the syntax, the metric's name and the value's unit; whether a given kind has the
   * metric is {@link #requireFor}'s to say.
   */
  public static Expectation parse(String text) {
    Matcher m = FORM.matcher(text);
    if (text.isBlank() || !m.matches() || m.group(1).isEmpty()) {
      throw error(text, "expected " + SYNTAX);
    }
    String name = m.group(1);
    Metric metric = Metric.anyNamed(name).orElseThrow(() -> error(text,
        "unknown metric '" + name + "' (metrics: " + String.join(", ", Metric.catalogue()) + ")"));
    if (m.group(2).isEmpty()) {
      throw error(text, "no comparison after " + name + " (use <, <=, >, >= or ==)");
    }
    Comparison op = Comparison.of(m.group(2)).orElseThrow(() -> error(text,
        "unknown comparison '" + m.group(2) + "' (use <, <=, >, >= or ==)"));
    String valueText = m.group(3);
    Matcher v = VALUE.matcher(valueText);
    if (!v.matches()) {
      throw error(text, valueText.isEmpty() ? "no value after " + op.symbol() + " (" + example(metric) + ")"
          : "'" + valueText + "' is not a number" + unitHint(metric) + " (" + example(metric) + ")");
    }
    BigDecimal number = new BigDecimal(v.group(1));
    String unit = v.group(2);
    double threshold;
    switch (metric.unit()) {
      case COUNT:
        if (!unit.isEmpty()) {
          throw error(text, name + " is a count: give a number without a unit (" + example(metric) + ")");
        }
        if (number.stripTrailingZeros().scale() > 0) {
          throw error(text, name + " is a count: give a whole number (" + example(metric) + ")");
        }
        threshold = number.doubleValue();
        break;
      case PERCENT:
        if (!unit.equals("%")) {
          throw error(text, name + " is a percentage: " + (unit.isEmpty() ? "give the unit %"
              : "'" + unit + "' is not %") + " (" + example(metric) + ")");
        }
        threshold = number.doubleValue();
        break;
      case BIT_RATE:
        Long bits = BIT_UNITS.get(unit);
        if (bits == null) {
          throw error(text, name + " is a bit rate: " + (unit.isEmpty() ? "give a unit"
              : "'" + unit + "' is not a bit rate unit") + ", bit/s, kbit/s, Mbit/s or Gbit/s ("
              + example(metric) + ")");
        }
        threshold = number.multiply(BigDecimal.valueOf(bits)).doubleValue();
        break;
      case PER_SECOND:
        if (!unit.equals("/s")) {
          throw error(text, name + " is a rate: " + (unit.isEmpty() ? "give the unit /s"
              : "'" + unit + "' is not /s") + " (" + example(metric) + ")");
        }
        threshold = number.doubleValue();
        break;
      default:
        Long nanos = TIME_UNITS.get(unit);
        if (nanos == null) {
          throw error(text, name + " is a time: " + (unit.isEmpty() ? "give a unit"
              : "'" + unit + "' is not a time unit") + ", ns, us, ms or s (" + example(metric) + ")");
        }
        threshold = number.multiply(BigDecimal.valueOf(nanos)).doubleValue();
        break;
    }
    return new Expectation(text.trim(), name, metric.unit(), op, threshold);
  }

  /** Whether workload {@code kind} measures this expectation's metric. */
  public boolean appliesTo(String kind) {
    return Metric.of(kind).containsKey(metric);
  }

  /** This expectation if {@code kind} measures its metric, else an error naming the kind's metrics. */
  public Expectation requireFor(String kind) {
    if (!appliesTo(kind)) {
      throw error(text, kind + " has no metric " + metric + " (" + kind + ": "
          + String.join(", ", Metric.of(kind).keySet()) + ")");
    }
    return this;
  }

  /** Measures the result and compares; a result of another kind, or without the figure, fails. */
  public Check check(WorkloadResult result) {
    Metric m = Metric.of(result.kind()).get(metric);
    OptionalDouble value = m == null ? OptionalDouble.empty() : m.of(result);
    return new Check(this, value, value.isPresent() && comparison.holds(value.getAsDouble(), threshold));
  }

  /**
   * A base-unit value as results show it: times in milliseconds, bit rates in Mbit/s, the rest
   * as they are.
   */
  public static double shown(Metric.Unit unit, double value) {
    return unit == Metric.Unit.DURATION || unit == Metric.Unit.BIT_RATE ? value / 1e6 : value;
  }

  /** The unit results show a metric's values in: "", "%", "ms", "Mbit/s" or "/s". */
  public static String shownUnit(Metric.Unit unit) {
    switch (unit) {
      case COUNT: return "";
      case PERCENT: return "%";
      case BIT_RATE: return "Mbit/s";
      case PER_SECOND: return "/s";
      default: return "ms";
    }
  }

  private static String example(Metric metric) {
    switch (metric.unit()) {
      case COUNT: return "e.g. " + metric.name() + " >= 1000";
      case PERCENT: return "e.g. " + metric.name() + " < 5%";
      case BIT_RATE: return "e.g. " + metric.name() + " >= 5Mbit/s";
      case PER_SECOND: return "e.g. " + metric.name() + " >= 100/s";
      default: return "e.g. " + metric.name() + " < 200ms";
    }
  }

  private static String unitHint(Metric metric) {
    return metric.unit() == Metric.Unit.COUNT ? "" : " with a unit";
  }

  private static ExpectationSyntaxException error(String text, String what) {
    return new ExpectationSyntaxException("'" + text.trim() + "': " + what);
  }
}
