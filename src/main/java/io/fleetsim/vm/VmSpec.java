package io.fleetsim.vm;

import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.vm.hw.CostTable;
import java.util.List;

/**
 * One simulated VM: hardware and wiring. The guest that runs on it is given separately.
 *
 * @param memoryBytes guest physical memory (sparse: only touched pages cost host memory)
 * @param cpuMhz the vCPU's clock; every guest operation is charged from {@code costs}
 * @param burstNanos how much idle time the vCPU may bank and spend at once
 */
public record VmSpec(String name, long memoryBytes, double cpuMhz, CostTable costs,
    long burstNanos, E1000Driver.Config driver, List<NicSpec> nics) {
  public VmSpec {
    nics = List.copyOf(nics);
    if (nics.isEmpty()) {
      throw new IllegalArgumentException("VM " + name + " has no NIC");
    }
    long needed = 1L << 20;
    needed += nics.size() * (driver.guestMemoryBytes() + 4096);
    if (memoryBytes < needed) {
      throw new IllegalArgumentException("VM " + name + ": memory " + memoryBytes
          + " bytes is too small for " + nics.size() + " NIC(s); needs at least " + needed);
    }
  }
}
