package io.fleetsim.fault;

import static io.fleetsim.fault.Pipe.MS;
import static io.fleetsim.fault.Pipe.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.MacAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** Each kind's effect on traffic, in virtual time: frames offered 1 ms apart unless stated. */
class FaultStageTest {

  private static Pipe run(Pipe p, int frames, long spacing) {
    for (int i = 0; i < frames; i++) {
      p.offer(frame(i), i * spacing);
    }
    p.releaseAll();
    return p;
  }

  private static double mean(List<Pipe.Out> out, long spacing) {
    return out.stream().mapToLong(o -> o.at() - o.seq() * spacing).average().orElseThrow();
  }

  @Test
  void latencyDelaysEveryFrameByTheDelay() {
    Pipe p = run(Pipe.of(1, LatencyFault.of(Duration.ofMillis(50))), 100, MS);
    assertEquals(100, p.out.size());
    for (Pipe.Out o : p.out) {
      assertEquals(o.seq() * MS + 50 * MS, o.at());
    }
  }

  @Test
  void normalJitterHasTheMeanAndSpreadAsked() {
    Pipe p = run(Pipe.of(1, new LatencyFault(Duration.ofMillis(50), Duration.ofMillis(10),
        LatencyFault.Distribution.NORMAL)), 10_000, MS);
    double mean = mean(p.out, MS);
    double sd = Math.sqrt(p.out.stream().mapToDouble(o -> Math.pow(o.at() - o.seq() * MS - mean, 2))
        .average().orElseThrow());
    assertEquals(50 * MS, mean, 1 * MS);
    assertEquals(10 * MS, sd, 1 * MS);
    // 10 ms of jitter on frames 1 ms apart: frames overtake each other, as with netem
    List<Integer> order = p.out.stream().map(Pipe.Out::seq).collect(Collectors.toList());
    assertNotEquals(order.stream().sorted().collect(Collectors.toList()), order);
  }

  @Test
  void uniformJitterStaysWithinTheHalfWidth() {
    Pipe p = run(Pipe.of(1, new LatencyFault(Duration.ofMillis(50), Duration.ofMillis(10),
        LatencyFault.Distribution.UNIFORM)), 10_000, MS);
    for (Pipe.Out o : p.out) {
      long d = o.at() - o.seq() * MS;
      assertTrue(d >= 40 * MS && d <= 60 * MS, "delay " + d);
    }
    assertEquals(50 * MS, mean(p.out, MS), 1 * MS);
  }

  @Test
  void paretoJitterHasAHeavyTailAboveTheDelay() {
    Pipe p = run(Pipe.of(1, new LatencyFault(Duration.ofMillis(50), Duration.ofMillis(10),
        LatencyFault.Distribution.PARETO)), 10_000, MS);
    assertEquals(50 * MS, mean(p.out, MS), 2 * MS);
    long max = p.out.stream().mapToLong(o -> o.at() - o.seq() * MS).max().orElseThrow();
    assertTrue(max > 90 * MS, "longest delay " + max);
  }

  @Test
  void seededRandomLossIsExactlyRepeatableAndNearItsProbability() {
    long first = run(Pipe.of(7, LossFault.random(0.1)), 10_000, MS).drops(LossFault.CAUSE);
    long second = run(Pipe.of(7, LossFault.random(0.1)), 10_000, MS).drops(LossFault.CAUSE);
    assertEquals(first, second);
    assertEquals(1000, first, 3 * Math.sqrt(10_000 * 0.1 * 0.9));
  }

  @Test
  void gilbertElliottLossComesInBursts() {
    Pipe p = run(Pipe.of(3, LossFault.gilbertElliott(0.02, 0.25, 0, 1)), 20_000, MS);
    Set<Integer> passed = p.out.stream().map(Pipe.Out::seq).collect(Collectors.toSet());
    int bursts = 0;
    int lost = 0;
    for (int i = 0; i < 20_000; i++) {
      if (!passed.contains(i)) {
        lost++;
        if (i == 0 || passed.contains(i - 1)) {
          bursts++;
        }
      }
    }
    assertEquals(lost, p.drops(LossFault.CAUSE));
    double meanBurst = (double) lost / bursts;
    assertTrue(meanBurst > 2, "mean burst " + meanBurst + " over " + bursts + " bursts");
    // the same overall loss rate as random loss would show single frames only
    Pipe r = run(Pipe.of(3, LossFault.random((double) lost / 20_000)), 20_000, MS);
    assertTrue(r.drops(LossFault.CAUSE) > 0);
  }

