package io.fleetsim.qemu;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, checked access to one option's keys. Every failure is an {@link OptionException} whose
 * message starts with the option as written ({@code -netdev socket,listen=:1: ...}).
 */
final class OptionReader {

  static final String IDENTIFIER_HINT =
      "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.";

  private final String option;
  private final String source;
  private final Map<String, String> values;

  OptionReader(String option, String source, QemuOpts opts) {
    this.option = option;
    this.source = source;
    this.values = opts.values();
  }

  String source() {
    return source;
  }

  Map<String, String> values() {
    return values;
  }

  OptionException error(String message) {
    return new OptionException(option + " " + source + ": " + message);
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  Optional<String> optional(String key) {
    return Optional.ofNullable(values.get(key));
  }

  String required(String key) {
    String v = values.get(key);
    if (v == null) {
      throw error("Parameter '" + key + "' is missing");
    }
    return v;
  }

  /** The first key not in {@code allowed}, if any. */
  Optional<String> firstUnknown(Set<String> allowed) {
    for (String k : values.keySet()) {
      if (!allowed.contains(k)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** {@code id=}, required and an identifier as QEMU defines it. */
  String requiredId() {
    String id = required("id");
    checkIdentifier(id);
    return id;
  }

  Optional<String> optionalId() {
    Optional<String> id = optional("id");
    id.ifPresent(this::checkIdentifier);
    return id;
  }

  private void checkIdentifier(String id) {
    if (!isIdentifier(id)) {
      throw error("Parameter 'id' expects an identifier\n" + IDENTIFIER_HINT);
    }
  }

  static boolean isIdentifier(String s) {
    if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** QEMU's boolean spellings; anything else is refused in QEMU's words. */
  boolean bool(String key, boolean dflt) {
    Optional<String> v = optional(key);
    if (v.isEmpty()) {
      return dflt;
    }
    switch (v.get()) {
      case "on": case "yes": case "true": case "y":
        return true;
      case "off": case "no": case "false": case "n":
        return false;
      default:
        throw error("Parameter '" + key + "' expects 'on' or 'off'");
    }
  }

  /** Decimal digits only, at most 18 of them (so the value fits a long), or -1. */
  static long unsignedDecimal(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Long.parseLong(s);
  }

  /** A TCP/UDP port: 0..65535 in decimal, else QEMU's "port number 'x' is invalid". */
  int port(String text) {
    long p = unsignedDecimal(text);
    if (p < 0 || p > 65535) {
      throw error("port number '" + text + "' is invalid");
    }
    return (int) p;
  }

  /** A file descriptor number: a non-negative int in decimal. */
  int fd(String text) {
    long fd = unsignedDecimal(text);
    if (fd < 0 || fd > Integer.MAX_VALUE) {
      throw error("Invalid file descriptor number '" + text + "'");
    }
    return (int) fd;
  }
}
