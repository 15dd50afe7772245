package io.fleetsim.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A port's snapshot lists its drops in one order, every run (--stats and results.json show it). */
class PortStatsTest {
  @Test
  void dropsKeepTheCausesDeclaredOrder() {
    PortCounters counters = new PortCounters();
    counters.drop(DropCause.RUNT);
    counters.drop(DropCause.NO_PEER, 2);
    PortStats stats = counters.snapshot("p0");

    List<String> declared = Arrays.stream(DropCause.values()).map(DropCause::label).toList();
    assertEquals(declared, List.copyOf(stats.drops().keySet()));
    assertEquals(1L, stats.drops().get("runt"));
    assertEquals(2L, stats.drops().get("no-peer"));
    assertEquals(3L, stats.dropped());
  }
}
