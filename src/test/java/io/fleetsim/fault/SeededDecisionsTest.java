package io.fleetsim.fault;

import static io.fleetsim.fault.Pipe.MS;
import static io.fleetsim.fault.Pipe.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind that draws random numbers draws them from its own stage's generator, seeded by the
 * chain entry: the same seed gives the same decisions on every build of the stage, another seed
 * other ones, and a link's decisions do not depend on what other links did in between (as they
 * would with a generator shared between links, whose draws go in whatever order the links run).
 */
class SeededDecisionsTest {
  private static final int FRAMES = 2000;

  static Stream<Fault.LinkFault> randomKinds() {
    Duration ms5 = Duration.ofMillis(5);
    return Stream.of(
        LossFault.random(0.2),
        LossFault.gilbertElliott(0.05, 0.3, 0.01, 0.9),
        new DuplicateFault(0.2),
        new ReorderFault(0.2, ms5),
        new CorruptFault(0.2, 3),
        new LatencyFault(ms5, Duration.ofMillis(2), LatencyFault.Distribution.NORMAL),
        new LatencyFault(ms5, Duration.ofMillis(2), LatencyFault.Distribution.UNIFORM),
        new LatencyFault(ms5, Duration.ofMillis(2), LatencyFault.Distribution.PARETO));
  }

  /** What one link did: each frame released (its time, number and a hash of its bytes), then the drops. */
  private static List<String> decisions(Pipe p) {
    p.releaseAll();
    List<String> out = new ArrayList<>();
    for (Pipe.Out o : p.out) {
      out.add(o.at() + " #" + o.seq() + " " + Integer.toHexString(o.frame().hashCode()));
    }
    out.add("dropped " + p.allDrops());
    return out;
  }

  private static List<String> alone(Fault.LinkFault fault, long seed) {
    Pipe p = Pipe.of(seed, fault);
    for (int i = 0; i < FRAMES; i++) {
      p.offer(frame(i), i * MS);
    }
    return decisions(p);
  }

  @ParameterizedTest
  @MethodSource("randomKinds")
  void theSameSeedDecidesTheSameOnEveryBuildAndAnotherSeedOtherwise(Fault.LinkFault fault) {
    List<String> first = alone(fault, 41);
    assertEquals(first, alone(fault, 41));
    assertNotEquals(first, alone(fault, 42));
  }

  @ParameterizedTest
  @MethodSource("randomKinds")
  void aLinksDecisionsDoNotDependOnOtherLinksTraffic(Fault.LinkFault fault) {
    Pipe link = Pipe.of(41, fault);
    Pipe other = Pipe.of(43, fault);
    for (int i = 0; i < FRAMES; i++) {
      // the other link runs first and carries more frames, as another actor might
      other.offer(frame(i), i * MS);
      other.offer(frame(i + FRAMES), i * MS);
      link.offer(frame(i), i * MS);
    }
    assertEquals(alone(fault, 41), decisions(link));
  }
}
