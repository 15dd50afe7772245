package io.fleetsim.vm.hw;

/** An access outside guest physical memory: a guest bug or a bad descriptor, never fatal to fleetsim. */
public final class GuestMemoryFault extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GuestMemoryFault(long address, int length, long size) {
    super(String.format("guest physical access 0x%x+%d outside memory of 0x%x bytes", address, length, size));
  }
}
