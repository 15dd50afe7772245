package io.fleetsim.experiment;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** MAC addresses for every VM of an experiment: unique across it, under each fleet's prefix. */
final class MacAllocator {
  private static final String NOT_A_PREFIX =
      "' is not a MAC prefix of 1 to 5 bytes such as 52:54:00";

  private final ExperimentFile in;
  private final Map<String, String> owners = new HashMap<>();
  private final Map<String, Integer> next = new HashMap<>();

  MacAllocator(ExperimentFile in) {
    this.in = in;
  }

  /** The bytes of {@code text}, a unicast prefix of 1 to 5 bytes; else reported at {@code path}. */
  Optional<int[]> prefix(String path, String text) {
    String[] parts = text.isEmpty() ? new String[0] : text.split(":", -1);
    if (parts.length < 1 || parts.length > 5) {
      in.error(path, "'" + text + NOT_A_PREFIX);
      return Optional.empty();
    }
    int[] bytes = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (!parts[i].matches("[0-9a-fA-F]{2}")) {
        in.error(path, "'" + text + NOT_A_PREFIX);
        return Optional.empty();
      }
      bytes[i] = Integer.parseInt(parts[i], 16);
    }
    if ((bytes[0] & 1) != 0) {
      in.error(path, "'" + text + "' is a multicast prefix (the first byte's lowest bit is set)");
      return Optional.empty();
    }
    return Optional.of(bytes);
  }

  /** The next MAC under {@code prefix} not used anywhere in the experiment, or null. */
  String allocate(String prefix, int[] bytes, String vm) {
    int suffixBytes = 6 - bytes.length;
    long limit = 1L << (8 * suffixBytes);
    String key = prefix.toLowerCase(Locale.ROOT);
    long n = next.getOrDefault(key, 1);
    for (; n < limit; n++) {
      StringBuilder mac = new StringBuilder(key);
      for (int b = suffixBytes - 1; b >= 0; b--) {
        mac.append(':').append(String.format("%02x", (n >> (8 * b)) & 0xFF));
      }
      if (owners.putIfAbsent(mac.toString(), vm) == null) {
        next.put(key, (int) Math.min(n + 1, Integer.MAX_VALUE));
        return mac.toString();
      }
    }
    return null;
  }
}
