package io.fleetsim.guest.socket;

/** A pending {@link Sockets#schedule} task. */
@FunctionalInterface
public interface Timer {
  /** Cancels the task if it has not run yet; harmless afterwards. */
  void cancel();
}
