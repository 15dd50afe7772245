package io.fleetsim.cli;

import io.fleetsim.link.PortStats;
import java.util.List;
import java.util.Map;

/** The per-port counters printed at exit: one row a port, drops named by cause (only non-zero). */
final class CounterTable {
  private CounterTable() {}

  static String render(List<PortStats> ports) {
    int width = "port".length();
    for (PortStats p : ports) {
      width = Math.max(width, p.port().length());
    }
    String row = "%-" + width + "s %12s %15s %12s %15s  %s%n";
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(row, "port", "frames-in", "bytes-in", "frames-out", "bytes-out", "drops"));
    for (PortStats p : ports) {
      sb.append(String.format(row, p.port(), p.framesIn(), p.bytesIn(), p.framesOut(), p.bytesOut(),
          drops(p.drops())));
    }
    return sb.toString();
  }

  private static String drops(Map<String, Long> drops) {
    StringBuilder sb = new StringBuilder();
    drops.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue()));
    return sb.length() == 0 ? "0" : sb.toString();
  }
}
