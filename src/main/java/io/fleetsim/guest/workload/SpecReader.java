package io.fleetsim.guest.workload;

import io.fleetsim.guest.Ipv4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The words of one spec after its kind: positional arguments first, then {@code key=value}
 * options from a fixed set. Every complaint names the word at fault and repeats the usage.
 */
final class SpecReader {
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
      if (eq < 0) {
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

  int size(String key, int defaultValue, int min, int max) {
    String v = options.get(key);
    if (v == null) {
      return defaultValue;
    }
    long n = whole(key + "=", v);
    if (n < min) {
      throw error(key + "=" + v + " is less than " + min);
    }
    if (n > max) {
      throw error(key + "=" + v + " is more than " + max + " (one unfragmented packet)");
    }
    return (int) n;
  }

  Optional<Duration> duration(String key) {
    String v = options.get(key);
    if (v == null) {
      return Optional.empty();
    }
    Duration d = Durations.parse(v).orElseThrow(
        () -> error(key + "='" + v + "' is not a duration (like 1s, 200ms, 0.5s)"));
    if (d.isZero()) {
      throw error(key + "=" + v + " must be longer than zero");
    }
    return Optional.of(d);
  }

  Optional<Double> rate(String key) {
    String v = options.get(key);
    if (v == null) {
      return Optional.empty();
    }
    double r;
    try {
      r = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw error(key + "='" + v + "' is not a number");
    }
    if (!(r > 0) || r > 10_000_000 || !v.matches("\\d+(\\.\\d+)?")) {
      throw error(key + "=" + v + " must be a number above 0 and at most 10000000");
    }
    return Optional.of(r);
  }

  private long whole(String name, String text) {
    if (!text.matches("\\d{1,18}")) {
      throw error(name + (name.endsWith("=") ? "'" + text + "'" : " '" + text + "'")
          + " is not a whole number");
    }
    return Long.parseLong(text);
  }
}
