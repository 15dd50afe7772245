package io.fleetsim.nic.e1000;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.vm.hw.GuestMemory;
import io.fleetsim.vm.hw.GuestMemoryFault;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Intel 82540EM as QEMU's {@code e1000} models it: the register file behind BAR0, PCI config
 * space, EEPROM, PHY, legacy receive and transmit descriptor rings in guest memory, the address
 * filter, interrupt causes with QEMU's mitigation timer, and the statistics registers.
 *
 * <p>MMIO dispatches through one table indexed by {@code offset >> 2}: each entry has a name, a
 * reset value, a write mask and read/write handlers; plain registers share the generic ones.
 * Reset reloads the table's values. Receive and transmit are small methods named after the
 * hardware steps, and every interrupt passes {@link #setInterruptCause}.
 *
 * <p>Thread safety: every public method is synchronized. The VM thread does MMIO and config
 * accesses, the NIC actor's thread does receive, link changes, timers and transmit resumption.
 * Host callbacks run with the lock held and must not block or call back into this object.
 *
 * <p>A guest bug (descriptors outside memory, a bad ring, unsupported descriptors) never throws
 * out of here: the device skips, stops or counts as hardware would, and logs the first of a kind.
 */
public final class E1000 {
  private static final Logger log = LoggerFactory.getLogger(E1000.class);

  /** What the device needs from its surroundings; implemented by the NIC actor. */
  public interface Host {
    /** The level-triggered INTx line changed. */
    void interruptLine(boolean asserted);

    /**
     * A frame leaves the NIC. False means the netdev is full: the frame was not taken, the
     * transmit pass stops there and the same frame is offered again after {@link #resumeTransmit()}.
     */
    boolean transmit(ByteString frame);

    /** Call {@link #onTimer()} after {@code delayNanos}; replaces a pending request. */
    void scheduleTimer(long delayNanos);

    /** The guest gave receive buffers ({@link #canReceive()} is now true): held frames may come. */
    void receiveReady();
  }

  // ------------------------------------------------------------------ register bits
  static final int CTRL_SLU = 1 << 6;
  static final int CTRL_RST = 1 << 26;
  static final int STATUS_LU = 1 << 1;

  static final int ICR_TXDW = 1;
  static final int ICR_TXQE = 1 << 1;
  static final int ICR_LSC = 1 << 2;
  static final int ICR_RXDMT0 = 1 << 4;
  static final int ICR_RXO = 1 << 6;
  static final int ICR_RXT0 = 1 << 7;
  static final int ICR_MDAC = 1 << 9;

  static final int RCTL_EN = 1 << 1;
  static final int RCTL_SBP = 1 << 2;
  static final int RCTL_UPE = 1 << 3;
  static final int RCTL_MPE = 1 << 4;
  static final int RCTL_LPE = 1 << 5;
  static final int RCTL_RDMTS_SHIFT = 8;
  static final int RCTL_MO_SHIFT = 12;
  static final int RCTL_BAM = 1 << 15;
  static final int RCTL_BSIZE_SHIFT = 16;
  static final int RCTL_BSEX = 1 << 25;
  static final int RCTL_SECRC = 1 << 26;
  static final int TCTL_EN = 1 << 1;
  static final int RAH_AV = 1 << 31;

  // ------------------------------------------------------------------ descriptors
  static final int DESCRIPTOR_SIZE = 16;
  static final int RXD_DD = 1;
  static final int RXD_EOP = 1 << 1;
  static final int RXD_IXSM = 1 << 2;
  static final int RXD_ERR_RXE = 1 << 7;
  // TX command byte (bits 31:24 of the descriptor's second dword)
  static final int TXD_EOP = 1;
  static final int TXD_IFCS = 1 << 1;
  static final int TXD_TSE = 1 << 2; // IC on a legacy descriptor
  static final int TXD_RS = 1 << 3;
  static final int TXD_RPS = 1 << 4;
  static final int TXD_DEXT = 1 << 5;
  static final int TXD_IDE = 1 << 7;
  static final int TXD_DTYP_DATA = 1 << 20;
  static final int TXD_STA_DD = 1;
  private static final int TXD_STA_ERRORS = 0b1110; // EC, LC, TU
  private static final int POPTS_CHECKSUMS = 0b11; // IXSM, TXSM

  private static final int MIN_FRAME = 60;
  private static final int MAX_STANDARD_FRAME = 14 + 4 + 1500; // header, VLAN tag, MTU
  private static final int MAX_LONG_FRAME = 16384 - 4;
  private static final int MAX_TX_FRAME = 0x10000;
  private static final int TX_BUFFER_KEEP = 4096;
  private static final int MIN_MITIGATION_DELAY = 500; // 256 ns units: at most 7813 interrupts/s
  private static final long MITIGATION_UNIT_NANOS = 256;
  private static final int[] BSIZE = {2048, 1024, 512, 256};
  private static final int[] BSIZE_EXTENDED = {2048, 16384, 8192, 4096};
  private static final int[] MTA_SHIFT = {4, 3, 2, 0};
  private static final byte[] ZEROS = new byte[MIN_FRAME];

  // ------------------------------------------------------------------ the register table
  @FunctionalInterface
  private interface ReadOp {
    int read(E1000 nic, Reg reg);
  }

  @FunctionalInterface
  private interface WriteOp {
    void write(E1000 nic, Reg reg, int value);
  }

  /** One MMIO register: where it lives, its reset value, the bits a write keeps, its handlers. */
  private record Reg(String name, int offset, int slot, int reset, int writeMask, ReadOp read,
      WriteOp write) {}

  /** A statistics register as {@link #statistics()} reports it; wide = a low/high pair. */
  private record Stat(String name, int slot, boolean wide) {}

  private static final Reg[] TABLE = new Reg[PciConfig.BAR0_SIZE >> 2];
  private static final List<Reg> REGS = new ArrayList<>();
  private static final List<Stat> STATS = new ArrayList<>();

  private static int define(String name, int offset, int reset, int writeMask, ReadOp read,
      WriteOp write) {
    if (TABLE[offset >> 2] != null) {
      throw new IllegalStateException("two registers at 0x" + Integer.toHexString(offset));
    }
    Reg reg = new Reg(name, offset, REGS.size(), reset, writeMask, read, write);
    TABLE[offset >> 2] = reg;
    REGS.add(reg);
    return reg.slot();
  }

  private static int plain(String name, int offset, int reset, int writeMask) {
    return define(name, offset, reset, writeMask, E1000::readPlain, E1000::writePlain);
  }

  /** {@code count} plain registers in consecutive slots; returns the first slot. */
  private static int range(String name, int offset, int count) {
    int first = REGS.size();
    for (int i = 0; i < count; i++) {
      plain(name + "[" + i + "]", offset + 4 * i, 0, ~0);
    }
    return first;
  }

  /** A saturating 32-bit counter, cleared on read, read-only. */
  private static int counter(String name, int offset) {
    int slot = define(name, offset, 0, 0, E1000::readAndClear, E1000::ignoreWrite);
    STATS.add(new Stat(name, slot, false));
    return slot;
  }

  /** A saturating 64-bit counter as a low/high pair; reading the high half clears both. */
  private static int counter64(String name, int offset) {
    int low = define(name + "L", offset, 0, 0, E1000::readPlain, E1000::ignoreWrite);
    define(name + "H", offset + 4, 0, 0, E1000::readAndClearPair, E1000::ignoreWrite);
    STATS.add(new Stat(name, low, true));
    return low;
  }

  // slots of the registers the code below uses by name
  private static final int CTRL;
  private static final int STATUS;
  private static final int EERD;
  private static final int MDIC;
  private static final int ICR;
  private static final int ITR;
  private static final int ICS;
  private static final int IMS;
  private static final int RCTL;
  private static final int TCTL;
  private static final int RDBAL;
  private static final int RDBAH;
  private static final int RDLEN;
  private static final int RDH;
  private static final int RDT;
  private static final int RDTR;
  private static final int RADV;
  private static final int TDBAL;
  private static final int TDBAH;
  private static final int TDLEN;
  private static final int TDH;
  private static final int TDT;
  private static final int TADV;
  private static final int MPC;
  private static final int PRC64;
  private static final int GPRC;
  private static final int BPRC;
  private static final int MPRC;
  private static final int GPTC;
  private static final int GORC;
  private static final int GOTC;
  private static final int RNBC;
  private static final int ROC;
  private static final int TOR;
  private static final int TOT;
  private static final int TPR;
  private static final int TPT;
  private static final int PTC64;
  private static final int MPTC;
  private static final int BPTC;
  private static final int MTA;
  private static final int RA;

  /** The register table, in offset order (name, offset, reset value, write mask, handlers). */
  static {
    CTRL = define("CTRL", 0x0000, 0x00140240, ~CTRL_RST, E1000::readPlain, E1000::writeCtrl);
    STATUS = define("STATUS", 0x0008, 0x80080783, 0, E1000::readPlain, E1000::ignoreWrite);
    define("EECD", 0x0010, 0, 0, E1000::readEecd, E1000::writeEecd);
    EERD = define("EERD", 0x0014, 0, ~0, E1000::readEerd, E1000::writePlain);
    plain("CTRL_EXT", 0x0018, 0, ~0);
    MDIC = define("MDIC", 0x0020, 0, 0, E1000::readPlain, E1000::writeMdic);
    plain("FCAL", 0x0028, 0, ~0);
    plain("FCAH", 0x002C, 0, 0xFFFF);
    plain("FCT", 0x0030, 0, 0xFFFF);
    plain("VET", 0x0038, 0x8100, 0xFFFF);
    ICR = define("ICR", 0x00C0, 0, 0, E1000::readIcr, E1000::writeIcr);
    ITR = plain("ITR", 0x00C4, 0, 0xFFFF);
    ICS = define("ICS", 0x00C8, 0, 0, E1000::readPlain, E1000::writeIcs);
    IMS = define("IMS", 0x00D0, 0, 0, E1000::readPlain, E1000::writeIms);
    define("IMC", 0x00D8, 0, 0, E1000::readZero, E1000::writeImc);
    RCTL = define("RCTL", 0x0100, 0, ~0, E1000::readPlain, E1000::writeRctl);
    plain("FCTTV", 0x0170, 0, 0xFFFF);
    plain("TXCW", 0x0178, 0, ~0);
    plain("RXCW", 0x0180, 0, ~0);
    TCTL = define("TCTL", 0x0400, 0, ~0, E1000::readPlain, E1000::writeTctl);
    plain("TIPG", 0x0410, 0, ~0);
    plain("LEDCTL", 0x0E00, 0x602, ~0);
    plain("PBA", 0x1000, 0x00100030, ~0);
    plain("FCRTL", 0x2160, 0, ~0);
    plain("FCRTH", 0x2168, 0, ~0);
    RDBAL = plain("RDBAL", 0x2800, 0, ~0);
    RDBAH = plain("RDBAH", 0x2804, 0, ~0);
    RDLEN = plain("RDLEN", 0x2808, 0, 0xFFF80);
    RDH = plain("RDH", 0x2810, 0, 0xFFFF);
    RDT = define("RDT", 0x2818, 0, 0xFFFF, E1000::readPlain, E1000::writeRdt);
    RDTR = plain("RDTR", 0x2820, 0, 0xFFFF);
    plain("RXDCTL", 0x2828, 0, ~0);
    RADV = plain("RADV", 0x282C, 0, 0xFFFF);
    plain("RSRPD", 0x2C00, 0, 0xFFF);
    TDBAL = plain("TDBAL", 0x3800, 0, ~0);
    TDBAH = plain("TDBAH", 0x3804, 0, ~0);
    TDLEN = plain("TDLEN", 0x3808, 0, 0xFFF80);
    TDH = plain("TDH", 0x3810, 0, 0xFFFF);
    TDT = define("TDT", 0x3818, 0, 0xFFFF, E1000::readPlain, E1000::writeTdt);
    plain("TIDV", 0x3820, 0, 0xFFFF);
    plain("TXDCTL", 0x3828, 0, ~0);
    TADV = plain("TADV", 0x382C, 0, 0xFFFF);
    // statistics: the size buckets (PRC64.., PTC64..) must sit in consecutive slots
    counter("CRCERRS", 0x4000);
    counter("ALGNERRC", 0x4004);
    counter("SYMERRS", 0x4008);
    counter("RXERRC", 0x400C);
    MPC = counter("MPC", 0x4010);
    counter("SCC", 0x4014);
    counter("ECOL", 0x4018);
    counter("MCC", 0x401C);
    counter("LATECOL", 0x4020);
    counter("COLC", 0x4028);
    counter("DC", 0x4030);
    counter("TNCRS", 0x4034);
    counter("SEC", 0x4038);
    counter("CEXTERR", 0x403C);
    counter("RLEC", 0x4040);
    counter("XONRXC", 0x4048);
    counter("XONTXC", 0x404C);
    counter("XOFFRXC", 0x4050);
    counter("XOFFTXC", 0x4054);
    counter("FCRUC", 0x4058);
    PRC64 = counter("PRC64", 0x405C);
    counter("PRC127", 0x4060);
    counter("PRC255", 0x4064);
    counter("PRC511", 0x4068);
    counter("PRC1023", 0x406C);
    counter("PRC1522", 0x4070);
    GPRC = counter("GPRC", 0x4074);
    BPRC = counter("BPRC", 0x4078);
    MPRC = counter("MPRC", 0x407C);
    GPTC = counter("GPTC", 0x4080);
    GORC = counter64("GORC", 0x4088);
    GOTC = counter64("GOTC", 0x4090);
    RNBC = counter("RNBC", 0x40A0);
    counter("RUC", 0x40A4);
    counter("RFC", 0x40A8);
    ROC = counter("ROC", 0x40AC);
    counter("RJC", 0x40B0);
    counter("MGTPRC", 0x40B4);
    counter("MGTPDC", 0x40B8);
    counter("MGTPTC", 0x40BC);
    TOR = counter64("TOR", 0x40C0);
    TOT = counter64("TOT", 0x40C8);
    TPR = counter("TPR", 0x40D0);
    TPT = counter("TPT", 0x40D4);
    PTC64 = counter("PTC64", 0x40D8);
    counter("PTC127", 0x40DC);
    counter("PTC255", 0x40E0);
    counter("PTC511", 0x40E4);
    counter("PTC1023", 0x40E8);
    counter("PTC1522", 0x40EC);
    MPTC = counter("MPTC", 0x40F0);
    BPTC = counter("BPTC", 0x40F4);
    counter("TSCTC", 0x40F8);
    counter("TSCTFC", 0x40FC);
    plain("RXCSUM", 0x5000, 0, 0x7FF);
    MTA = range("MTA", 0x5200, 128);
    RA = range("RA", 0x5400, 32); // RAL[n] in slot RA + 2n, RAH[n] in RA + 2n + 1
    range("VFTA", 0x5600, 128);
    plain("WUC", 0x5800, 0, ~0);
    plain("WUFC", 0x5808, 0, ~0);
    plain("WUS", 0x5810, 0, ~0);
    plain("MANC", 0x5820, 0x00222300, ~0);
    plain("IPAV", 0x5838, 0, ~0);
  }

  /** What a guest can get wrong; each kind is logged once per device. */
  private enum GuestBug {
    DMA_FAULT, RX_RING, TX_RING, NULL_RX_BUFFER, TX_OFFLOAD, TX_FRAME_TOO_LONG, TX_EMPTY_FRAME
  }

  /** A frame the netdev refused, waiting with its EOP descriptor for {@link #resumeTransmit()}. */
  private record HeldFrame(ByteString frame, long descriptor, int lower, int upper) {}

  private final MacAddress mac;
  private final GuestMemory memory;
  private final Host host;
  private final int[] regs = new int[REGS.size()];
  private final Eeprom eeprom;
  private final Phy phy = new Phy();
  private final PciConfig pci = new PciConfig();
  private final byte[] descriptor = new byte[DESCRIPTOR_SIZE];

  private boolean lineAsserted;
  // QEMU's interrupt mitigation: a window is open while the timer runs; edges inside it wait
  private boolean mitTimerOn;
  private boolean mitIrqLevel;
  private boolean mitIde;

  // transmit: the frame being gathered across descriptors (and passes), and back-pressure
  private byte[] txData;
  private int txSize;
  private boolean txFrameFaulted;
  private boolean txFrameUnsupported;
  private boolean txBusy;
  private boolean txStalled;
  private HeldFrame held;

  // what the model itself counts besides the hardware registers
  private long rxDroppedNotReady;
  private long txFramesDropped;
  private long txDescriptorsSkipped;
  private long dmaFaults;
  private long ringErrors;
  private final EnumSet<GuestBug> reported = EnumSet.noneOf(GuestBug.class);
  private BitSet unknownOffsets;

  public E1000(MacAddress mac, GuestMemory memory, Host host) {
    this.mac = Objects.requireNonNull(mac, "mac");
    this.memory = Objects.requireNonNull(memory, "memory");
    this.host = Objects.requireNonNull(host, "host");
    this.eeprom = new Eeprom(mac, PciConfig.DEVICE_ID, PciConfig.VENDOR_ID);
    reset();
  }

  // ------------------------------------------------------------------ bus interface

  /** A 32-bit read in the 128 KiB BAR0 window. */
  public synchronized int mmioRead(int offset) {
    Reg reg = TABLE[(offset & (PciConfig.BAR0_SIZE - 1)) >>> 2];
    if (reg == null) {
      unknownRegister(offset, "read");
      return 0;
    }
    return reg.read().read(this, reg);
  }

  /** A 32-bit write in the 128 KiB BAR0 window. */
  public synchronized void mmioWrite(int offset, int value) {
    Reg reg = TABLE[(offset & (PciConfig.BAR0_SIZE - 1)) >>> 2];
    if (reg == null) {
      unknownRegister(offset, "write");
      return;
    }
    reg.write().write(this, reg, value);
  }

  /** A dword of PCI configuration space. */
  public synchronized int pciConfigRead(int offset) {
    return pci.read(offset);
  }

  public synchronized void pciConfigWrite(int offset, int value) {
    boolean wasMaster = pci.busMaster();
    pci.write(offset, value);
    updateLine(); // INTx disable may have changed
    if (!wasMaster && pci.busMaster()) {
      offerReceive();
      startTransmit();
    }
  }

  // ------------------------------------------------------------------ generic handlers

  private int readPlain(Reg reg) {
    return regs[reg.slot()];
  }

  private int readZero(Reg reg) {
    return 0; // write-only register
  }

  private void writePlain(Reg reg, int value) {
    regs[reg.slot()] = value & reg.writeMask();
  }

  private void ignoreWrite(Reg reg, int value) {
    // read-only register
  }

  private int readAndClear(Reg reg) {
    int value = regs[reg.slot()];
    regs[reg.slot()] = 0;
    return value;
  }

  private int readAndClearPair(Reg high) {
    int value = regs[high.slot()];
    regs[high.slot()] = 0;
    regs[high.slot() - 1] = 0;
    return value;
  }

  // ------------------------------------------------------------------ special handlers

  private void writeCtrl(Reg reg, int value) {
    if ((value & CTRL_RST) != 0) {
      reset(); // self-clearing; QEMU 7.2 merely drops the bit, the 82540 resets
      return;
    }
    regs[CTRL] = value & reg.writeMask();
  }

  private int readEecd(Reg reg) {
    return eeprom.readEecd();
  }

  private void writeEecd(Reg reg, int value) {
    eeprom.writeEecd(value);
  }

  private int readEerd(Reg reg) {
    return eeprom.readEerd(regs[EERD]);
  }

  private void writeMdic(Reg reg, int value) {
    regs[MDIC] = phy.mdicWrite(value, regs[MDIC]);
    if ((regs[MDIC] & Phy.MDIC_INT_EN) != 0) {
      raise(ICR_MDAC);
    }
  }

  private int readIcr(Reg reg) {
    int causes = regs[ICR];
    setInterruptCause(0);
    return causes;
  }

  private void writeIcr(Reg reg, int value) {
    setInterruptCause(regs[ICR] & ~value);
  }

  private void writeIcs(Reg reg, int value) {
    raise(value);
  }

  private void writeIms(Reg reg, int value) {
    regs[IMS] |= value;
    raise(0);
  }

  private void writeImc(Reg reg, int value) {
    regs[IMS] &= ~value;
    raise(0);
  }

  private void writeRctl(Reg reg, int value) {
    regs[RCTL] = value;
    offerReceive();
  }

  private void writeRdt(Reg reg, int value) {
    regs[RDT] = value & reg.writeMask();
    offerReceive();
  }

  private void writeTctl(Reg reg, int value) {
    regs[TCTL] = value;
    startTransmit();
  }

  private void writeTdt(Reg reg, int value) {
    regs[TDT] = value & reg.writeMask();
    startTransmit();
  }

  // ------------------------------------------------------------------ reset and link

  private void reset() {
    for (Reg reg : REGS) {
      regs[reg.slot()] = reg.reset();
    }
    regs[RA] = mac.octet(0) | mac.octet(1) << 8 | mac.octet(2) << 16 | mac.octet(3) << 24;
    regs[RA + 1] = mac.octet(4) | mac.octet(5) << 8 | RAH_AV;
    phy.reset();
    if (!phy.carrier()) { // the cable survives a reset
      regs[STATUS] &= ~STATUS_LU;
    }
    eeprom.resetProtocol();
    mitTimerOn = false; // a timer still pending will find no window and do nothing
    mitIrqLevel = false;
    mitIde = false;
    txData = null;
    txSize = 0;
    txFrameFaulted = false;
    txFrameUnsupported = false;
    txStalled = false;
    held = null;
    updateLine();
  }

  /** The cable: link down clears STATUS.LU and the PHY's link bit; any change raises LSC. */
  public synchronized void setLinkUp(boolean up) {
    int before = regs[STATUS];
    if (up) {
      regs[STATUS] |= STATUS_LU;
      phy.linkUp();
    } else {
      regs[STATUS] &= ~STATUS_LU;
      phy.linkDown();
    }
    if (regs[STATUS] != before) {
      raise(ICR_LSC);
    }
    if (up) {
      offerReceive();
    }
  }

  // ------------------------------------------------------------------ interrupts

  private void raise(int causes) {
    setInterruptCause(regs[ICR] | causes);
  }

  /**
   * Every interrupt passes here: ICR (and its ICS mirror) becomes {@code causes} and the line
   * follows IMS & ICR. As in QEMU, a rising edge opens a mitigation window of max(500, the
   * smallest non-zero of ITR, RADV*4 if RDTR, TADV*4 if a descriptor had IDE) * 256 ns; further
   * rising edges inside the window wait for {@link #onTimer()}.
   */
  private void setInterruptCause(int causes) {
    regs[ICR] = causes;
    regs[ICS] = causes;
    int pending = regs[IMS] & causes;
    if (!mitIrqLevel && pending != 0) {
      if (mitTimerOn) {
        return;
      }
      long delay = mitigationDelay(pending);
      mitTimerOn = true;
      mitIde = false;
      host.scheduleTimer(delay * MITIGATION_UNIT_NANOS);
    }
    mitIrqLevel = pending != 0;
    updateLine();
  }

  private long mitigationDelay(int pending) {
    int delay = 0;
    if (mitIde && (pending & (ICR_TXQE | ICR_TXDW)) != 0) {
      delay = shorter(delay, regs[TADV] * 4);
    }
    if (regs[RDTR] != 0 && (pending & ICR_RXT0) != 0) {
      delay = shorter(delay, regs[RADV] * 4);
    }
    delay = shorter(delay, regs[ITR]);
    return Math.max(delay, MIN_MITIGATION_DELAY);
  }

  private static int shorter(int current, int candidate) {
    return candidate != 0 && (current == 0 || candidate < current) ? candidate : current;
  }

  private void updateLine() {
    boolean line = mitIrqLevel && !pci.intxDisabled();
    if (line != lineAsserted) {
      lineAsserted = line;
      host.interruptLine(line);
    }
  }

  /** The mitigation timer requested through {@link Host#scheduleTimer} fired. */
  public synchronized void onTimer() {
    if (!mitTimerOn) {
      return; // stale: reset closed the window
    }
    mitTimerOn = false;
    setInterruptCause(regs[ICR]);
  }

  // ------------------------------------------------------------------ receive

  /** STATUS.LU, RCTL.EN, bus mastering and at least one descriptor between RDH and RDT. */
  public synchronized boolean canReceive() {
    return receiverEnabled() && rxRingValid() && regs[RDH] != regs[RDT];
  }

  /** A frame from the wire (no FCS). Call when {@link #canReceive()}; otherwise it is dropped. */
  public synchronized void receive(ByteString frame) {
    if (!receiverEnabled()) {
      rxDroppedNotReady++;
      return;
    }
    ByteString padded = padToMinimum(frame);
    if (oversized(padded.size())) {
      inc(ROC);
      return;
    }
    if (!addressFilterAccepts(padded)) {
      return;
    }
    int total = padded.size() + fcsLength();
    if (!rxRingValid()) {
      ringErrors++;
      guestBug(GuestBug.RX_RING, String.format("RX ring unusable (RDLEN=%d RDH=%d RDT=%d)",
          regs[RDLEN], regs[RDH], regs[RDT]));
      receiverOverrun();
      return;
    }
    if (!hasReceiveBuffersFor(total)) {
      receiverOverrun();
      return;
    }
    if (!storeInDescriptors(padded, total)) {
      return;
    }
    countReceived(padded, total);
    raise(ICR_RXT0 | (belowMinimumThreshold() ? ICR_RXDMT0 : 0));
  }

  private boolean receiverEnabled() {
    return (regs[STATUS] & STATUS_LU) != 0 && (regs[RCTL] & RCTL_EN) != 0 && pci.busMaster();
  }

  private int rxRingSize() {
    return regs[RDLEN] / DESCRIPTOR_SIZE;
  }

  private boolean rxRingValid() {
    int n = rxRingSize();
    return n > 0 && regs[RDH] < n && regs[RDT] < n;
  }

  private void offerReceive() {
    if (canReceive()) {
      host.receiveReady();
    }
  }

  private static ByteString padToMinimum(ByteString frame) {
    return frame.size() >= MIN_FRAME ? frame
        : frame.concat(ByteString.fromArray(ZEROS, 0, MIN_FRAME - frame.size()));
  }

  /** Longer than 1518 bytes without LPE or than 16380 with it, unless SBP keeps it. */
  private boolean oversized(int size) {
    int rctl = regs[RCTL];
    return (rctl & RCTL_SBP) == 0
        && (size > MAX_LONG_FRAME || (size > MAX_STANDARD_FRAME && (rctl & RCTL_LPE) == 0));
  }

  private boolean addressFilterAccepts(ByteString frame) {
    int rctl = regs[RCTL];
    if (isBroadcast(frame)) {
      if ((rctl & RCTL_BAM) != 0) {
        return true;
      }
    } else if (isMulticast(frame)) {
      if ((rctl & RCTL_MPE) != 0) {
        return true;
      }
    } else if ((rctl & RCTL_UPE) != 0) {
      return true;
    }
    return matchesReceiveAddress(frame) || hitsMulticastTable(frame);
  }

  private boolean matchesReceiveAddress(ByteString frame) {
    long destination = 0;
    for (int i = 0; i < 6; i++) {
      destination |= (frame.apply(i) & 0xFFL) << (8 * i); // RAL/RAH byte order
    }
    for (int i = 0; i < 16; i++) {
      int high = regs[RA + 2 * i + 1];
      long address = (regs[RA + 2 * i] & 0xFFFF_FFFFL) | (high & 0xFFFFL) << 32;
      if ((high & RAH_AV) != 0 && address == destination) {
        return true;
      }
    }
    return false;
  }

  private boolean hitsMulticastTable(ByteString frame) {
    int shift = MTA_SHIFT[(regs[RCTL] >>> RCTL_MO_SHIFT) & 3];
    int hash = (((frame.apply(5) & 0xFF) << 8 | (frame.apply(4) & 0xFF)) >>> shift) & 0xFFF;
    return ((regs[MTA + (hash >>> 5)] >>> (hash & 31)) & 1) != 0;
  }

  private int fcsLength() {
    return (regs[RCTL] & RCTL_SECRC) != 0 ? 0 : 4;
  }

  private int receiveBufferSize() {
    int rctl = regs[RCTL];
    int code = (rctl >>> RCTL_BSIZE_SHIFT) & 3;
    return (rctl & RCTL_BSEX) != 0 ? BSIZE_EXTENDED[code] : BSIZE[code];
  }

  private int freeReceiveDescriptors() {
    int free = regs[RDT] - regs[RDH];
    return free < 0 ? free + rxRingSize() : free;
  }

  private boolean hasReceiveBuffersFor(int total) {
    int free = freeReceiveDescriptors();
    return free > 0 && total <= (long) free * receiveBufferSize();
  }

  private void receiverOverrun() {
    inc(RNBC);
    inc(MPC);
    raise(ICR_RXO);
  }

  /** Scatters the frame from RDH on, one buffer per descriptor, and writes each back with DD. */
  private boolean storeInDescriptors(ByteString frame, int total) {
    int n = rxRingSize();
    long ring = ringBase(RDBAL, RDBAH);
    int bufferSize = receiveBufferSize();
    int size = frame.size();
    int done = 0;
    while (done < total) {
      int head = regs[RDH];
      if (head == regs[RDT]) { // only null buffers can bring us here: they took the space
        receiverOverrun();
        return false;
      }
      long address = ring + (long) DESCRIPTOR_SIZE * head;
      if (!fetchDescriptor(address, "RX descriptor")) {
        return false;
      }
      long buffer = le64(descriptor, 0);
      int length = 0;
      int status = RXD_DD;
      int errors = 0;
      if (buffer != 0) {
        length = Math.min(total - done, bufferSize);
        int copy = Math.min(length, size - done); // FCS bytes are counted, not written
        if (copy > 0 && !dmaWrite(buffer, frame, done, copy)) {
          errors |= RXD_ERR_RXE;
        }
        done += length;
        if (done >= total) {
          status |= RXD_EOP | RXD_IXSM;
        }
      } else {
        guestBug(GuestBug.NULL_RX_BUFFER, "RX descriptor " + head + " has no buffer: skipped");
      }
      writeBackReceiveDescriptor(address, length, status, errors);
      regs[RDH] = head + 1 >= n ? 0 : head + 1;
    }
    return true;
  }

  private void writeBackReceiveDescriptor(long address, int length, int status, int errors) {
    descriptor[8] = (byte) length;
    descriptor[9] = (byte) (length >>> 8);
    descriptor[10] = 0; // checksum
    descriptor[11] = 0;
    descriptor[12] = (byte) status;
    descriptor[13] = (byte) errors;
    descriptor[14] = 0; // special
    descriptor[15] = 0;
    memory.write(address + 8, descriptor, 8, 8); // fetchDescriptor checked the whole range
  }

  private void countReceived(ByteString frame, int total) {
    int size = frame.size();
    countBySize(PRC64, total);
    inc(TPR);
    inc(GPRC);
    add64(TOR, size + 4);
    add64(GORC, size + 4);
    if (isBroadcast(frame)) {
      inc(BPRC);
    } else if (isMulticast(frame)) {
      inc(MPRC);
    }
  }

  /** Free descriptors at or below RDLEN >> (RDMTS + 1) bytes' worth. */
  private boolean belowMinimumThreshold() {
    int shift = ((regs[RCTL] >>> RCTL_RDMTS_SHIFT) & 3) + 1;
    return (long) freeReceiveDescriptors() * DESCRIPTOR_SIZE <= (regs[RDLEN] >>> shift);
  }

  // ------------------------------------------------------------------ transmit

  /** The netdev has room again: the refused frame is offered again and the pass continues. */
  public synchronized void resumeTransmit() {
    txStalled = false;
    startTransmit();
  }

  private void startTransmit() {
    if ((regs[TCTL] & TCTL_EN) == 0 || !pci.busMaster() || txBusy || txStalled) {
      return;
    }
    txBusy = true;
    int causes;
    try {
      causes = transmitPass();
    } finally {
      txBusy = false;
    }
    raise(causes);
  }

  /** Descriptors from TDH to TDT; TXDW if one had RS, TXQE once the queue is empty. */
  private int transmitPass() {
    int causes = 0;
    if (held != null) {
      if (!host.transmit(held.frame())) {
        txStalled = true;
        return causes;
      }
      countTransmitted(held.frame());
      causes |= completeTransmitDescriptor(held.descriptor(), held.lower(), held.upper());
      held = null;
    }
    if (regs[TDH] == regs[TDT]) {
      return causes | ICR_TXQE;
    }
    int n = regs[TDLEN] / DESCRIPTOR_SIZE;
    if (n == 0 || regs[TDH] >= n || regs[TDT] >= n) {
      ringErrors++;
      guestBug(GuestBug.TX_RING, String.format("TX ring unusable (TDLEN=%d TDH=%d TDT=%d)",
          regs[TDLEN], regs[TDH], regs[TDT]));
      return causes;
    }
    long ring = ringBase(TDBAL, TDBAH);
    while (regs[TDH] != regs[TDT]) {
      long address = ring + (long) DESCRIPTOR_SIZE * regs[TDH];
      if (!fetchDescriptor(address, "TX descriptor")) {
        return causes; // stop: the guest must fix its ring
      }
      long buffer = le64(descriptor, 0);
      int lower = le32(descriptor, 8);
      int upper = le32(descriptor, 12);
      if (gatherTransmitDescriptor(buffer, lower, upper)) {
        ByteString frame = finishFrame();
        if (frame != null && !sendFrame(frame)) {
          held = new HeldFrame(frame, address, lower, upper);
          txStalled = true;
          return causes;
        }
      }
      causes |= completeTransmitDescriptor(address, lower, upper);
    }
    return causes | ICR_TXQE;
  }

  /** Adds one descriptor's data to the frame being gathered; true at end of packet. */
  private boolean gatherTransmitDescriptor(long buffer, int lower, int upper) {
    int command = lower >>> 24;
    if ((command & TXD_IDE) != 0) {
      mitIde = true;
    }
    boolean extended = (command & TXD_DEXT) != 0;
    if (extended && (lower & TXD_DTYP_DATA) == 0) {
      txDescriptorsSkipped++; // a context descriptor: offload setup, not modelled
      guestBug(GuestBug.TX_OFFLOAD, "TX context descriptor skipped (offloads are not modelled)");
      return false;
    }
    int length;
    if (extended) {
      length = lower & 0xFFFFF;
      if ((command & TXD_TSE) != 0 || ((upper >>> 8) & POPTS_CHECKSUMS) != 0) {
        txFrameUnsupported = true;
      }
    } else {
      length = lower & 0xFFFF; // IFCS and legacy IC are ignored, as in QEMU
    }
    appendFrameData(buffer, length);
    return (command & TXD_EOP) != 0;
  }

  private void appendFrameData(long buffer, int length) {
    int take = Math.min(length, MAX_TX_FRAME - txSize);
    if (take < length) {
      guestBug(GuestBug.TX_FRAME_TOO_LONG, "TX frame longer than 64 KiB truncated");
    }
    if (take <= 0) {
      return;
    }
    if (txData == null || txData.length < txSize + take) {
      byte[] bigger = new byte[Math.max(2048, Integer.highestOneBit(txSize + take - 1) << 1)];
      if (txSize > 0) {
        System.arraycopy(txData, 0, bigger, 0, txSize);
      }
      txData = bigger;
    }
    try {
      memory.read(buffer, txData, txSize, take);
      txSize += take;
    } catch (GuestMemoryFault fault) {
      dmaFault("TX buffer", fault);
      txFrameFaulted = true;
    }
  }

  /** The gathered frame, or null when it cannot go out (counted as dropped). */
  private ByteString finishFrame() {
    ByteString frame = null;
    if (txFrameUnsupported) {
      guestBug(GuestBug.TX_OFFLOAD, "TX frame asking for checksum/TSO offload dropped");
    } else if (txSize == 0 && !txFrameFaulted) {
      guestBug(GuestBug.TX_EMPTY_FRAME, "TX frame of 0 bytes dropped");
    } else if (!txFrameFaulted) {
      frame = ByteString.fromArray(txData, 0, txSize);
    }
    if (frame == null) {
      txFramesDropped++;
    }
    txSize = 0;
    txFrameFaulted = false;
    txFrameUnsupported = false;
    if (txData != null && txData.length > TX_BUFFER_KEEP) {
      txData = null;
    }
    return frame;
  }

  /** False when the netdev is full. With the link down the frame is lost on the dead wire. */
  private boolean sendFrame(ByteString frame) {
    if ((regs[STATUS] & STATUS_LU) == 0) {
      txFramesDropped++;
    } else if (!host.transmit(frame)) {
      return false;
    }
    countTransmitted(frame);
    return true;
  }

  /** RS (or RPS) writes DD back; then TDH moves on. */
  private int completeTransmitDescriptor(long address, int lower, int upper) {
    int causes = 0;
    if (((lower >>> 24) & (TXD_RS | TXD_RPS)) != 0) {
      int status = (upper | TXD_STA_DD) & ~TXD_STA_ERRORS;
      try {
        memory.writeU32(address + 12, status);
      } catch (GuestMemoryFault fault) {
        dmaFault("TX write-back", fault);
      }
      causes = ICR_TXDW;
    }
    int n = regs[TDLEN] / DESCRIPTOR_SIZE;
    regs[TDH] = regs[TDH] + 1 >= n ? 0 : regs[TDH] + 1;
    return causes;
  }

  private void countTransmitted(ByteString frame) {
    int size = frame.size();
    if (isBroadcast(frame)) {
      inc(BPTC);
    } else if (isMulticast(frame)) {
      inc(MPTC);
    }
    countBySize(PTC64, size + 4);
    inc(TPT);
    add64(TOT, size + 4);
    inc(GPTC);
    add64(GOTC, size + 4);
  }

  // ------------------------------------------------------------------ statistics

  /** The statistics registers by name, without clearing them; 64-bit pairs under one name. */
  public synchronized Map<String, Long> statistics() {
    Map<String, Long> stats = new LinkedHashMap<>();
    for (Stat stat : STATS) {
      long value = regs[stat.slot()] & 0xFFFF_FFFFL;
      if (stat.wide()) {
        value |= (long) regs[stat.slot() + 1] << 32;
      }
      stats.put(stat.name(), value);
    }
    stats.put("rxDroppedNotReady", rxDroppedNotReady);
    stats.put("txFramesDropped", txFramesDropped);
    stats.put("txDescriptorsSkipped", txDescriptorsSkipped);
    stats.put("dmaFaults", dmaFaults);
    stats.put("ringErrors", ringErrors);
    return stats;
  }

  private void inc(int slot) {
    if (regs[slot] != -1) {
      regs[slot]++;
    }
  }

  private void add64(int lowSlot, int amount) {
    long sum = (regs[lowSlot] & 0xFFFF_FFFFL) | (long) regs[lowSlot + 1] << 32;
    long next = sum + amount;
    if (Long.compareUnsigned(next, sum) < 0) {
      next = -1L; // saturate at 2^64 - 1
    }
    regs[lowSlot] = (int) next;
    regs[lowSlot + 1] = (int) (next >>> 32);
  }

  /** The 64, 65-127, 128-255, 256-511, 512-1023 and 1024+ byte buckets in consecutive slots. */
  private void countBySize(int first, int size) {
    if (size > 1023) {
      inc(first + 5);
    } else if (size > 511) {
      inc(first + 4);
    } else if (size > 255) {
      inc(first + 3);
    } else if (size > 127) {
      inc(first + 2);
    } else if (size > 64) {
      inc(first + 1);
    } else if (size == 64) {
      inc(first);
    }
  }

  /** Test hook: sets a register's stored value directly, bypassing its write handler. */
  synchronized void pokeRegister(int offset, int value) {
    regs[TABLE[(offset & (PciConfig.BAR0_SIZE - 1)) >>> 2].slot()] = value;
  }

  // ------------------------------------------------------------------ DMA and helpers

  private long ringBase(int lowSlot, int highSlot) {
    return (long) regs[highSlot] << 32 | (regs[lowSlot] & 0xFFFF_FFF0L);
  }

  private boolean fetchDescriptor(long address, String what) {
    try {
      memory.read(address, descriptor, 0, DESCRIPTOR_SIZE);
      return true;
    } catch (GuestMemoryFault fault) {
      dmaFault(what, fault);
      return false;
    }
  }

  private boolean dmaWrite(long address, ByteString data, int from, int length) {
    try {
      memory.write(address, data, from, length);
      return true;
    } catch (GuestMemoryFault fault) {
      dmaFault("RX buffer", fault);
      return false;
    }
  }

  private void dmaFault(String what, GuestMemoryFault fault) {
    dmaFaults++;
    guestBug(GuestBug.DMA_FAULT, what + ": " + fault.getMessage());
  }

  private void guestBug(GuestBug kind, String detail) {
    if (reported.add(kind)) {
      log.warn("e1000 {}: guest bug: {} (further ones of this kind are not logged)", mac, detail);
    }
  }

  private void unknownRegister(int offset, String access) {
    int index = (offset & (PciConfig.BAR0_SIZE - 1)) >>> 2;
    if (unknownOffsets == null) {
      unknownOffsets = new BitSet();
    }
    if (!unknownOffsets.get(index)) {
      unknownOffsets.set(index);
      log.info("e1000 {}: {} of unmodelled register 0x{} ({})", mac, access,
          Integer.toHexString(index << 2), "reads 0, writes ignored");
    }
  }

  private static boolean isBroadcast(ByteString frame) {
    for (int i = 0; i < 6; i++) {
      if (frame.apply(i) != (byte) 0xFF) {
        return false;
      }
    }
    return true;
  }

  private static boolean isMulticast(ByteString frame) {
    return (frame.apply(0) & 1) != 0;
  }

  private static long le64(byte[] b, int at) {
    return (le32(b, at) & 0xFFFF_FFFFL) | (long) le32(b, at + 4) << 32;
  }

  private static int le32(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | b[at + 3] << 24;
  }

  @Override
  public String toString() {
    return "e1000 " + mac;
  }
}
