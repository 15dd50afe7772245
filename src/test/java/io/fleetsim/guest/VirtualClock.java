package io.fleetsim.guest;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Deterministic virtual time for guest tests: tasks run in time order (ties in scheduling
 * order) on the test thread, and time jumps from one task to the next.
 */
public final class VirtualClock {
  public static final long START = 1_000_000_000_000L;

  private static final class Task implements GuestEnv.Cancellable {
    final long at;
    final long seq;
    final Runnable body;
    boolean cancelled;

    Task(long at, long seq, Runnable body) {
      this.at = at;
      this.seq = seq;
      this.body = body;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
      a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long now = START;
  private long seq;

  public long now() {
    return now;
  }

  public GuestEnv.Cancellable schedule(long delayNanos, Runnable body) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("negative delay " + delayNanos);
    }
    Task t = new Task(now + delayNanos, seq++, body);
    queue.add(t);
    return t;
  }

  /** Runs every task due within {@code nanos} from now, then sets the time to now + nanos. */
  public void runFor(long nanos) {
    long end = now + nanos;
    while (!queue.isEmpty() && queue.peek().at <= end) {
      step();
    }
    now = end;
  }

  public void runForMillis(long millis) {
    runFor(millis * 1_000_000L);
  }

  /** Runs tasks until {@code done} holds; false if it did not within {@code maxNanos}. */
  public boolean runUntil(BooleanSupplier done, long maxNanos) {
    long end = now + maxNanos;
    while (!done.getAsBoolean()) {
      if (queue.isEmpty() || queue.peek().at > end) {
        now = Math.max(now, end);
        return done.getAsBoolean();
      }
      step();
    }
    return true;
  }

  /** Lets time pass without running anything: due tasks run late, at the next run. */
  public void stall(long nanos) {
    now += nanos;
  }

  /** Live tasks still queued. */
  public int pending() {
    int n = 0;
    for (Task t : queue) {
      if (!t.cancelled) {
        n++;
      }
    }
    return n;
  }

  private void step() {
    Task t = queue.poll();
    now = Math.max(now, t.at);
    if (!t.cancelled) {
      t.body.run();
    }
  }
}
