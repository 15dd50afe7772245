package io.fleetsim.control;

import java.util.Locale;
import java.util.Optional;

/** What {@code POST /vms/NAME/ACTION} may ask; each but link-up is the fault kind of its name. */
public enum VmAction {
  CRASH, RESTART, PAUSE, RESUME, LINK_DOWN, LINK_UP;

  /** As URLs and fault kinds spell it: {@code link-down}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<VmAction> parse(String label) {
    for (VmAction a : values()) {
      if (a.label().equals(label)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
