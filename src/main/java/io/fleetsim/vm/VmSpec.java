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
 * @param seed seeds the guest's random numbers ({@link io.fleetsim.guest.GuestEnv#random()})
 */
public record VmSpec(String name, long memoryBytes, double cpuMhz, CostTable costs,
    long burstNanos, E1000Driver.Config driver, List<NicSpec> nics, long seed) {
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

  /**
   * A VM's seed from a base seed (the experiment's) and its name: VMs of one run differ, and
   * the same base and name give the same seed.
   */
  public static long seed(long base, String name) {
    long z = base * 0x9E37_79B9_7F4A_7C15L + name.hashCode();
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L; // SplitMix64's finaliser
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
