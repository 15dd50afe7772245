package io.fleetsim.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.fleetsim.time.DurationText;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * One element of {@code faults}: keys are read relative to it, errors are reported under its
 * path ({@code faults[2].delay}) at the key's line or, for a key it lacks, at the element's. A
 * fault posted to a running experiment has the empty path: its errors' paths are its keys.
 */
final class FaultElement {
  final String prefix;
  final int line;
  final Config config;
  private final ExperimentFile in;
  private boolean ok = true;

  FaultElement(ExperimentFile in, String prefix, int line, Config config) {
    this.in = in;
    this.prefix = prefix;
    this.line = line;
    this.config = config;
  }

  /** Whether nothing was wrong with it so far. */
  boolean ok() {
    return ok;
  }

  <T> Optional<T> required(String key, Function<String, T> getter) {
    if (!config.hasPath(key)) {
      ok = false;
      in.error(prefix, line, "missing required key '" + key + "'");
      return Optional.empty();
    }
    return optional(key, getter);
  }

  <T> Optional<T> optional(String key, Function<String, T> getter) {
    if (!config.hasPath(key)) {
      return Optional.empty();
    }
    try {
      return Optional.of(getter.apply(key));
    } catch (ConfigException e) {
      error(key, ExperimentFile.rephrase(e, key));
      return Optional.empty();
    }
  }

  /** A time within the run: >= 0 (or > 0), before its end (or at it when zero is no use). */
  Optional<Duration> within(String key, Duration d, Optional<Duration> total, boolean zeroOk) {
    if (d.isNegative() || (!zeroOk && d.isZero())) {
      error(key, "must be " + (zeroOk ? ">= 0" : "> 0") + ", not " + DurationText.human(d));
      return Optional.empty();
    }
    if (total.isPresent() && d.compareTo(total.get()) > (zeroOk ? -1 : 0)) {
      error(key, DurationText.human(d) + " is not within the experiment's duration "
          + DurationText.human(total.get()));
      return Optional.empty();
    }
    return Optional.of(d);
  }

  /** A length ({@code for}, {@code every}): > 0; how it fits the duration is checked apart. */
  Optional<Duration> length(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      error(key, "must be > 0, not " + DurationText.human(d));
      return Optional.empty();
    }
    return Optional.of(d);
  }

  int lineOf(String key) {
    return config.hasPath(key) ? config.getValue(key).origin().lineNumber() : line;
  }

  /** An error about the fault as a whole (several of its keys together). */
  void errorHere(int l, String message) {
    ok = false;
    in.error(prefix, l, message);
  }

  void error(String key, String message) {
    errorAt(key, lineOf(key), message);
  }

  void errorAt(String relativePath, int l, String message) {
    ok = false;
    // a posted fault is the whole body: its keys are paths of their own
    in.error(prefix.isEmpty() ? relativePath : prefix + "." + relativePath, l, message);
  }
}
