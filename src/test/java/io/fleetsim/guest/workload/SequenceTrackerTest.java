package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
  @Test
  void inOrderWithAGap() {
    SequenceTracker t = new SequenceTracker();
    for (long s : new long[] {0, 1, 2, 5, 6}) {
      t.record(s);
    }
    assertEquals(5, t.unique());
    assertEquals(2, t.lost());
    assertEquals(0, t.outOfOrder());
    t.record(3);
    assertEquals(1, t.lost());
    assertEquals(1, t.outOfOrder());
    t.record(3);
    assertEquals(1, t.duplicates());
  }

  @Test
  void aJumpBeyondTheWindowForgetsOldBits() {
    SequenceTracker t = new SequenceTracker();
    t.record(0);
    t.record(SequenceTracker.WINDOW * 3L);
    t.record(SequenceTracker.WINDOW * 3L - 1);
    assertEquals(0, t.duplicates(), "the bit of 0 aliases but was cleared");
    assertEquals(1, t.outOfOrder());
  }

  /** Against a plain set: random subsets, shuffled locally, with duplicates. */
  @Property(tries = 100)
  void matchesASetModel(@ForAll @IntRange(min = 1, max = 3000) int n, @ForAll long seed) {
    Random r = new Random(seed);
    List<Long> arrivals = new ArrayList<>();
    for (long s = 0; s < n; s++) {
      if (r.nextInt(10) != 0) {
        arrivals.add(s);
      }
      if (r.nextInt(20) == 0) {
        arrivals.add(s);
      }
    }
    // Local reordering within blocks of 8.
    for (int i = 0; i + 8 <= arrivals.size(); i += 8) {
      Collections.shuffle(arrivals.subList(i, i + 8), r);
    }
    SequenceTracker t = new SequenceTracker();
    java.util.Set<Long> seen = new java.util.HashSet<>();
    long dups = 0;
    long late = 0;
    long highest = -1;
    for (long s : arrivals) {
      t.record(s);
      if (!seen.add(s)) {
        dups++;
      } else if (s < highest) {
        late++;
      }
      highest = Math.max(highest, s);
    }
    assertEquals(seen.size(), t.unique());
    assertEquals(dups, t.duplicates());
    assertEquals(late, t.outOfOrder());
    assertEquals(highest + 1 - seen.size(), t.lost());
  }
}
