package io.fleetsim.time;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;

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
   * Blocks the calling thread (never a model thread: a run's own thread polling its books) until
   * this clock has moved on by {@code delayNanos}.
   */
  default void sleep(long delayNanos) throws InterruptedException {
    CountDownLatch passed = new CountDownLatch(1);
    Timer timer = schedule(delayNanos, passed::countDown);
    try {
      passed.await();
    } finally {
      timer.cancel();
    }
  }

  /** A scheduled task; cancelling one that ran or was cancelled does nothing. */
  interface Timer {
    void cancel();
  }
}
