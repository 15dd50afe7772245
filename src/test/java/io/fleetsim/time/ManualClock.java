package io.fleetsim.time;

import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A clock for tests: time moves only when the test runs the next task ({@link #runNext()}), which
 * happens on the test's thread at exactly the task's time (ties in scheduling order). It counts
 * the tasks that are scheduled and not yet run or cancelled, so a test can check how many timers
 * a component keeps.
 */
public final class ManualClock implements Clock {
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final class Task implements Timer {
    final long at;
    final long seq;
    final Runnable body;
    boolean done;

    Task(long at, long seq, Runnable body) {
      this.at = at;
      this.seq = seq;
      this.body = body;
    }

    @Override
    public void cancel() {
      synchronized (ManualClock.this) {
        done = true;
      }
    }
  }

  private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
      a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;

  @Override
  public boolean await(java.util.function.BooleanSupplier done, long deadlineNanos) {
    throw new UnsupportedOperationException("the test moves this clock (runNext)");
  }

  @Override
  public synchronized long nanos() {
    return now;
  }

  @Override
  public synchronized Instant instant() {
    return EPOCH.plusNanos(now);
  }

  @Override
  public synchronized Timer schedule(long delayNanos, Runnable task) {
    Task t = new Task(now + Math.max(0, delayNanos), seq++, task);
    queue.add(t);
    return t;
  }

  /** Tasks scheduled and neither run nor cancelled. */
  public synchronized int pending() {
    return (int) queue.stream().filter(t -> !t.done).count();
  }

  /** When the next live task is due; {@link Long#MAX_VALUE} when there is none. */
  public synchronized long nextAt() {
    dropDone();
    return queue.isEmpty() ? Long.MAX_VALUE : queue.peek().at;
  }

  /** Moves time to the next live task and runs it; false when there is none. */
  public boolean runNext() {
    Task t;
    synchronized (this) {
      dropDone();
      t = queue.poll();
      if (t == null) {
        return false;
      }
      t.done = true;
      now = Math.max(now, t.at);
    }
    t.body.run();
    return true;
  }

  private void dropDone() {
    while (!queue.isEmpty() && queue.peek().done) {
      queue.poll();
    }
  }
}
