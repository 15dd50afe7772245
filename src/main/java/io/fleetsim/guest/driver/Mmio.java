package io.fleetsim.guest.driver;

/**
 * How a driver reaches its device: 32-bit accesses to the device's memory-mapped registers (BAR0
 * offsets) and dwords of its PCI configuration space. The VM supplies it; the driver charges the
 * vCPU for each access.
 */
public interface Mmio {
  int read(int offset);

  void write(int offset, int value);

  int configRead(int offset);

  void configWrite(int offset, int value);
}
