package io.fleetsim.bench;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --key value} arguments of a benchmark main; unknown or malformed ones are errors. */
final class BenchArgs {
  private final String benchmark;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Set<String> used = new HashSet<>();

  BenchArgs(String benchmark, String[] args) {
    this.benchmark = benchmark;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new BadArgument("unexpected argument '" + a + "' (options are --name value)");
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        values.put(a.substring(2, eq), a.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(a.substring(2), args[++i]);
      } else {
        values.put(a.substring(2), "true");
      }
    }
  }

  String string(String key, String fallback) {
    used.add(key);
    return values.getOrDefault(key, fallback);
  }

  long number(String key, long fallback, long min) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.replace("_", ""));
      if (n < min) {
        throw new BadArgument("--" + key + " must be at least " + min + ", got " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadArgument("--" + key + " must be a whole number, got '" + v + "'");
    }
  }

  /** A duration like 5s, 500ms, 2m. */
  Duration duration(String key, Duration fallback) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(v);
    if (!m.matches()) {
      throw new BadArgument("--" + key + " must be a duration like 500ms, 5s or 2m, got '" + v + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = m.group(2).equals("ms") ? Duration.ofMillis(n)
        : m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
    if (d.isZero()) {
      throw new BadArgument("--" + key + " must be positive");
    }
    return d;
  }

  boolean flag(String key) {
    String v = string(key, "false");
    if (!v.equals("true") && !v.equals("false")) {
      throw new BadArgument("--" + key + " takes no value (got '" + v + "')");
    }
    return v.equals("true");
  }

  /** Call after reading every option: names the first one nobody asked for. */
  void done() {
    for (String key : values.keySet()) {
      if (!used.contains(key)) {
        throw new BadArgument("unknown option --" + key + " (known: --" + String.join(", --", used) + ")");
      }
    }
  }

  String benchmark() {
    return benchmark;
  }

  static final class BadArgument extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadArgument(String message) {
      super(message);
    }
  }
}
