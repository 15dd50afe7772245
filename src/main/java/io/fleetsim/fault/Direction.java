package io.fleetsim.fault;

import java.util.Locale;

/**
 * Which frames of a target a link fault applies to: {@code OUT} the frames it sends, {@code IN}
 * those it receives. Lives on the chain entry, not in the faults.
 */
public enum Direction {
  BOTH, IN, OUT;

  public String hoconName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The same frames seen from the other end of the link. */
  public Direction reversed() {
    return this == IN ? OUT : this == OUT ? IN : BOTH;
  }

  public static Direction parse(String key, String text) {
    for (Direction d : values()) {
      if (d.hoconName().equals(text)) {
        return d;
      }
    }
    throw new FaultParameterException(key, "unknown direction '" + text
        + "' (expected both, in or out)");
  }
}
