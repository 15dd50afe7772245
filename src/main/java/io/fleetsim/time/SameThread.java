package io.fleetsim.time;

import java.util.concurrent.Executor;

/**
 * Runs a completion callback on the thread that completes the future (or registers it, if done).
 * The CompletionStages Pekko returns (asks, {@code watchTermination}, async callbacks with
 * feedback) are Scala futures seen as Java ones, and their plain {@code whenComplete} and
 * {@code thenApply} run on the common pool: on two cores a new thread per callback, and in virtual
 * time a thread outside the clock, which would race with it. Use {@code *Async(fn, EXECUTOR)}.
 */
public final class SameThread {
  private SameThread() {}

  public static final Executor EXECUTOR = Runnable::run;
}
