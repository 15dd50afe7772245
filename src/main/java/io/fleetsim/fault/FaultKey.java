package io.fleetsim.fault;

import java.util.Objects;
import java.util.Optional;

/**
 * One parameter of a fault kind: its key in the fault's element, the type of value it takes, its
 * default as HOCON text (none: the key is required) and a one-line doc.
 */
public record FaultKey(String name, Type type, Optional<String> defaultValue, String doc) {

  /** A value's type, as help shows it. */
  public enum Type {
    DURATION("DURATION"), PROBABILITY("0..1"), COUNT("N"), CHOICE("WORD"), SIZE("SIZE"),
    RATE("RATE"), VM_GROUPS("[[NAME, ...], ...]");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public FaultKey {
    Objects.requireNonNull(type, "type");
    if (name == null || !name.matches("[a-z][a-z-]*")) {
      throw new IllegalArgumentException("not a key name: " + name);
    }
    if (doc == null || doc.isBlank()) {
      throw new IllegalArgumentException("key " + name + " has no doc");
    }
  }

  public static FaultKey required(String name, Type type, String doc) {
    return new FaultKey(name, type, Optional.empty(), doc);
  }

  public static FaultKey optional(String name, Type type, String defaultValue, String doc) {
    return new FaultKey(name, type, Optional.of(defaultValue), doc);
  }

  /** {@code delay = DURATION} or {@code jitter = DURATION (0ms)}, then the doc. */
  public String usage() {
    return name + " = " + type.label() + defaultValue.map(d -> " (" + d + ")").orElse("")
        + ": " + doc;
  }
}
