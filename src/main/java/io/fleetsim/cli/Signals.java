package io.fleetsim.cli;

import sun.misc.Signal;

/**
 * SIGINT and SIGTERM as a requested stop: the process shuts down in order, reports, and exits
 * with its usual status, where the JVM's default would exit 130 or 143 from inside its shutdown
 * hooks. Commands install it before their first line of output, so that a script that signals
 * as soon as it sees one ("listening on", "ready") reaches the handler, whatever is starting.
 */
final class Signals {
  private Signals() {}

  static void onStop(Runnable stop) {
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(name), signal -> stop.run());
    }
  }
}
