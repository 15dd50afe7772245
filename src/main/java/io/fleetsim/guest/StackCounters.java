package io.fleetsim.guest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stack's counters. Written only on the VM thread; read them there too (or take a
 * {@link #snapshot()} there and hand it elsewhere).
 */
public final class StackCounters {
  private final long[] values = new long[StackCounter.values().length];

  StackCounters() {}

  void increment(StackCounter counter) {
    values[counter.ordinal()]++;
  }

  void add(StackCounter counter, long amount) {
    values[counter.ordinal()] += amount;
  }

  public long get(StackCounter counter) {
    return values[counter.ordinal()];
  }

  /** Sum of every {@code rxDrop*} counter. */
  public long rxDropped() {
    long sum = 0;
    for (StackCounter c : StackCounter.values()) {
      if (c.isRxDrop()) {
        sum += get(c);
      }
    }
    return sum;
  }

  /** The accounting identity: every received frame was delivered, forwarded or dropped, once. */
  public boolean rxAccounted() {
    return get(StackCounter.RX_FRAMES)
        == get(StackCounter.RX_DELIVERED) + get(StackCounter.RX_FORWARDED) + rxDropped();
  }

  /** Every counter by its {@link StackCounter#key()}, in declaration order. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (StackCounter c : StackCounter.values()) {
      out.put(c.key(), get(c));
    }
    return out;
  }

  /** The non-zero counters, "rxFrames=3 rxDelivered=3 ..." (for logs and failure messages). */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (StackCounter c : StackCounter.values()) {
      if (get(c) != 0) {
        sb.append(sb.length() == 0 ? "" : " ").append(c.key()).append('=').append(get(c));
      }
    }
    return sb.toString();
  }
}
