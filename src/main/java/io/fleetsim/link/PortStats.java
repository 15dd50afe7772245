package io.fleetsim.link;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An immutable snapshot of a port's counters, as printed at exit and written by --stats. */
public record PortStats(String port, long framesIn, long bytesIn, long framesOut, long bytesOut,
    Map<String, Long> drops) {
  public PortStats {
    // in the order given (DropCause order from PortCounters): Map.copyOf's order changes from
    // one JVM to the next, and so did --stats and results.json
    drops = Collections.unmodifiableMap(new LinkedHashMap<>(drops));
  }

  public long dropped() {
    return drops.values().stream().mapToLong(Long::longValue).sum();
  }
}
