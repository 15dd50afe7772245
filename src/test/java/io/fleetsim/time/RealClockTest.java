package io.fleetsim.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The host clock's timer: a task runs, not before its delay, once; a cancelled one never runs;
 * tasks run in the order of their due times. Every check waits for an event (a task that ran), never for
 * time to pass; how close to its delay a task runs is for the benchmarks.
 */
class RealClockTest {
  private static final long MS = 1_000_000L;
  private static final long PATIENCE_SECONDS = 30; // generous: the machine may be loaded

  private final Clock clock = RealClock.system();

  @Test
  void aTaskRunsOnceOnTheClocksThreadAndNotBeforeItsDelay() throws Exception {
    long delay = 50 * MS;
    AtomicInteger runs = new AtomicInteger();
    AtomicLong ranAt = new AtomicLong();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    long scheduledAt = System.nanoTime();
    clock.schedule(delay, () -> {
      ranAt.set(System.nanoTime());
      ranOn.set(Thread.currentThread());
      runs.incrementAndGet();
      ran.countDown();
    });
    assertTrue(ran.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "the task ran");
    assertTrue(ranAt.get() - scheduledAt >= delay,
        "ran " + (ranAt.get() - scheduledAt) + " ns after it was scheduled, its delay is " + delay);
    assertNotSame(Thread.currentThread(), ranOn.get());
    assertTrue(ranOn.get().isDaemon(), "the clock's thread does not keep the JVM alive");

    // a task due later runs after any second run of the first would have: it ran once
    awaitTaskAfter(3 * delay);
    assertEquals(1, runs.get());
  }

  @Test
  void aCancelledTaskNeverRuns() throws Exception {
    AtomicInteger cancelledRuns = new AtomicInteger();
    Clock.Timer cancelled = clock.schedule(100 * MS, cancelledRuns::incrementAndGet);
    cancelled.cancel();
    cancelled.cancel(); // a second cancel changes nothing
    // the clock's one thread runs tasks in due order: once this one has run, the cancelled one's
    // time has come and gone
    awaitTaskAfter(200 * MS);
    assertEquals(0, cancelledRuns.get());
  }

  @Test
  void cancellingATaskThatRanDoesNothing() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    Clock.Timer timer = clock.schedule(MS, ran::countDown);
    assertTrue(ran.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
    timer.cancel();
    assertEquals(0, ran.getCount());
  }

  @Test
  void tasksRunInTheOrderOfTheirDelaysNotOfTheirScheduling() throws Exception {
    ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    CountDownLatch both = new CountDownLatch(2);
    clock.schedule(200 * MS, () -> {
      order.add("later");
      both.countDown();
    });
    clock.schedule(20 * MS, () -> {
      order.add("sooner");
      both.countDown();
    });
    assertTrue(both.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "both tasks ran");
    assertEquals(List.of("sooner", "later"), List.copyOf(order));
  }

  @Test
  void aDelayOfZeroOrLessRunsAtOnce() throws Exception {
    CountDownLatch ran = new CountDownLatch(2);
    clock.schedule(0, ran::countDown);
    clock.schedule(-5, ran::countDown);
    assertTrue(ran.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void sleepReturnsOnceTheClockHasMovedOnByItsDelay() throws Exception {
    long delay = 30 * MS;
    long before = clock.nanos();
    clock.sleep(delay);
    assertTrue(clock.nanos() - before >= delay, "slept less than its delay");
  }

  @Test
  void nowIsTheHostsTime() {
    long before = System.nanoTime();
    long nanos = clock.nanos();
    long after = System.nanoTime();
    assertTrue(before <= nanos && nanos <= after, "monotonic time is the host's");
    Instant from = Instant.now();
    Instant instant = clock.instant();
    Instant to = Instant.now();
    assertFalse(instant.isBefore(from) || instant.isAfter(to), "the instant is the host's");
  }

  /** Schedules a task {@code delayNanos} from now and waits until it has run. */
  private void awaitTaskAfter(long delayNanos) throws InterruptedException {
    CountDownLatch later = new CountDownLatch(1);
    clock.schedule(delayNanos, later::countDown);
    assertTrue(later.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "the later task ran");
  }
}
