package io.fleetsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Escaping and number formatting for report text; every value from the results goes through here. */
final class Html {
  static final String NONE = "\u2014";

  private Html() {}

  /** Text and attribute-safe escaping: results carry user input (VM names, descriptions). */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A JSON value as escaped display text: grouped integers, decimals to 3 places, an em dash for none. */
  static String value(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return NONE;
    }
    if (v.isNumber()) {
      return number(v);
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "yes" : "no";
    }
    if (v.isTextual()) {
      return esc(v.textValue());
    }
    return esc(v.toString());
  }

  /** An identifier (seed, port, sequence number) as written: digits without grouping. */
  static String plain(JsonNode v) {
    return v != null && v.isIntegralNumber() ? v.asText() : value(v);
  }

  /** Seconds with their unit, to a tenth ("40.0 s"); fractions of a second in ms. */
  static String seconds(double s) {
    if (Double.isNaN(s) || Double.isInfinite(s)) {
      return NONE;
    }
    double ms = s * 1000;
    if (Math.abs(ms) < 10) {
      return decimal(ms) + " ms";
    }
    return Math.abs(s) < 1 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%,.1f s", s);
  }

  /** Events per second, to a tenth ("296.7/s"). */
  static String perSecond(double rate) {
    return Double.isNaN(rate) || Double.isInfinite(rate) ? NONE : String.format(Locale.ROOT, "%,.1f/s", rate);
  }

  /** A share in percent, to 3 places at most ("14.81 %"); none for 0 of 0. */
  static String percent(double part, double whole) {
    return whole > 0 ? decimal(part * 100 / whole) + " %" : NONE;
  }

  static String number(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? String.format(Locale.ROOT, "%,d", v.longValue()) : v.asText();
    }
    return decimal(v.doubleValue());
  }

  static String decimal(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return String.valueOf(d);
    }
    BigDecimal b = BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
    return b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
  }

  /** A whole count with grouping; a fractional one as a decimal. */
  static String count(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? String.format(Locale.ROOT, "%,d", (long) d) : decimal(d);
  }

  /** Bits per second in decimal units, as links are rated ("744.7 Mbit/s"). */
  static String bitRate(double bits) {
    if (Double.isNaN(bits) || Double.isInfinite(bits)) {
      return NONE;
    }
    String[] units = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"};
    int u = 0;
    while (Math.abs(bits) >= 1000 && u < units.length - 1) {
      bits /= 1000;
      u++;
    }
    return (u == 0 ? decimal(Math.rint(bits)) : String.format(Locale.ROOT, "%.1f", bits)) + " " + units[u];
  }

  /** Bytes in binary units, for the summary. */
  static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return (u == 0 ? decimal(b) : String.format(Locale.ROOT, "%.1f", b)) + " " + units[u];
  }
}
