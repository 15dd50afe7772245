package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * host.heapPerVmBytes and host.heapPerVmAtEndBytes: what the heap grew by per VM, or unknown;
 * never a negative number.
 */
class HeapUseTest {
  @Test
  void growthIsSharedOutPerVm() {
    assertEquals(OptionalLong.of(250), HeapUse.perVm(OptionalLong.of(1000), OptionalLong.of(2000), 4));
  }

  @Test
  void aHeapThatShrankIsUnknownNotNegative() {
    // the figure before held garbage a collection did not reach: the VMs' cost is not measured
    assertEquals(OptionalLong.empty(), HeapUse.perVm(OptionalLong.of(2000), OptionalLong.of(1000), 4));
    assertEquals(OptionalLong.empty(), HeapUse.perVm(OptionalLong.of(2000), OptionalLong.of(2000), 4));
  }

  @Test
  void withoutVmsOrWithoutAMeasurementItIsUnknown() {
    assertEquals(OptionalLong.empty(), HeapUse.perVm(OptionalLong.of(1000), OptionalLong.of(2000), 0));
    assertEquals(OptionalLong.empty(), HeapUse.perVm(OptionalLong.empty(), OptionalLong.of(2000), 4));
    assertEquals(OptionalLong.empty(), HeapUse.perVm(OptionalLong.of(1000), OptionalLong.empty(), 4));
  }

  @Test
  void theEndFiguresAreTheUsedHeapAndItsGrowthPerVm() {
    Map<String, Object> host = new LinkedHashMap<>();
    HeapUse.atEnd(host, OptionalLong.of(1), 4);
    assertTrue(host.containsKey("heapAtEndBytes") && host.containsKey("heapPerVmAtEndBytes"), "" + host);
    Long end = (Long) host.get("heapAtEndBytes");
    // null only when the JVM ignores System.gc(); then so is the figure per VM
    assertEquals(end == null ? null : (end - 1) / 4, host.get("heapPerVmAtEndBytes"));
    HeapUse.atEnd(host, OptionalLong.empty(), 4);
    assertNull(host.get("heapPerVmAtEndBytes"), "no figure before the boot: unknown per VM");
  }

  @Test
  void aCollectionThatRanGivesTheUsedHeap() {
    OptionalLong used = HeapUse.afterGc();
    // System.gc() runs a collection unless the JVM was told to ignore it; then the result is empty
    used.ifPresent(u -> assertTrue(u > 0 && u <= Runtime.getRuntime().totalMemory(), "used " + u));
  }
}
