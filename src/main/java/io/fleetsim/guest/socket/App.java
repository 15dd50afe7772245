package io.fleetsim.guest.socket;

import java.util.Map;

/**
 * A guest program of your own, run by the workload line {@code app CLASS key=value ...}: a
 * public class with a public no-argument constructor, found on fleetsim's classpath.
 *
 * <p>Lifecycle. When the experiment is read, fleetsim makes an instance and calls {@link
 * #configure} with the line's arguments, so that bad ones are errors of the file (at its line),
 * before anything runs; that instance also answers {@link #finite}. Each run (each boot of each
 * VM that runs the line) gets a fresh instance: {@link #configure}, then {@link #start} on the
 * VM's thread once every VM of the experiment is up. The run ends when the app calls the
 * {@code finished} callback it was given, or when fleetsim calls {@link #stop} (the end of the
 * experiment; a crash ends the VM without one). Then {@link #summary}, {@link #success} and
 * {@link #results} are read for results.json and the report (they may also be read while it
 * runs, for a VM that is crashed).
 *
 * <p>Threading. Like everything in a simulated guest, an app runs on one thread: every call
 * into it ({@link #start}, socket callbacks, timers, {@link #stop}) comes on its VM's thread,
 * one at a time, so it needs no locks. It must never block or sleep: wait with {@link
 * Sockets#schedule}, read the time from {@link Sockets#nanoTime} (in virtual time the host's
 * clock has nothing to do with the simulation) and draw random numbers from {@link
 * Sockets#random}, so that a seed replays the run. An exception thrown by the app ends its run
 * as failed, with the exception in its result; the VM goes on.
 */
public interface App {
  /**
   * Takes the workload line's {@code key=value} arguments, in the order written. Throw an
   * {@link IllegalArgumentException} whose message names the bad argument and says what is
   * expected; fleetsim reports it as an error of the workload line. Keep it free of side
   * effects: it also runs when an experiment is only validated.
   */
  void configure(Map<String, String> args);

  /**
   * Whether the app ends by itself (a client: it calls {@code finished}, and the experiment's
   * finite workloads are waited for) or runs until stopped (a server). Asked after {@link
   * #configure}; the default is a server.
   */
  default boolean finite() {
    return false;
  }

  /**
   * Starts the run on the VM's thread: open sockets, schedule timers, and return at once.
   *
   * @param finished call it (once) when the app has done its work; later callbacks to the app
   *     are dropped
   */
  void start(Sockets sockets, Runnable finished);

  /** Ends the run now (the experiment is over): close sockets, cancel timers. Called once. */
  void stop();

  /** Whether the run did what it should; the default criterion of an {@code app} workload. */
  default boolean success() {
    return true;
  }

  /** One line for the console and the report, e.g. {@code gossip: 12 of 12 peers heard}. */
  String summary();

  /**
   * Figures for results.json, under the workload's {@code result.results}: numbers, strings and
   * booleans (anything else is written as its {@code toString()}), sorted by name.
   */
  default Map<String, Object> results() {
    return Map.of();
  }
}
