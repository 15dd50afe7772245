package io.fleetsim.guest.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The header fields of one HTTP message, in arrival order (names case-insensitive, RFC 9110 5.1).
 *
 * @param fields name and value pairs, values without their surrounding whitespace
 */
record HttpFields(List<Field> fields) {
  record Field(String name, String value) {}

  HttpFields {
    fields = List.copyOf(fields);
  }

  /** Every value of {@code name}, in order. */
  List<String> all(String name) {
    List<String> out = new ArrayList<>();
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(name)) {
        out.add(f.value());
      }
    }
    return out;
  }

  Optional<String> first(String name) {
    List<String> all = all(name);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** Whether a comma-separated list field (Connection, Transfer-Encoding) holds {@code token}. */
  boolean hasToken(String name, String token) {
    for (String v : all(name)) {
      for (String t : v.split(",")) {
        if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Content-Length: -2 when absent, -1 when malformed or when copies disagree (RFC 9112 6.3
   * makes that unrecoverable), else the length.
   */
  long contentLength() {
    List<String> values = all("Content-Length");
    if (values.isEmpty()) {
      return -2;
    }
    long length = -1;
    for (String v : values) {
      for (String part : v.split(",", -1)) {
        String t = part.trim();
        if (!t.matches("\\d{1,18}")) {
          return -1;
        }
        long n = Long.parseLong(t);
        if (length >= 0 && n != length) {
          return -1;
        }
        length = n;
      }
    }
    return length;
  }
}
