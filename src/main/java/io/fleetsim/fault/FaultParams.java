package io.fleetsim.fault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A fault's parameters as its kind's reader sees them, so this package reads no HOCON. A getter
 * returns the value given, else the kind's default; when there is neither, or the value has the
 * wrong type or unit, it reports through {@link #error} and returns empty.
 */
public interface FaultParams {

  /** Whether the fault itself gives {@code key} (defaults do not count). */
  boolean has(String key);

  Optional<Duration> getDuration(String key);

  Optional<Double> getDouble(String key);

  Optional<Integer> getInt(String key);

  Optional<String> getString(String key);

  /** A size, given with its unit ({@code 64 KiB}, {@code 1514 B}), in bytes. */
  Optional<Long> getBytes(String key);

  /** A list of lists of names ({@code [[a, b], [c]]}). */
  Optional<List<List<String>>> getStringLists(String key);

  /**
   * {@code groups} (read from {@code key}) with each name checked against the experiment's VMs
   * and fleets and a fleet replaced by its VMs; empty when a name is unknown or a VM comes twice,
   * each problem reported at its element ({@code key[g][j]}).
   */
  Optional<List<List<String>>> vmGroups(String key, List<List<String>> groups);

  /** Reports a problem with {@code key} (the reader adds the path and line). */
  void error(String key, String message);
}
