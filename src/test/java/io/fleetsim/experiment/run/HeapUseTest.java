package io.fleetsim.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** host.heapPerVmBytes: what the heap grew by per VM, or unknown; never a negative number. */
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
  void aCollectionThatRanGivesTheUsedHeap() {
    OptionalLong used = HeapUse.afterGc();
    // System.gc() runs a collection unless the JVM was told to ignore it; then the result is empty
    used.ifPresent(u -> assertTrue(u > 0 && u <= Runtime.getRuntime().totalMemory(), "used " + u));
  }
}
