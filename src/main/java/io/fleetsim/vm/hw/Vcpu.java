package io.fleetsim.vm.hw;

/**
 * A vCPU as a cycle budget that refills at {@code mhz} million cycles a second. Guest work charges
 * cycles as it runs; when the budget is spent the vCPU is busy until real time pays the debt
 * back, and the guest's next piece of work waits that long. A slow or loaded vCPU therefore
 * harvests its RX ring later, the ring fills, and the NIC stops taking frames: back-pressure
 * from the CPU, where QEMU has it.
 *
 * <p>Idle time is banked only up to {@code burstNanos}, so a long-idle vCPU cannot run ahead.
 * Not thread-safe: owned by the VM actor.
 */
public final class Vcpu implements Cpu {
  private final double cyclesPerNano;
  private final CostTable costs;
  private final double maxCredit;
  private double credit;
  private long lastRefill;
  private long totalCycles;

  public Vcpu(double mhz, CostTable costs, long burstNanos, long nowNanos) {
    if (!(mhz > 0)) {
      throw new IllegalArgumentException("cpu.mhz must be positive, got " + mhz);
    }
    this.cyclesPerNano = mhz / 1000.0;
    this.costs = costs;
    this.maxCredit = burstNanos * cyclesPerNano;
    this.credit = maxCredit;
    this.lastRefill = nowNanos;
  }

  @Override
  public void charge(long cycles) {
    credit -= cycles;
    totalCycles += cycles;
  }

  @Override
  public CostTable costs() {
    return costs;
  }

  /** Nanoseconds until the vCPU may run again; 0 when it has cycles now. */
  public long busyFor(long nowNanos) {
    refill(nowNanos);
    return credit >= 0 ? 0 : (long) Math.ceil(-credit / cyclesPerNano);
  }

  /** Cycles charged since boot. */
  public long totalCycles() {
    return totalCycles;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastRefill;
    if (elapsed > 0) {
      credit = Math.min(maxCredit, credit + elapsed * cyclesPerNano);
      lastRefill = nowNanos;
    }
  }
}
