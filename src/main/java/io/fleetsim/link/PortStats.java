package io.fleetsim.link;

import java.util.Map;

/** An immutable snapshot of a port's counters, as printed at exit and written by --stats. */
public record PortStats(String port, long framesIn, long bytesIn, long framesOut, long bytesOut,
    Map<String, Long> drops) {
  public PortStats {
    drops = Map.copyOf(drops);
  }

  public long dropped() {
    return drops.values().stream().mapToLong(Long::longValue).sum();
  }
}