  @Test
  void duplicateSendsSomeFramesTwice() {
    Pipe p = run(Pipe.of(5, new DuplicateFault(0.3)), 10_000, MS);
    long extra = p.out.size() - 10_000;
    assertEquals(extra, p.counters.added.sum());
    assertEquals(3000, extra, 3 * Math.sqrt(10_000 * 0.3 * 0.7));
    long twice = p.out.stream().collect(Collectors.groupingBy(Pipe.Out::seq, Collectors.counting()))
        .values().stream().filter(n -> n == 2).count();
    assertEquals(extra, twice);
  }

  @Test
  void reorderLetsLaterFramesOvertakeAHeldOne() {
    Pipe p = run(Pipe.of(9, new ReorderFault(0.2, Duration.ofMillis(10))), 1000, MS);
    assertEquals(1000, p.out.size());
    int overtaken = 0;
    for (int i = 1; i < p.out.size(); i++) {
      if (p.out.get(i).seq() < p.out.get(i - 1).seq()) {
        overtaken++;
      }
    }
    assertTrue(overtaken > 100, "overtaken " + overtaken);
    for (Pipe.Out o : p.out) {
      long d = o.at() - o.seq() * MS;
      assertTrue(d == 0 || d == 10 * MS, "delay " + d);
    }
  }

  @Test
  void corruptFlipsExactlyTheBitsAskedOnACopy() {
    Pipe p = new Pipe();
    p.add(new CorruptFault(1, 3), 11);
    byte[] original = frame(1).toArray();
    ByteString sent = ByteString.fromArray(original);
    for (int i = 0; i < 200; i++) {
      p.offer(sent, i);
    }
    p.releaseAll();
    assertArrayEquals(frame(1).toArray(), original, "the sent frame was modified");
    for (Pipe.Out o : p.out) {
      int differing = 0;
      for (int i = 0; i < original.length; i++) {
        differing += Integer.bitCount((original[i] ^ o.frame().apply(i)) & 0xff);
      }
      assertEquals(3, differing);
    }
    Pipe none = run(Pipe.of(1, new CorruptFault(0, 3)), 100, MS);
    assertTrue(none.out.stream().allMatch(o -> o.frame().equals(frame(o.seq()))));
  }

  @Test
  void rateLimitPassesTheRateAndDropsTheExcess() {
    // 10 Mbit/s offered for 1 s: 1250-byte frames every ms, through a 1 Mbit/s bucket
    RateLimitFault rate = new RateLimitFault(1_000_000, 6056, 65536);
    Pipe p = Pipe.of(1, rate);
    ByteString big = ByteString.fromArray(new byte[1250]);
    for (int i = 0; i < 1000; i++) {
      p.offer(big, i * MS);
    }
    long withinSecond = p.out.stream().filter(o -> o.at() <= 1000 * MS).count();
    long bitsPerSecond = withinSecond * 1250 * 8;
    assertEquals(1_000_000, bitsPerSecond, 100_000);
    p.releaseAll();
    long drops = p.drops(RateLimitFault.CAUSE);
    assertEquals(1000, p.out.size() + drops);
    // what passed in the end: the rate for 1 s, the burst and the queue's 64 KiB
    assertEquals(100 + 4 + 52, p.out.size(), 3);
    assertTrue(p.out.get(p.out.size() - 1).at() < 1600 * MS);
  }

