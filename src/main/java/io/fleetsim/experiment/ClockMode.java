package io.fleetsim.experiment;

import java.util.Locale;

/**
 * {@code clock}: whose time a run keeps. {@code virtual}: simulated time, a discrete-event run
 * that is the same every time and as fast as the CPU allows (only with nothing outside the
 * process); {@code real}: the host's time, needed when real QEMU VMs take part.
 */
public enum ClockMode {
  VIRTUAL, REAL;

  public String hoconName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode a file or option names, if it names one. */
  public static java.util.Optional<ClockMode> parse(String text) {
    for (ClockMode m : values()) {
      if (m.hoconName().equals(text)) {
        return java.util.Optional.of(m);
      }
    }
    return java.util.Optional.empty();
  }

  /** Why virtual time cannot be: the sockets that reach outside the process, named. */
  public static String refusal(java.util.List<String> ports) {
    return "virtual time needs the whole experiment inside fleetsim, but " + String.join(", ", ports)
        + (ports.size() == 1 ? " reaches" : " reach") + " outside it (QEMU keeps the host's time);"
        + " use clock = real";
  }
}
