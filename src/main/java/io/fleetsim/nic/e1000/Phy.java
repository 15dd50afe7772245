package io.fleetsim.nic.e1000;

/**
 * The Marvell 88E1011-style PHY behind MDIC, as far as QEMU models it: address 1 only, a
 * capability table saying which registers read and write, MII link and autonegotiation bits.
 * Autonegotiation completes at once here (QEMU takes 500 ms with the link down meanwhile).
 */
final class Phy {
  static final int ADDRESS = 1;

  // MDIC fields
  static final int MDIC_DATA = 0xFFFF;
  static final int MDIC_REG_SHIFT = 16;
  static final int MDIC_PHY_SHIFT = 21;
  static final int MDIC_OP_WRITE = 1 << 26;
  static final int MDIC_OP_READ = 1 << 27;
  static final int MDIC_READY = 1 << 28;
  static final int MDIC_INT_EN = 1 << 29;
  static final int MDIC_ERROR = 1 << 30;

  // registers
  static final int BMCR = 0x00;
  static final int BMSR = 0x01;
  static final int PHYID1 = 0x02;
  static final int PHYID2 = 0x03;
  static final int ANAR = 0x04;
  static final int ANLPAR = 0x05;
  static final int ANER = 0x06;
  static final int CTRL1000 = 0x09;
  static final int STAT1000 = 0x0A;
  static final int M88_SPEC_CTRL = 0x10;
  static final int M88_SPEC_STATUS = 0x11;
  static final int M88_EXT_SPEC_CTRL = 0x14;
  static final int M88_RX_ERR_CNTR = 0x15;

  static final int BMCR_ANRESTART = 1 << 9;
  static final int BMCR_AUTOEN = 1 << 12;
  static final int BMCR_RESET = 1 << 15;
  static final int BMSR_LINK = 1 << 2;
  static final int BMSR_AN_COMPLETE = 1 << 5;
  static final int ANLPAR_ACK = 1 << 14;

  private static final int R = 1;
  private static final int W = 2;
  private static final int[] CAPS = new int[32];
  private static final int[] RESET = new int[32];

  private static void define(int reg, int caps, int reset) {
    CAPS[reg] = caps;
    RESET[reg] = reset;
  }

  static {
    define(BMCR, R | W, 0x1140); // 1000 Mb/s, full duplex, autonegotiation enabled
    define(BMSR, R, 0x794D); // link up, autoneg capable, not yet complete
    define(PHYID1, R, 0x0141);
    define(PHYID2, R, 0x0C20); // 82540EM's M88E1011
    define(ANAR, R | W, 0x0DE1);
    define(ANLPAR, R, 0x01E0);
    define(ANER, R, 0);
    define(CTRL1000, R | W, 0x0E00);
    define(STAT1000, R, 0x3C00);
    define(M88_SPEC_CTRL, R | W, 0x0360);
    define(M88_SPEC_STATUS, R, 0xAC00);
    define(M88_EXT_SPEC_CTRL, R | W, 0x0D60);
    define(M88_RX_ERR_CNTR, R, 0);
  }

  private final int[] regs = new int[32];
  private boolean linkUp = true;

  void reset() {
    System.arraycopy(RESET, 0, regs, 0, regs.length);
    if (!linkUp) {
      linkDown();
    }
  }

  /** Whether the cable has a link: the device's one copy of its carrier (STATUS.LU follows it). */
  boolean carrier() {
    return linkUp;
  }

  int register(int reg) {
    return regs[reg & 31];
  }

  void linkDown() {
    linkUp = false;
    regs[BMSR] &= ~(BMSR_LINK | BMSR_AN_COMPLETE);
    regs[ANLPAR] &= ~ANLPAR_ACK;
  }

  void linkUp() {
    linkUp = true;
    regs[BMSR] |= BMSR_LINK;
    if ((regs[BMCR] & BMCR_AUTOEN) != 0) {
      autonegotiationDone();
    }
  }

  /** A guest write to MDIC; returns the value MDIC then holds (READY set, ERROR on a bad access). */
  int mdicWrite(int value, int previous) {
    int phy = (value >>> MDIC_PHY_SHIFT) & 31;
    int reg = (value >>> MDIC_REG_SHIFT) & 31;
    if (phy != ADDRESS) {
      return previous | MDIC_ERROR | MDIC_READY;
    }
    if ((value & MDIC_OP_READ) != 0) {
      if ((CAPS[reg] & R) == 0) {
        return value | MDIC_ERROR | MDIC_READY;
      }
      return (value & ~MDIC_DATA) | regs[reg] | MDIC_READY;
    }
    if ((value & MDIC_OP_WRITE) != 0) {
      if ((CAPS[reg] & W) == 0) {
        return value | MDIC_ERROR | MDIC_READY;
      }
      write(reg, value & MDIC_DATA);
    }
    return value | MDIC_READY;
  }

  private void write(int reg, int value) {
    if (reg != BMCR) {
      regs[reg] = value;
      return;
    }
    // bits 0-5 are reserved; reset and restart clear themselves
    regs[BMCR] = value & ~(0x3F | BMCR_RESET | BMCR_ANRESTART);
    if ((value & BMCR_ANRESTART) != 0 && (value & BMCR_AUTOEN) != 0 && linkUp) {
      autonegotiationDone();
    }
  }

  private void autonegotiationDone() {
    regs[BMSR] |= BMSR_AN_COMPLETE;
    regs[ANLPAR] |= ANLPAR_ACK;
  }
}
