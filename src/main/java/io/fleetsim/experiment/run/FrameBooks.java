package io.fleetsim.experiment.run;

import io.fleetsim.fault.FaultChain;
import java.util.Map;
import java.util.TreeMap;

/**
 * One direction's books, of a VM's link or a network port: sent + duplicated = delivered +
 * dropped (by cause) + held, where sent and delivered are counted on the two sides of the
 * direction's fault chain by code other than the chain, and the chain books what it dropped,
 * copied and holds. {@code delayed} (frames a fault let through late) is shown, not balanced.
 */
record FrameBooks(String name, long sent, long delivered, long added, long held, long delayed,
    Map<String, Long> dropped) {
  FrameBooks {
    dropped = Map.copyOf(dropped);
  }

  /**
   * The books of frames counted {@code sent} and {@code delivered} around {@code chain}; {@code
   * lostElsewhere}: frames lost between the two counts outside the chain, by cause (a crash, a
   * closing link).
   */
  static FrameBooks around(String name, long sent, long delivered, FaultChain chain,
      Map<String, Long> lostElsewhere) {
    return around(name, sent, delivered, chain, 0, lostElsewhere);
  }

  /**
   * {@link #around(String, long, long, FaultChain, Map)} with {@code heldElsewhere} frames on
   * their way between the two counts outside the chain (on a link's wire).
   */
  static FrameBooks around(String name, long sent, long delivered, FaultChain chain,
      long heldElsewhere, Map<String, Long> lostElsewhere) {
    Map<String, Long> d = new TreeMap<>(chain.drops());
    lostElsewhere.forEach((cause, n) -> d.merge(cause, n, Long::sum));
    d.values().removeIf(n -> n == 0);
    return new FrameBooks(name, sent, delivered, chain.framesAdded(), chain.held() + heldElsewhere,
        chain.delayed(), d);
  }

  /** Drops by cause, sorted. */
  Map<String, Long> droppedByCause() {
    return new TreeMap<>(dropped);
  }

  long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Frames unaccounted for (positive) or too many (negative); 0 when the books balance. */
  long imbalance() {
    return sent + added - delivered - droppedTotal() - held;
  }
}
