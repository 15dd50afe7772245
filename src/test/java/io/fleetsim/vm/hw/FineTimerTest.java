package io.fleetsim.vm.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FineTimerTest {

  @Test
  void runsTheTaskOnceAfterTheDelay() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch ran = new CountDownLatch(1);
    FineTimer.schedule(100_000, () -> {
      runs.incrementAndGet();
      ran.countDown();
    });
    assertTrue(ran.await(10, TimeUnit.SECONDS), "the task ran");
    Thread.sleep(50);
    assertEquals(1, runs.get());
  }

  @Test
  void aCancelledTaskDoesNotRunButLaterOnesDo() throws Exception {
    AtomicInteger cancelledRuns = new AtomicInteger();
    Future<?> cancelled = FineTimer.schedule(TimeUnit.MILLISECONDS.toNanos(200),
        cancelledRuns::incrementAndGet);
    assertTrue(cancelled.cancel(false));
    CountDownLatch later = new CountDownLatch(1);
    FineTimer.schedule(TimeUnit.MILLISECONDS.toNanos(400), later::countDown);
    assertTrue(later.await(10, TimeUnit.SECONDS), "the later task ran");
    assertEquals(0, cancelledRuns.get());
  }

  @Test
  void aNegativeDelayRunsAtOnce() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    FineTimer.schedule(-5, ran::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS));
  }
}
