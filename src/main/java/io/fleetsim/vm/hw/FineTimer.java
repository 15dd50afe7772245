package io.fleetsim.vm.hw;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A host timer for hardware delays shorter than the actor scheduler's tick. Pekko's scheduler
 * fires in whole ticks (1 ms in reference.conf, its minimum), so an e1000's 128 us
 * interrupt-mitigation window lasted 1-2 ms: each window held back the next interrupt that long,
 * which put milliseconds on every ping and capped receive at a ring's worth of frames per tick.
 * This timer keeps such delays to within tens of microseconds.
 *
 * <p>One daemon thread for the whole JVM; a task must only post a message ({@code
 * ActorRef.tell}) and return. Idle VMs schedule nothing, so it costs them nothing.
 */
public final class FineTimer {
  private static final ScheduledThreadPoolExecutor EXECUTOR = create();

  private FineTimer() {}

  /** Runs {@code post} on the timer thread after {@code delayNanos}; cancel through the future. */
  public static Future<?> schedule(long delayNanos, Runnable post) {
    return EXECUTOR.schedule(post, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread t = new Thread(task, "fleetsim-fine-timer");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true); // cancelled windows must not pile up in the queue
    return executor;
  }
}
