package io.fleetsim.guest.driver;

import io.fleetsim.vm.hw.GuestMemory;

/**
 * Hands out guest physical memory for DMA rings and buffers from a fixed range, never freeing:
 * a driver allocates once at bring-up. Allocation touches nothing, so untouched buffers cost no
 * host memory (GuestMemory allocates pages on first write). Page 0 is never handed out, as on a
 * PC: a DMA address of 0 means "no buffer" to the e1000.
 */
public final class BumpAllocator {
  private final GuestMemory memory;
  private final long start;
  private final long end;
  private long next;

  /** Allocates from [start, end) of {@code memory}, page 0 excluded. */
  public BumpAllocator(GuestMemory memory, long start, long end) {
    if (start < 0 || start > end || end > memory.size()) {
      throw new IllegalArgumentException(String.format(
          "allocation range [0x%x, 0x%x) is not inside guest memory of 0x%x bytes", start, end,
          memory.size()));
    }
    this.memory = memory;
    this.start = start;
    this.end = end;
    this.next = Math.max(start, GuestMemory.PAGE_SIZE);
  }

  public GuestMemory memory() {
    return memory;
  }

  /** The guest physical address of {@code size} fresh bytes aligned to {@code alignment}. */
  public long allocate(long size, long alignment) {
    if (size <= 0 || alignment <= 0 || Long.bitCount(alignment) != 1) {
      throw new IllegalArgumentException(
          "allocation needs a positive size and a power-of-two alignment, got size " + size
              + " alignment " + alignment);
    }
    long at = (next + alignment - 1) & -alignment;
    if (at < next || at > end - size) {
      throw new IllegalStateException(String.format(
          "guest memory exhausted: %d bytes do not fit in [0x%x, 0x%x) (0x%x used)", size, start,
          end, next - start));
    }
    next = at + size;
    return at;
  }

  /** Bytes handed out so far, alignment padding included. */
  public long used() {
    return next - Math.max(start, GuestMemory.PAGE_SIZE);
  }
}
