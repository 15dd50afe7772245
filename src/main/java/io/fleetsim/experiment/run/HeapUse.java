package io.fleetsim.experiment.run;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * What a fleet costs in heap (results.json {@code host.heapPerVmBytes}, which bench/fleet
 * reports): used heap right after a collection, before and after the VMs boot. Either figure
 * can be unknown, and then so is the cost per VM: a number that is not a measurement is worse
 * than none.
 */
final class HeapUse {
  private HeapUse() {}

  /**
   * Used heap after a full collection; empty when none ran ({@code -XX:+DisableExplicitGC}, or
   * a collector that counts nothing), since the figure would then include garbage.
   */
  static OptionalLong afterGc() {
    long before = collections();
    System.gc();
    long after = collections();
    if (before < 0 || after <= before) {
      return OptionalLong.empty();
    }
    Runtime r = Runtime.getRuntime();
    return OptionalLong.of(r.totalMemory() - r.freeMemory());
  }

  /**
   * The growth per VM; empty without VMs, without both figures, or when the heap did not grow:
   * then the first figure held objects the boot let go of (start-up garbage kept alive until
   * then), and the difference says nothing about what a VM costs.
   */
  static OptionalLong perVm(OptionalLong before, OptionalLong after, int vms) {
    if (vms <= 0 || before.isEmpty() || after.isEmpty() || after.getAsLong() <= before.getAsLong()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of((after.getAsLong() - before.getAsLong()) / vms);
  }

  /** For results.json, where unknown is null. */
  static Long orNull(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }

  /** Collections so far, over every collector; -1 when one of them does not count. */
  private static long collections() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long c = gc.getCollectionCount();
      if (c < 0) {
        return -1;
      }
      n += c;
    }
    return n;
  }
}
