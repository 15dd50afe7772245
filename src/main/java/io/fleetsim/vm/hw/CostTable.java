package io.fleetsim.vm.hw;

/**
 * What each guest operation costs the vCPU, in cycles (HOCON {@code vm.cpu.costs}). A vCPU at
 * {@code cpu.mhz} runs {@code mhz * 10^6} cycles a second; whatever the guest cannot afford waits.
 *
 * @param mmioRead a device register read (an uncached bus round trip)
 * @param mmioWrite a device register write (posted)
 * @param interruptEntry taking an interrupt: entry, handler dispatch and return
 * @param perByteCopy copying one byte between a DMA buffer and the stack
 * @param rxPacket stack work for one received frame (parsing, demultiplexing, delivery)
 * @param txPacket stack work for one sent frame (headers, checksums, routing, ARP lookup)
 * @param timerTick a guest timer firing
 */
public record CostTable(long mmioRead, long mmioWrite, long interruptEntry, double perByteCopy,
    long rxPacket, long txPacket, long timerTick) {
  public CostTable {
    if (mmioRead < 0 || mmioWrite < 0 || interruptEntry < 0 || perByteCopy < 0 || rxPacket < 0
        || txPacket < 0 || timerTick < 0) {
      throw new IllegalArgumentException("cycle costs must not be negative");
    }
  }

  /** Rough figures for a modern x86 core running a Linux-like stack. */
  public static CostTable defaults() {
    return new CostTable(2_000, 500, 1_500, 0.25, 3_000, 3_000, 500);
  }
}
