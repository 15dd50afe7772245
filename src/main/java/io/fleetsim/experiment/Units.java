package io.fleetsim.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Durations and sizes in an experiment file must say their unit. Typesafe Config reads a bare
 * number as milliseconds ({@code getDuration}) or bytes ({@code getBytes}), so {@code duration =
 * 20} would run 20 ms; here a value without a unit is refused, and the message shows how to write
 * it. Counts (count, seed, probability, bits, cpu.mhz) are plain numbers and never come here.
 */
final class Units {
  /** What Typesafe would read as a number alone: digits, a point, an exponent, no unit word. */
  private static final Pattern BARE =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private Units() {}

  /** {@code path} as a duration with a unit ({@code 20s}, {@code 500 ms}). */
  static Duration duration(Config config, String path) {
    requireUnit(config.getValue(path), path, "s", "ms");
    return config.getDuration(path);
  }

  /** {@code path} as a size with a unit ({@code 1514 B}, {@code 64 KiB}). */
  static long bytes(Config config, String path) {
    requireUnit(config.getValue(path), path, "B", "KiB");
    return config.getBytes(path);
  }

  private static void requireUnit(ConfigValue value, String path, String unit, String otherUnit) {
    boolean text = value.valueType() == ConfigValueType.STRING;
    if (value.valueType() != ConfigValueType.NUMBER && !text) {
      return; // a list or object: Config's own type error names it
    }
    String number = text ? ((String) value.unwrapped()).trim() : value.render();
    if (BARE.matcher(number).matches()) {
      // BadValue is what the reader already catches and rephrases for every other bad value
      throw new ConfigException.BadValue(value.origin(), path, noUnit(number, unit, otherUnit));
    }
  }

  /** {@code 20 has no unit; write it with one, e.g. 20s or 20ms}. */
  private static String noUnit(String number, String unit, String otherUnit) {
    return number + " has no unit; write it with one, e.g. " + number + unit + " or " + number
        + otherUnit;
  }
}