  @Test
  void rateParsesBitsWithSiPrefixes() {
    assertEquals(10_000_000, RateLimitFault.parseRate("rate", "10Mbit"));
    assertEquals(1_500_000_000, RateLimitFault.parseRate("rate", "1.5 Gbit"));
    assertEquals(64_000, RateLimitFault.parseRate("rate", "64kbps"));
    assertEquals(1200, RateLimitFault.parseRate("rate", "1200bit"));
    // a bare number could mean bits, bytes or packets: the unit is required
    assertEquals("1200 has no unit; write it with one, e.g. 1200bit or 1200kbit (bits per second)",
        assertThrows(FaultParameterException.class, () -> RateLimitFault.parseRate("rate", "1200"))
            .getMessage());
    assertThrows(FaultParameterException.class, () -> RateLimitFault.parseRate("rate", "10M"));
    FaultParameterException e = assertThrows(FaultParameterException.class,
        () -> RateLimitFault.parseRate("rate", "10 MB/s"));
    assertEquals("rate", e.key());
    assertTrue(e.getMessage().contains("10 MB/s"));
  }

  @Test
  void partitionDropsFramesFromBlockedMacsOnly() {
    MacAddress blocked = MacAddress.tryParse("52:54:00:00:00:02").get();
    Pipe p = Pipe.of(1, new PartitionFault(Set.of(blocked)));
    for (int i = 0; i < 100; i++) {
      p.offer(frame(i, i % 2 == 0 ? blocked.bits() : 0x525400000003L), i * MS);
    }
    p.offer(ByteString.fromArray(new byte[8]), 100 * MS);
    p.releaseAll();
    assertEquals(50, p.drops(PartitionFault.CAUSE));
    assertEquals(51, p.out.size());
    assertTrue(p.out.stream().limit(50).allMatch(o -> o.seq() % 2 == 1));
  }

  @Test
  void recordsRejectBadValuesNamingThem() {
    assertEquals("probability", assertThrows(FaultParameterException.class,
        () -> LossFault.random(-0.1)).key());
    assertTrue(assertThrows(FaultParameterException.class,
        () -> new DuplicateFault(2)).getMessage().contains("2.0"));
    assertEquals("gap", assertThrows(FaultParameterException.class,
        () -> new ReorderFault(0.1, Duration.ZERO)).key());
    assertEquals("groups", assertThrows(FaultParameterException.class,
        () -> new PartitionFault.Groups(List.of(List.of("a"), List.of("b", "a")))).key());
  }

  @Test
  void theSameSeedMakesTheSameDecisions() {
    Fault.LinkFault[] stack = {LossFault.random(0.2), new DuplicateFault(0.2),
        new LatencyFault(Duration.ofMillis(5), Duration.ofMillis(5), LatencyFault.Distribution.NORMAL),
        new ReorderFault(0.2, Duration.ofMillis(3)), new CorruptFault(0.2, 2)};
    Pipe a = run(Pipe.of(42, stack), 5000, MS);
    Pipe b = run(Pipe.of(42, stack), 5000, MS);
    Pipe c = run(Pipe.of(43, stack), 5000, MS);
    assertEquals(a.out, b.out);
    assertEquals(a.allDrops(), b.allDrops());
    assertNotEquals(a.out, c.out);
  }

  @Test
  void removingAFaultReleasesWhatItHolds() {
    Pipe p = new Pipe();
    String slow = p.add(LatencyFault.of(Duration.ofSeconds(10)), 1);
    String reorder = p.add(new ReorderFault(1, Duration.ofMillis(200)), 2);
    for (int i = 0; i < 10; i++) {
      p.offer(frame(i), i * MS);
    }
    p.releaseUntil(100 * MS);
    assertTrue(p.out.isEmpty());
    p.remove(slow, 100 * MS);
    p.releaseUntil(150 * MS);
    assertTrue(p.out.isEmpty(), "the reorder's own 200 ms still applies");
    p.remove(reorder, 150 * MS);
    p.releaseUntil(150 * MS);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
        p.out.stream().map(Pipe.Out::seq).collect(Collectors.toList()));
    assertTrue(p.out.stream().allMatch(o -> o.at() == 150 * MS), "released at removal");
    assertEquals(0, p.pipeline.held());
  }
}
