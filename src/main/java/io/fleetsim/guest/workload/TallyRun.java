package io.fleetsim.guest.workload;

import io.fleetsim.guest.socket.Sockets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A run whose result is its tally at the moment it ends, by itself or stopped: the tally is
 * taken once, what the run holds is released, its summary is printed and the result completes.
 * Afterwards {@link #snapshot()} keeps returning that final tally.
 */
abstract class TallyRun<R extends WorkloadResult> implements WorkloadRun {
  final Sockets stack;
  private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
  private R last;

  TallyRun(Sockets stack) {
    this.stack = stack;
  }

  /** What the run achieved so far. */
  abstract R tally();

  /** Closes the run's sockets and cancels its timers; called once, when it ends. */
  abstract void release();

  /** Ends the run (idempotent). */
  final void end() {
    if (last != null) {
      return;
    }
    last = tally();
    release();
    stack.print(last.summary());
    result.complete(last);
  }

  @Override
  public final R snapshot() {
    return last != null ? last : tally();
  }

  @Override
  public final CompletionStage<WorkloadResult> result() {
    return result.minimalCompletionStage();
  }

  @Override
  public final void stop() {
    end();
  }

  @Override
  public final boolean done() {
    return last != null;
  }
}
