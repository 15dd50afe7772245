package io.fleetsim.time;

import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The host's time. Tasks run on one daemon timer thread, not on Pekko's scheduler: that one fires
 * in whole ticks (1 ms, its minimum), which stretched an e1000's 128 us interrupt-mitigation
 * window to 1-2 ms, put milliseconds on every ping and capped receive at a ring of frames per tick.
 * This thread keeps delays to within tens of microseconds. Idle VMs schedule nothing, so it costs
 * them nothing.
 */
public final class RealClock implements Clock {
  private static final RealClock SYSTEM = new RealClock();

  private final ScheduledThreadPoolExecutor executor;

  private RealClock() {
    executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread t = new Thread(task, "fleetsim-clock");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true); // cancelled windows must not pile up in the queue
  }

  /** The JVM's one real clock (one timer thread for every run and VM in the process). */
  public static RealClock system() {
    return SYSTEM;
  }

  @Override
  public long nanos() {
    return System.nanoTime();
  }

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public Timer schedule(long delayNanos, Runnable task) {
    Future<?> future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  /**
   * Polls {@code done}: the run's thread has nothing to wake it, and a condition over counters
   * has no notifier. The first checks come quickly (a reply is often a few microseconds away),
   * then at most every millisecond.
   */
  @Override
  public boolean await(BooleanSupplier done, long deadlineNanos) throws InterruptedException {
    long pause = 10_000;
    while (!done.getAsBoolean()) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return done.getAsBoolean();
      }
      LockSupport.parkNanos(Math.min(left, pause));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      pause = Math.min(1_000_000, pause * 2);
    }
    return true;
  }

  @Override
  public boolean await(CompletionStage<?> reply, long deadlineNanos) throws InterruptedException {
    try {
      reply.toCompletableFuture().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // failed, or not yet: the caller reads the reply
    }
    return reply.toCompletableFuture().isDone();
  }

  /** Sleeps on the timer thread, to the timer's precision. */
  @Override
  public void sleep(long delayNanos) throws InterruptedException {
    java.util.concurrent.CountDownLatch passed = new java.util.concurrent.CountDownLatch(1);
    Timer timer = schedule(delayNanos, passed::countDown);
    try {
      passed.await();
    } finally {
      timer.cancel();
    }
  }

  @Override
  public String toString() {
    return "real time";
  }
}
