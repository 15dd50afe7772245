package io.fleetsim.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetsim.addr.MacAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the faults, every frame is accounted for: in + copies made = out + drops + held,
 * at every step, also when faults come and go between frames.
 */
class AccountingProperties {

  @Property(tries = 200)
  void everyFrameIsAccountedFor(@ForAll("stacks") @Size(max = 5) List<Fault.LinkFault> stack,
      @ForAll @IntRange(min = 1, max = 400) int frames, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 5) int removeAfter) {
    Pipe p = new Pipe();
    List<String> ids = new ArrayList<>();
    for (Fault.LinkFault f : stack) {
      ids.add(p.add(f, seed++));
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    long now = 0;
    for (int i = 0; i < frames; i++) {
      now += random.nextLong(0, 3_000_000);
      p.offer(Pipe.frame(i, random.nextBoolean() ? 0x525400000002L : 0x525400000003L), now);
      if (i == frames / 2 && removeAfter < ids.size()) {
        p.remove(ids.get(removeAfter), now);
      }
      check(p);
    }
    p.releaseAll();
    check(p);
    assertEquals(0, p.pipeline.held());
  }

  private static void check(Pipe p) {
    FaultChain.Counters c = p.counters;
    assertEquals(c.framesIn.sum() + c.added.sum(),
        c.framesOut.sum() + p.allDrops() + c.held.sum());
    assertEquals(p.pipeline.held(), c.held.sum());
    assertEquals(p.out.size(), c.framesOut.sum());
  }

  @Provide
  Arbitrary<List<Fault.LinkFault>> stacks() {
    Arbitrary<Double> prob = Arbitraries.doubles().between(0, 1);
    Arbitrary<Duration> ms = Arbitraries.integers().between(0, 50).map(Duration::ofMillis);
    Arbitrary<Fault.LinkFault> one = Arbitraries.oneOf(
        Combinators.combine(ms, ms, Arbitraries.of(LatencyFault.Distribution.class))
            .as(LatencyFault::new),
        prob.map(LossFault::random),
        Combinators.combine(prob, prob, prob, prob).as(LossFault::gilbertElliott),
        prob.map(DuplicateFault::new),
        Combinators.combine(prob, Arbitraries.integers().between(1, 20).map(Duration::ofMillis))
            .as(ReorderFault::new),
        Combinators.combine(prob, Arbitraries.integers().between(1, 600)).as(CorruptFault::new),
        Combinators.combine(Arbitraries.longs().between(10_000, 100_000_000),
            Arbitraries.longs().between(60, 20_000), Arbitraries.longs().between(1, 100_000))
            .as(RateLimitFault::new),
        Arbitraries.just(new PartitionFault(Set.of(new MacAddress(0x525400000002L)))));
    return one.list().ofMaxSize(5);
  }
}
