package io.fleetsim.nic.e1000;

/**
 * The 256-byte type-0 PCI configuration header of QEMU's e1000, in dwords: 8086:100E rev 3, class
 * 020000, subsystem 1AF4:1100, BAR0 a 128 KiB memory window, BAR1 64 bytes of I/O, INTA. Only
 * COMMAND, the BARs (sizing included), cache line/latency and the interrupt line are writable.
 * A device reset (CTRL.RST) leaves it alone, as on hardware.
 */
final class PciConfig {
  static final int VENDOR_ID = 0x8086;
  static final int DEVICE_ID = 0x100E;
  static final int REVISION = 3;
  static final int CLASS_CODE = 0x020000;

  static final int COMMAND_IO = 1;
  static final int COMMAND_MEMORY = 1 << 1;
  static final int COMMAND_BUS_MASTER = 1 << 2;
  static final int COMMAND_INTX_DISABLE = 1 << 10;
  private static final int COMMAND_WRITABLE = COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER
      | (1 << 6) /* parity */ | (1 << 8) /* SERR */ | COMMAND_INTX_DISABLE;

  static final int BAR0_SIZE = 0x20000;
  private static final int BAR1_SIZE = 0x40;

  private final int[] dwords = new int[64];

  PciConfig() {
    dwords[0] = DEVICE_ID << 16 | VENDOR_ID;
    dwords[2] = CLASS_CODE << 8 | REVISION;
    dwords[3] = 0x10; // cache line size, as QEMU's realize sets it
    dwords[5] = 1; // BAR1: I/O space indicator
    dwords[11] = 0x1100 << 16 | 0x1AF4;
    dwords[15] = 1 << 8; // interrupt pin A
  }

  int read(int offset) {
    return dwords[(offset & 0xFC) >>> 2];
  }

  void write(int offset, int value) {
    int index = (offset & 0xFC) >>> 2;
    switch (index) {
      case 1: // COMMAND; STATUS bits are read-only / write-1-to-clear and stay 0 here
        dwords[1] = (dwords[1] & 0xFFFF0000) | (value & COMMAND_WRITABLE);
        break;
      case 3: // cache line size and latency timer
        dwords[3] = (dwords[3] & 0xFFFF0000) | (value & 0xFFFF);
        break;
      case 4: // BAR0: 32-bit non-prefetchable memory
        dwords[4] = value & -BAR0_SIZE;
        break;
      case 5: // BAR1: I/O
        dwords[5] = (value & -BAR1_SIZE) | 1;
        break;
      case 15: // interrupt line
        dwords[15] = (dwords[15] & 0xFFFFFF00) | (value & 0xFF);
        break;
      default:
        break; // read-only
    }
  }

  int command() {
    return dwords[1] & 0xFFFF;
  }

  boolean busMaster() {
    return (command() & COMMAND_BUS_MASTER) != 0;
  }

  boolean intxDisabled() {
    return (command() & COMMAND_INTX_DISABLE) != 0;
  }
}
