package io.fleetsim.guest.workload;

import io.fleetsim.addr.Ipv4Address;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of one spec after its kind: positional arguments first, then {@code key=value}
 * options from a fixed set. Every complaint names the word at fault and repeats the usage.
 */
final class SpecReader {
  private static final Pattern BARE = Pattern.compile("\\d+(\\.\\d*)?");
  private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})(B|KiB)");
  private static final Pattern AMOUNT = Pattern.compile("(\\d{1,15}(?:\\.\\d{1,9})?)([A-Za-z]+)");
  /** Byte units for amounts of data: SI multiples of 1000 and binary ones of 1024, as written. */
  private static final Map<String, Long> BYTE_UNITS = Map.of("B", 1L, "kB", 1_000L, "KB", 1_000L,
      "KiB", 1L << 10, "MB", 1_000_000L, "MiB", 1L << 20, "GB", 1_000_000_000L, "GiB", 1L << 30);
  private final String kind;
  private final String usage;
  private final List<String> positional = new ArrayList<>();
  private final Map<String, String> options = new LinkedHashMap<>();

  SpecReader(String kind, String usage, List<String> words, Set<String> keys,
      int positionalCount) {
    this.kind = kind;
    this.usage = usage;
    for (String w : words) {
      int eq = w.indexOf('=');
      // a word is an option only when a name comes before its '=' (a URL's query has one too)
      if (eq < 0 || !KEY.matcher(w.substring(0, eq)).matches()) {
        if (!options.isEmpty() || positional.size() >= positionalCount) {
          throw error("unexpected '" + w + "'");
        }
        positional.add(w);
        continue;
      }
      String key = w.substring(0, eq);
      if (!keys.contains(key)) {
        throw error("unknown option '" + key + "' (expected "
            + (keys.isEmpty() ? "none" : String.join(", ", keys)) + ")");
      }
      if (options.put(key, w.substring(eq + 1)) != null) {
        throw error("option '" + key + "' given twice");
      }
    }
    if (positional.size() < positionalCount) {
      throw error("missing " + usage.split(" ")[1 + positional.size()]);
    }
  }

  WorkloadSyntaxException error(String what) {
    return new WorkloadSyntaxException(kind + ": " + what + " (usage: " + usage + ")");
  }

  String positional(int i) {
    return positional.get(i);
  }

  Ipv4Address address(String name, String text) {
    return Ipv4Address.tryParse(text)
        .filter(a -> !a.isAny())
        .orElseThrow(() -> error(name + " '" + text + "' is not an IPv4 address"));
  }

  /** The value of option {@code key}, when given. */
  Optional<String> option(String key) {
    return Optional.ofNullable(options.get(key));
  }

  int port(String name, String text) {
    long p = whole(name, text);
    if (p < 1 || p > 65535) {
      throw error(name + " " + text + " is not a port 1-65535");
    }
    return (int) p;
  }

  OptionalLong count(String key) {
    Optional<String> v = Optional.ofNullable(options.get(key));
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    long n = whole(key + "=", v.get());
    if (n < 1) {
      throw error(key + "=" + v.get() + " must be at least 1");
    }
    return OptionalLong.of(n);
  }

  /** A plain whole number {@code min}-{@code max} ({@code ttl=5}), or the default. */
  int number(String key, int defaultValue, int min, int max) {
    String v = options.get(key);
    if (v == null) {
      return defaultValue;
    }
    long n = whole(key + "=", v);
    if (n < min || n > max) {
      throw error(key + "=" + v + " must be " + min + "-" + max);
    }
    return (int) n;
  }

  /** A size with its unit, B or KiB ({@code 1200B}, {@code 1KiB}), in bytes. */
  int size(String key, int defaultValue, int min, int max) {
    String v = options.get(key);
    if (v == null) {
      return defaultValue;
    }
    noUnit(key, v, "B", "B");
    Matcher m = SIZE.matcher(v);
    if (!m.matches()) {
      throw error(key + "='" + v + "' is not a size (like 1200B or 1KiB)");
    }
    long n = Long.parseLong(m.group(1)) * (m.group(2).equals("KiB") ? 1024 : 1);
    if (n < min) {
      throw error(key + "=" + v + " is less than " + min + "B");
    }
    if (n > max) {
      throw error(key + "=" + v + " is more than " + max + "B (one unfragmented packet)");
    }
    return (int) n;
  }

  /**
   * An amount of data, not bound to one packet: a number and B, kB (= KB), KiB, MB, MiB, GB or
   * GiB ({@code 10MB} is 10,000,000 bytes, {@code 10MiB} 10,485,760); a fraction is allowed when
   * it comes to whole bytes ({@code 1.5KiB}). Empty when the option is absent.
   */
  OptionalLong bytes(String key, long min, long max) {
    String v = options.get(key);
    if (v == null) {
      return OptionalLong.empty();
    }
    noUnit(key, v, "B", "MB");
    Matcher m = AMOUNT.matcher(v);
    Long unit = m.matches() ? BYTE_UNITS.get(m.group(2)) : null;
    if (unit == null) {
      throw error(key + "='" + v + "' is not an amount of data (like 1500B, 64KiB, 10MB or 1GiB)");
    }
    BigDecimal n = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
    if (n.stripTrailingZeros().scale() > 0) {
      throw error(key + "=" + v + " is not a whole number of bytes");
    }
    if (n.compareTo(BigDecimal.valueOf(min)) < 0) {
      throw error(key + "=" + v + " is less than " + min + "B");
    }
    if (n.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw error(key + "=" + v + " is more than " + max + "B");
    }
    return OptionalLong.of(n.longValueExact());
  }

  Optional<Duration> duration(String key) {
    String v = options.get(key);
    if (v == null) {
      return Optional.empty();
    }
    noUnit(key, v, "s", "ms");
    Duration d = Durations.parse(v).orElseThrow(
        () -> error(key + "='" + v + "' is not a duration (like 1s, 200ms, 0.5s)"));
    if (d.isZero()) {
      throw error(key + "=" + v + " must be longer than zero");
    }
    return Optional.of(d);
  }

  /** Datagrams per second, written {@code 300/s}. */
  Optional<Double> rate(String key) {
    return rate(key, "datagrams");
  }

  /** {@code what} per second, written {@code 300/s}. */
  Optional<Double> rate(String key, String what) {
    String v = options.get(key);
    if (v == null) {
      return Optional.empty();
    }
    noUnit(key, v, "/s", "/s");
    if (!v.endsWith("/s") || !v.substring(0, v.length() - 2).matches("\\d+(\\.\\d+)?")) {
      throw error(key + "='" + v + "' is not a rate in " + what + " per second (like 300/s)");
    }
    double r = Double.parseDouble(v.substring(0, v.length() - 2));
    if (!(r > 0) || r > 10_000_000) {
      throw error(key + "=" + v + " must be above 0/s and at most 10000000/s");
    }
    return Optional.of(r);
  }

  /**
   * A bare number where a unit belongs: said so, with the value written both ways, since a
   * reader might take 20 for seconds, milliseconds, bits or bytes.
   */
  private void noUnit(String key, String v, String unit, String otherUnit) {
    if (BARE.matcher(v).matches()) {
      throw error(key + "=" + v + " has no unit; write it with one, e.g. " + key + "=" + v + unit
          + (unit.equals(otherUnit) ? "" : " or " + key + "=" + v + otherUnit));
    }
  }

  private long whole(String name, String text) {
    if (!text.matches("\\d{1,18}")) {
      throw error(name + (name.endsWith("=") ? "'" + text + "'" : " '" + text + "'")
          + " is not a whole number");
    }
    return Long.parseLong(text);
  }
}
