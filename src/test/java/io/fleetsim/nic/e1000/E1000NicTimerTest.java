package io.fleetsim.nic.e1000;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.time.Clock;
import io.fleetsim.vm.hw.GuestMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The NIC arms the device's mitigation timer on the clock it was given, from the device's own
 * call, and the timer's firing (through the NIC actor) ends the window: the cause raised inside
 * it reaches the interrupt line only then.
 */
class E1000NicTimerTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final int ICR = 0x00C0;
  static final int ICS = 0x00C8;
  static final int IMS = 0x00D0;
  static final int ICR_LSC = 1 << 2;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** A clock whose tasks run only when the test runs them. */
  static final class ManualClock implements Clock {
    @Override
    public boolean await(java.util.function.BooleanSupplier done, long deadlineNanos) {
      throw new UnsupportedOperationException("not a run's clock");
    }

    record Task(long delayNanos, Runnable task) {}

    final List<Task> scheduled = new ArrayList<>();

    @Override
    public long nanos() {
      return 0;
    }

    @Override
    public Instant instant() {
      return Instant.EPOCH;
    }

    @Override
    public synchronized Timer schedule(long delayNanos, Runnable task) {
      scheduled.add(new Task(delayNanos, task));
      return () -> { };
    }

    synchronized Task task(int i) {
      return scheduled.get(i);
    }

    synchronized int count() {
      return scheduled.size();
    }
  }

  @Test
  void theMitigationWindowIsArmedOnTheClockAndEndsWhenItFires() throws Exception {
    ManualClock clock = new ManualClock();
    BlockingQueue<Integer> interrupts = new LinkedBlockingQueue<>();
    CompletableFuture<E1000Nic.Handle> nic = new CompletableFuture<>();
    kit.spawn(Behaviors.setup(ctx -> {
      nic.complete(E1000Nic.spawn(ctx, "nic", new MacAddress(0x525400123456L),
          new GuestMemory(1 << 20), E1000Nic.Settings.defaults(), E1000Nic.Wire.PAUSABLE, clock,
          () -> interrupts.add(1)));
      return Behaviors.empty();
    }));
    E1000 device = nic.get(10, TimeUnit.SECONDS).device();

    device.mmioWrite(IMS, ICR_LSC);
    device.mmioWrite(ICS, ICR_LSC); // a rising edge: the line goes up and a window opens
    assertEquals(1, interrupts.poll(10, TimeUnit.SECONDS));
    assertEquals(1, clock.count());
    assertEquals(500 * 256, clock.task(0).delayNanos(), "the 82540's minimum window, 128 us");

    device.mmioRead(ICR); // the guest takes the cause: the line drops
    device.mmioWrite(ICS, ICR_LSC); // inside the window: waits for the timer
    assertEquals(1, clock.count());
    assertNull(interrupts.poll());

    clock.task(0).task().run(); // the clock thread's part: a message to the NIC actor
    assertEquals(1, interrupts.poll(10, TimeUnit.SECONDS), "the window closed, the cause is in");
    assertEquals(2, clock.count(), "and the new edge opened the next window");
  }
}
