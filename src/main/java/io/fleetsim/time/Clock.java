package io.fleetsim.time;

import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * The one notion of "now" that model code has: every component that waits or stamps (a VM and
 * its vCPU, e1000 timers, guest timers and workloads, fault chains, the experiment's conductor
 * and sampler) is given a clock and asks it, never the host. {@link RealClock} follows the host;
 * a virtual clock can stand in without the model noticing.
 */
public interface Clock {
  /** Nanoseconds on this clock's monotonic timeline (only differences mean anything). */
  long nanos();

  /** The wall-clock instant of {@link #nanos()} now: pcap timestamps, report headers. */
  Instant instant();

  /**
   * Runs {@code task} once, {@code delayNanos} from now (at once when not positive), on the
   * clock's own thread. The task must only post a message or an async callback and return.
   */
  Timer schedule(long delayNanos, Runnable task);

  /**
   * The run's own thread (never a model thread) waits here while the model runs, until
   * {@code done} holds or this clock reaches {@code deadlineNanos} on its {@link #nanos()}
   * timeline; returns whether {@code done} holds. {@code done} may be asked on another thread:
   * it must only read. On a virtual clock this is where simulated time passes.
   */
  boolean await(BooleanSupplier done, long deadlineNanos) throws InterruptedException;

  /** {@link #await(BooleanSupplier, long)} for a reply: true if it came by the deadline. */
  default boolean await(CompletionStage<?> reply, long deadlineNanos) throws InterruptedException {
    return await(reply.toCompletableFuture()::isDone, deadlineNanos);
  }

  /** Waits until this clock has moved on by {@code delayNanos} (the run's thread only). */
  default void sleep(long delayNanos) throws InterruptedException {
    await(() -> false, nanos() + delayNanos);
  }

  /** A scheduled task; cancelling one that ran or was cancelled does nothing. */
  interface Timer {
    void cancel();
  }
}
