package io.fleetsim.experiment.run;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a fleet costs in heap (results.json {@code host.heapPerVmBytes} and
 * {@code host.heapPerVmAtEndBytes}, which bench/fleet reports): used heap right after a
 * collection, before the VMs boot, after they booted, and at the end of the run. Any figure can
 * be unknown, and then so is the cost per VM: a number that is not a measurement is worse than
 * none.
 */
final class HeapUse {
  private HeapUse() {}

  /** Collections asked for at most, until the used heap stops shrinking. */
  private static final int ATTEMPTS = 4;

  /**
   * Used heap after full collections, repeated until it stops shrinking by more than 1%: one
   * collection leaves what waits for reference processing or finalization, so one figure could
   * be higher before the boot than after it. Empty when no collection ran at all
   * ({@code -XX:+DisableExplicitGC}, a request held off by a JNI critical section every time, a
   * collector that counts nothing): the figure would then include garbage.
   */
  static OptionalLong afterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < ATTEMPTS; i++) {
      long before = collections();
      System.gc();
      long after = collections();
      if (before < 0) {
        return OptionalLong.empty();
      }
      if (after <= before) {
        continue; // not collected this time
      }
      long now = used();
      boolean settled = now >= used - used / 100;
      used = Math.min(used, now);
      if (settled) {
        break;
      }
    }
    return used == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(used);
  }

  private static long used() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
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

  /**
   * Puts {@code heapAtEndBytes} and {@code heapPerVmAtEndBytes} into results.json's host section:
   * used heap once the workloads stopped and the links drained, with the VMs and their reports
   * still held, over the figure before the boot. A VM grows after its boot (its rings wrap and
   * touch every buffer, its ping histograms fill), so this is what a fleet costs to run; the
   * figure after the boot is what it costs to start.
   */
  static void atEnd(Map<String, Object> host, OptionalLong before, int vms) {
    OptionalLong end = afterGc();
    host.put("heapAtEndBytes", orNull(end));
    host.put("heapPerVmAtEndBytes", orNull(perVm(before, end, vms)));
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
