package io.fleetsim.vm.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VcpuTest {
  private static final long MS = 1_000_000L;

  @Test
  void workWithinTheBurstRunsAtOnce() {
    Vcpu cpu = new Vcpu(1000, CostTable.defaults(), MS, 0); // 1 GHz, 1 ms of burst = 1e6 cycles
    cpu.charge(999_999);
    assertEquals(0, cpu.busyFor(0));
  }

  @Test
  void debtIsPaidBackAtTheClockRate() {
    Vcpu cpu = new Vcpu(100, CostTable.defaults(), MS, 0); // 100 MHz: 100 cycles per microsecond
    cpu.charge(100_000 + 1_000_000); // the burst (1 ms = 100k cycles) plus 10 ms of work
    assertEquals(10 * MS, cpu.busyFor(0));
    assertEquals(5 * MS, cpu.busyFor(5 * MS));
    assertEquals(0, cpu.busyFor(10 * MS));
    assertEquals(1_100_000, cpu.totalCycles());
  }

  @Test
  void idleTimeIsBankedOnlyUpToTheBurst() {
    Vcpu cpu = new Vcpu(100, CostTable.defaults(), MS, 0);
    cpu.busyFor(3_600_000 * MS); // an hour idle
    cpu.charge(200_000); // two bursts' worth
    assertEquals(MS, cpu.busyFor(3_600_000 * MS));
  }

  @Test
  void aClockMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new Vcpu(0, CostTable.defaults(), MS, 0));
  }
}
