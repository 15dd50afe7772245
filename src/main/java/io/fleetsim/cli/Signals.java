package io.fleetsim.cli;

import sun.misc.Signal;

/**
 * SIGINT and SIGTERM as a requested stop: the process shuts down in order, reports, and exits 0,
 * where the JVM's default would exit 130 or 143 from inside its shutdown hooks.
 */
final class Signals {
  private Signals() {}

  static void onStop(Runnable stop) {
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(name), signal -> stop.run());
    }
  }
}
