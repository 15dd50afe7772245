package io.fleetsim.qemu;

import java.util.Objects;

/**
 * One option as the user gave it: {@code name} is {@code -netdev}, {@code -device} or
 * {@code -object} (QEMU's {@code --netdev} spelling is accepted too), {@code value} the text
 * after it.
 */
public record QemuOption(String name, String value) {

  public QemuOption {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  public static QemuOption netdev(String value) {
    return new QemuOption("-netdev", value);
  }

  public static QemuOption device(String value) {
    return new QemuOption("-device", value);
  }

  public static QemuOption object(String value) {
    return new QemuOption("-object", value);
  }
}
