package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Every pinging VM holds one RTT histogram: small, and as precise as a plain 3-digit one. */
class RttStatsTest {
  @Test
  void aMinuteOfPingsWithOneSlowReplyStaysSmallAndGivesThe3DigitPercentiles() {
    AbstractHistogram rtts = RttStats.histogram();
    Histogram plain = new Histogram(3); // the library's own at the precision results.json prints
    plain.setAutoResize(true);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 59; i++) {
      long micros = 200 + random.nextLong(400); // a quiet switch: 0.2 to 0.6 ms
      rtts.recordValue(micros);
      plain.recordValue(micros);
    }
    rtts.recordValue(1_500_000); // one reply 1.5 s late (a loaded host, a fault)
    plain.recordValue(1_500_000);
    assertEquals(RttStats.of(plain), RttStats.of(rtts));
    // a flat counts array covering 1.5 s at 3 digits takes 45 KiB
    assertTrue(rtts.getEstimatedFootprintInBytes() < 4096,
        rtts.getEstimatedFootprintInBytes() + " bytes");
  }
}
