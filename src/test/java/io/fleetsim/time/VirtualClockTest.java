package io.fleetsim.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;

class VirtualClockTest {
  private static final long MS = 1_000_000L;

  @Test
  void timersRunInTimeOrderAndTiesInTheOrderTheyWereSet() throws Exception {
    try (VirtualClock clock = VirtualClock.create()) {
      clock.drive();
      List<String> ran = new ArrayList<>(); // only the loop touches it
      clock.schedule(30 * MS, () -> ran.add("c@" + clock.nanos()));
      clock.schedule(10 * MS, () -> ran.add("a@" + clock.nanos()));
      clock.schedule(10 * MS, () -> ran.add("b@" + clock.nanos()));
      Clock.Timer cancelled = clock.schedule(20 * MS, () -> ran.add("cancelled"));
      cancelled.cancel();
      assertFalse(clock.await(() -> false, 25 * MS));
      assertEquals(25 * MS, clock.nanos(), "the clock stands at the deadline");
      assertEquals(List.of("a@" + 10 * MS, "b@" + 10 * MS), ran);
      clock.sleep(10 * MS);
      assertEquals(List.of("a@" + 10 * MS, "b@" + 10 * MS, "c@" + 30 * MS), ran);
      assertEquals(35 * MS, clock.nanos());
    }
  }

  @Test
  void awaitStopsAtTheInstantTheConditionHolds() throws Exception {
    try (VirtualClock clock = VirtualClock.create()) {
      clock.drive();
      AtomicInteger fired = new AtomicInteger();
      for (int i = 1; i <= 100; i++) {
        clock.schedule(i * MS, fired::incrementAndGet);
      }
      assertTrue(clock.await(() -> fired.get() >= 40, 1_000 * MS));
      assertEquals(40 * MS, clock.nanos(), "the run's thread gets its turn where the 40th timer ran");
      assertEquals(40, fired.get(), "and nothing later ran meanwhile");
    }
  }

  @Test
  void theModelRunsOnlyWhileTheRunsThreadWaits() throws Exception {
    try (VirtualClock clock = VirtualClock.create()) {
      clock.drive();
      AtomicInteger ran = new AtomicInteger();
      clock.execute(ran::incrementAndGet);
      clock.schedule(0, ran::incrementAndGet);
      // nothing may run until await: what the run's thread does between waits is one step
      assertEquals(0, ran.get());
      assertTrue(clock.await(() -> ran.get() == 2, 0));
      assertEquals(0, clock.nanos());
      assertThrows(IllegalStateException.class, () -> {
        clock.release();
        clock.await(() -> true, 0);
      });
    }
  }

  private record Tick() {}

  private static Behavior<Tick> ticker(AtomicLong ticks, AtomicLong lastAt, VirtualClock clock) {
    return Behaviors.withTimers(timers -> {
      timers.startTimerAtFixedRate(new Tick(), Duration.ofMillis(1));
      return Behaviors.receiveMessage(t -> {
        ticks.incrementAndGet();
        lastAt.set(clock.nanos());
        return Behaviors.same();
      });
    });
  }

  @Test
  void actorTimersStreamTimersAndAskTimeoutsKeepTheClocksTime() throws Exception {
    VirtualClock clock = VirtualClock.create();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "virtual", clock.actorConfig()
        .withFallback(com.typesafe.config.ConfigFactory.load()));
    try {
      Materializer materializer = Materializer.matFromSystem(system);
      clock.drive();
      AtomicLong ticks = new AtomicLong();
      AtomicLong lastAt = new AtomicLong();
      system.systemActorOf(ticker(ticks, lastAt, clock), "ticker",
          org.apache.pekko.actor.typed.Props.empty());
      assertTrue(clock.await(() -> ticks.get() == 10_000, 60_000 * MS));
      assertEquals(10_000 * MS, lastAt.get(), "10,000 ticks of 1 ms: 10 simulated seconds, exactly");

      CompletionStage<List<Long>> stamps = Source.tick(Duration.ofMillis(5), Duration.ofMillis(10), "t")
          .map(t -> clock.nanos()).take(3).runWith(Sink.seq(), materializer);
      long t0 = clock.nanos();
      assertTrue(clock.await(stamps, t0 + 1_000 * MS));
      assertEquals(List.of(t0 + 5 * MS, t0 + 15 * MS, t0 + 25 * MS), stamps.toCompletableFuture().get());

      ActorRef<Object> silent = system.systemActorOf(Behaviors.ignore(), "silent",
          org.apache.pekko.actor.typed.Props.empty());
      long asked = clock.nanos();
      CompletableFuture<Object> ask = AskPattern.<Object, Object>ask(silent, r -> "hello",
          Duration.ofSeconds(30), system.scheduler()).toCompletableFuture();
      assertTrue(clock.await(ask, asked + 60_000 * MS));
      assertTrue(ask.isCompletedExceptionally());
      assertThrows(java.util.concurrent.ExecutionException.class, ask::get);
      assertEquals(asked + 30_000 * MS, clock.nanos(), "an unanswered ask times out 30 simulated s later");
    } finally {
      clock.release();
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the system did not stop on its released clock", e);
      }
      clock.close();
    }
  }
}
