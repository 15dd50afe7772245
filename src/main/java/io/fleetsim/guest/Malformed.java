package io.fleetsim.guest;

/**
 * A header that cannot be parsed, with the counter that names why. Stackless: it is flow
 * control for bad input from the network, never a bug report.
 */
final class Malformed extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient StackCounter counter;

  Malformed(StackCounter counter, String why) {
    super(why, null, false, false);
    this.counter = counter;
  }

  StackCounter counter() {
    return counter;
  }
}
