package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.E1000.CTRL_RST;
import static io.fleetsim.nic.e1000.E1000.ICR_MDAC;
import static io.fleetsim.nic.e1000.E1000.RAH_AV;

import io.fleetsim.addr.MacAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MAC registers behind BAR0: one table indexed by {@code offset >> 2}, each row a register's
 * name, reset value, the bits a plain write keeps, and its read and write handlers. Plain
 * registers share the generic store and read; the special ones have small handlers: ICR cleared
 * by a read or by writing 1s, ICS, IMS and IMC, control and tail writes that start transmit or
 * offer receive buffers, the EEPROM and PHY ports, clear-on-read statistics ({@link Counter}).
 * Ranges (MTA, RA, VFTA) are one row each. Offsets without a register read 0, ignore writes and
 * are logged once per device. Reset reloads the table's reset values.
 *
 * <p>The device names a register by its row. Values are stored densely, a slot per row (about 400
 * of the window's 32768 dwords exist), so a device holds 1.6 KiB of registers, not 128 KiB.
 *
 * <p>Not thread-safe: {@link E1000} calls it with its lock held.
 */
final class MacRegisters {
  private static final Logger log = LoggerFactory.getLogger(E1000.class); // the device's log

  /** What register accesses set off in the rest of the device. */
  interface Device {
    /** CTRL.RST was written: the whole device resets. */
    void reset();

    /** An access to ICR, ICS, IMS, IMC or MDIC makes the causes in ICR {@code causes}. */
    void setInterruptCause(int causes);

    /** RCTL or RDT was written: reception may have been enabled or buffers given. */
    void receiveControlWritten();

    /** TCTL or TDT was written: there may be descriptors to send. */
    void transmitControlWritten();
  }

  @FunctionalInterface
  private interface ReadHandler {
    int read(MacRegisters regs, Register reg);
  }

  @FunctionalInterface
  private interface WriteHandler {
    void write(MacRegisters regs, Register reg, int value);
  }

  /**
   * One row of the table: a register's name, byte offset, reset value, the bits a plain write
   * keeps, and its handlers; {@code slot} is where its value is stored. A record, so that the JIT
   * takes a named register's slot as a constant.
   */
  record Register(String name, int offset, int slot, int reset, int writeMask, ReadHandler read,
      WriteHandler write) {}

  /** A statistics register: a 32-bit counter, or a 64-bit one as a low and a high dword. */
  record Counter(String name, Register low, Register high) {
    boolean wide() {
      return high != null;
    }
  }

  private static final int ALL = ~0;
  private static final int WINDOW_MASK = PciConfig.BAR0_SIZE - 1;
  private static final ReadHandler STORED = MacRegisters::stored;
  private static final WriteHandler STORE = MacRegisters::store;
  private static final WriteHandler READ_ONLY = MacRegisters::ignore;

  /** The table: the register at each {@code offset >> 2}, null where there is none. */
  private static final Register[] TABLE = new Register[PciConfig.BAR0_SIZE >> 2];
  private static final List<Register> ROWS = new ArrayList<>(); // in slot order
  private static final List<Counter> COUNTERS = new ArrayList<>(); // in offset order

  // ------------------------------------------------------------------ the table, by offset
  // name, offset, reset value, write mask, read and write handlers. Every register is a constant
  // so that the table is one list in offset order; the device uses the ones it needs.
  static final Register CTRL =
      row("CTRL", 0x0000, 0x00140240, ~CTRL_RST, STORED, MacRegisters::writeCtrl);
  static final Register STATUS = row("STATUS", 0x0008, 0x80080783, 0, STORED, READ_ONLY);
  static final Register EECD =
      row("EECD", 0x0010, 0, 0, MacRegisters::readEecd, MacRegisters::writeEecd);
  static final Register EERD = row("EERD", 0x0014, 0, ALL, MacRegisters::readEerd, STORE);
  static final Register CTRL_EXT = plain("CTRL_EXT", 0x0018, 0, ALL);
  static final Register MDIC = row("MDIC", 0x0020, 0, 0, STORED, MacRegisters::writeMdic);
  static final Register FCAL = plain("FCAL", 0x0028, 0, ALL);
  static final Register FCAH = plain("FCAH", 0x002C, 0, 0xFFFF);
  static final Register FCT = plain("FCT", 0x0030, 0, 0xFFFF);
  static final Register VET = plain("VET", 0x0038, 0x8100, 0xFFFF);
  static final Register ICR =
      row("ICR", 0x00C0, 0, 0, MacRegisters::readIcr, MacRegisters::writeIcr);
  static final Register ITR = plain("ITR", 0x00C4, 0, 0xFFFF);
  // ICS reads as ICR: the device mirrors the causes into it
  static final Register ICS = row("ICS", 0x00C8, 0, 0, STORED, MacRegisters::writeIcs);
  static final Register IMS = row("IMS", 0x00D0, 0, 0, STORED, MacRegisters::writeIms);
  static final Register IMC =
      row("IMC", 0x00D8, 0, 0, MacRegisters::readZero, MacRegisters::writeImc);
  static final Register RCTL =
      row("RCTL", 0x0100, 0, ALL, STORED, MacRegisters::writeReceiveControl);
  static final Register FCTTV = plain("FCTTV", 0x0170, 0, 0xFFFF);
  static final Register TXCW = plain("TXCW", 0x0178, 0, ALL);
  static final Register RXCW = plain("RXCW", 0x0180, 0, ALL);
  static final Register TCTL =
      row("TCTL", 0x0400, 0, ALL, STORED, MacRegisters::writeTransmitControl);
  static final Register TIPG = plain("TIPG", 0x0410, 0, ALL);
  static final Register LEDCTL = plain("LEDCTL", 0x0E00, 0x602, ALL);
  static final Register PBA = plain("PBA", 0x1000, 0x00100030, ALL);
  static final Register FCRTL = plain("FCRTL", 0x2160, 0, ALL);
  static final Register FCRTH = plain("FCRTH", 0x2168, 0, ALL);
  static final Register RDBAL = plain("RDBAL", 0x2800, 0, ALL);
  static final Register RDBAH = plain("RDBAH", 0x2804, 0, ALL);
  static final Register RDLEN = plain("RDLEN", 0x2808, 0, 0xFFF80);
  static final Register RDH = plain("RDH", 0x2810, 0, 0xFFFF);
  static final Register RDT =
      row("RDT", 0x2818, 0, 0xFFFF, STORED, MacRegisters::writeReceiveControl);
  static final Register RDTR = plain("RDTR", 0x2820, 0, 0xFFFF);
  static final Register RXDCTL = plain("RXDCTL", 0x2828, 0, ALL);
  static final Register RADV = plain("RADV", 0x282C, 0, 0xFFFF);
  static final Register RSRPD = plain("RSRPD", 0x2C00, 0, 0xFFF);
  static final Register TDBAL = plain("TDBAL", 0x3800, 0, ALL);
  static final Register TDBAH = plain("TDBAH", 0x3804, 0, ALL);
  static final Register TDLEN = plain("TDLEN", 0x3808, 0, 0xFFF80);
  static final Register TDH = plain("TDH", 0x3810, 0, 0xFFFF);
  static final Register TDT =
      row("TDT", 0x3818, 0, 0xFFFF, STORED, MacRegisters::writeTransmitControl);
  static final Register TIDV = plain("TIDV", 0x3820, 0, 0xFFFF);
  static final Register TXDCTL = plain("TXDCTL", 0x3828, 0, ALL);
  static final Register TADV = plain("TADV", 0x382C, 0, 0xFFFF);
  // the statistics: read-only, cleared on read; a 64-bit pair clears when its high dword is read
  static final Counter CRCERRS = counter("CRCERRS", 0x4000);
  static final Counter ALGNERRC = counter("ALGNERRC", 0x4004);
  static final Counter SYMERRS = counter("SYMERRS", 0x4008);
  static final Counter RXERRC = counter("RXERRC", 0x400C);
  static final Counter MPC = counter("MPC", 0x4010);
  static final Counter SCC = counter("SCC", 0x4014);
  static final Counter ECOL = counter("ECOL", 0x4018);
  static final Counter MCC = counter("MCC", 0x401C);
  static final Counter LATECOL = counter("LATECOL", 0x4020);
  static final Counter COLC = counter("COLC", 0x4028);
  static final Counter DC = counter("DC", 0x4030);
  static final Counter TNCRS = counter("TNCRS", 0x4034);
  static final Counter SEC = counter("SEC", 0x4038);
  static final Counter CEXTERR = counter("CEXTERR", 0x403C);
  static final Counter RLEC = counter("RLEC", 0x4040);
  static final Counter XONRXC = counter("XONRXC", 0x4048);
  static final Counter XONTXC = counter("XONTXC", 0x404C);
  static final Counter XOFFRXC = counter("XOFFRXC", 0x4050);
  static final Counter XOFFTXC = counter("XOFFTXC", 0x4054);
  static final Counter FCRUC = counter("FCRUC", 0x4058);
  static final Counter PRC64 = counter("PRC64", 0x405C);
  static final Counter PRC127 = counter("PRC127", 0x4060);
  static final Counter PRC255 = counter("PRC255", 0x4064);
  static final Counter PRC511 = counter("PRC511", 0x4068);
  static final Counter PRC1023 = counter("PRC1023", 0x406C);
  static final Counter PRC1522 = counter("PRC1522", 0x4070);
  static final Counter GPRC = counter("GPRC", 0x4074);
  static final Counter BPRC = counter("BPRC", 0x4078);
  static final Counter MPRC = counter("MPRC", 0x407C);
  static final Counter GPTC = counter("GPTC", 0x4080);
  static final Counter GORC = counter64("GORC", 0x4088);
  static final Counter GOTC = counter64("GOTC", 0x4090);
  static final Counter RNBC = counter("RNBC", 0x40A0);
  static final Counter RUC = counter("RUC", 0x40A4);
  static final Counter RFC = counter("RFC", 0x40A8);
  static final Counter ROC = counter("ROC", 0x40AC);
  static final Counter RJC = counter("RJC", 0x40B0);
  static final Counter MGTPRC = counter("MGTPRC", 0x40B4);
  static final Counter MGTPDC = counter("MGTPDC", 0x40B8);
  static final Counter MGTPTC = counter("MGTPTC", 0x40BC);
  static final Counter TOR = counter64("TOR", 0x40C0);
  static final Counter TOT = counter64("TOT", 0x40C8);
  static final Counter TPR = counter("TPR", 0x40D0);
  static final Counter TPT = counter("TPT", 0x40D4);
  static final Counter PTC64 = counter("PTC64", 0x40D8);
  static final Counter PTC127 = counter("PTC127", 0x40DC);
  static final Counter PTC255 = counter("PTC255", 0x40E0);
  static final Counter PTC511 = counter("PTC511", 0x40E4);
  static final Counter PTC1023 = counter("PTC1023", 0x40E8);
  static final Counter PTC1522 = counter("PTC1522", 0x40EC);
  static final Counter MPTC = counter("MPTC", 0x40F0);
  static final Counter BPTC = counter("BPTC", 0x40F4);
  static final Counter TSCTC = counter("TSCTC", 0x40F8);
  static final Counter TSCTFC = counter("TSCTFC", 0x40FC);
  // the rest
  static final Register RXCSUM = plain("RXCSUM", 0x5000, 0, 0x7FF);
  /** MTA[n], the multicast hash table: 128 dwords. */
  static final Register MTA = range("MTA", 0x5200, 128);
  /** RAL[n] in dword 2n, RAH[n] in dword 2n + 1: 16 receive addresses. */
  static final Register RA = range("RA", 0x5400, 32);
  static final Register VFTA = range("VFTA", 0x5600, 128);
  static final Register WUC = plain("WUC", 0x5800, 0, ALL);
  static final Register WUFC = plain("WUFC", 0x5808, 0, ALL);
  static final Register WUS = plain("WUS", 0x5810, 0, ALL);
  static final Register MANC = plain("MANC", 0x5820, 0x00222300, ALL);
  static final Register IPAV = plain("IPAV", 0x5838, 0, ALL);

  /** Received frames by size: 64, 65-127, 128-255, 256-511, 512-1023, 1024 bytes or more. */
  static final List<Counter> RECEIVED_BY_SIZE =
      List.of(PRC64, PRC127, PRC255, PRC511, PRC1023, PRC1522);
  /** Transmitted frames by size, in the same buckets. */
  static final List<Counter> TRANSMITTED_BY_SIZE =
      List.of(PTC64, PTC127, PTC255, PTC511, PTC1023, PTC1522);

  /** The reset values by slot, copied over the registers at reset. */
  private static final int[] RESET = ROWS.stream().mapToInt(Register::reset).toArray();

  private static Register row(String name, int offset, int reset, int writeMask,
      ReadHandler read, WriteHandler write) {
    int index = offset >> 2;
    if (TABLE[index] != null) {
      throw new IllegalStateException(name + " and " + TABLE[index].name() + " both at 0x"
          + Integer.toHexString(offset));
    }
    Register reg = new Register(name, offset, ROWS.size(), reset, writeMask, read, write);
    TABLE[index] = reg;
    ROWS.add(reg);
    return reg;
  }

  private static Register plain(String name, int offset, int reset, int writeMask) {
    return row(name, offset, reset, writeMask, STORED, STORE);
  }

  /** {@code count} plain dwords, all bits writable, reset to 0, stored together; the first. */
  private static Register range(String name, int offset, int count) {
    Register first = plain(name + "[0]", offset, 0, ALL);
    for (int i = 1; i < count; i++) {
      plain(name + "[" + i + "]", offset + 4 * i, 0, ALL);
    }
    return first;
  }

  private static Counter counter(String name, int offset) {
    Counter counter =
        new Counter(name, row(name, offset, 0, 0, MacRegisters::readAndClear, READ_ONLY), null);
    COUNTERS.add(counter);
    return counter;
  }

  private static Counter counter64(String name, int offset) {
    Register low = row(name + "L", offset, 0, 0, STORED, READ_ONLY);
    Register high = row(name + "H", offset + 4, 0, 0, MacRegisters::readAndClearPair, READ_ONLY);
    Counter counter = new Counter(name, low, high);
    COUNTERS.add(counter);
    return counter;
  }

  private final MacAddress mac;
  private final Eeprom eeprom;
  private final Phy phy;
  private final Device device;
  private final int[] values = new int[ROWS.size()];
  private BitSet unknownOffsets; // made at the first one: most guests touch none

  MacRegisters(MacAddress mac, Eeprom eeprom, Phy phy, Device device) {
    this.mac = mac;
    this.eeprom = eeprom;
    this.phy = phy;
    this.device = device;
  }

  // ------------------------------------------------------------------ MMIO

  /** A guest read at {@code offset} in the window (wrapping as address decoding does). */
  int read(int offset) {
    Register reg = TABLE[(offset & WINDOW_MASK) >>> 2];
    if (reg == null) {
      unknown(offset, "read");
      return 0;
    }
    return reg.read().read(this, reg);
  }

  /** A guest write at {@code offset} in the window. */
  void write(int offset, int value) {
    Register reg = TABLE[(offset & WINDOW_MASK) >>> 2];
    if (reg == null) {
      unknown(offset, "write");
      return;
    }
    reg.write().write(this, reg, value);
  }

  // ------------------------------------------------------------------ the device's own access

  /** The register's stored value, without read side effects. */
  int get(Register reg) {
    return values[reg.slot()];
  }

  /** Dword {@code index} of a range (MTA, RA, VFTA). */
  int get(Register range, int index) {
    return values[range.slot() + index];
  }

  /** Stores {@code value} as it is (no write mask, no handler): what the hardware itself sets. */
  void set(Register reg, int value) {
    values[reg.slot()] = value;
  }

  /** Test hook: stores {@code value} in the register at {@code offset}, bypassing its handler. */
  void poke(int offset, int value) {
    values[TABLE[(offset & WINDOW_MASK) >>> 2].slot()] = value;
  }

  /** Every register back to its reset value; RA[0] holds the MAC with address valid. */
  void reset() {
    System.arraycopy(RESET, 0, values, 0, values.length);
    values[RA.slot()] = mac.octet(0) | mac.octet(1) << 8 | mac.octet(2) << 16 | mac.octet(3) << 24;
    values[RA.slot() + 1] = mac.octet(4) | mac.octet(5) << 8 | RAH_AV; // RAH[0]
  }

  // ------------------------------------------------------------------ statistics

  /** One more, saturating at 2^32 - 1. */
  void count(Counter counter) {
    int slot = counter.low().slot();
    if (values[slot] != -1) {
      values[slot]++;
    }
  }

  /** Adds to a 64-bit counter, saturating at 2^64 - 1. */
  void add(Counter pair, int amount) {
    int low = pair.low().slot();
    int high = pair.high().slot();
    long sum = (values[low] & 0xFFFF_FFFFL) | (long) values[high] << 32;
    long next = sum + amount;
    if (Long.compareUnsigned(next, sum) < 0) {
      next = -1L;
    }
    values[low] = (int) next;
    values[high] = (int) (next >>> 32);
  }

  /** Counts a frame of {@code size} bytes in its bucket of {@code bySize}; none below 64. */
  void countBySize(List<Counter> bySize, int size) {
    if (size > 1023) {
      count(bySize.get(5));
    } else if (size > 511) {
      count(bySize.get(4));
    } else if (size > 255) {
      count(bySize.get(3));
    } else if (size > 127) {
      count(bySize.get(2));
    } else if (size > 64) {
      count(bySize.get(1));
    } else if (size == 64) {
      count(bySize.get(0));
    }
  }

  /** The statistics registers by name, in offset order, without clearing them. */
  Map<String, Long> statistics() {
    Map<String, Long> stats = new LinkedHashMap<>();
    for (Counter counter : COUNTERS) {
      long value = get(counter.low()) & 0xFFFF_FFFFL;
      if (counter.wide()) {
        value |= (long) get(counter.high()) << 32;
      }
      stats.put(counter.name(), value);
    }
    return stats;
  }

  // ------------------------------------------------------------------ generic handlers

  private int stored(Register reg) {
    return values[reg.slot()];
  }

  private int readZero(Register reg) {
    return 0; // a write-only register
  }

  private void store(Register reg, int value) {
    values[reg.slot()] = value & reg.writeMask();
  }

  private void ignore(Register reg, int value) {
    // read-only
  }

  private int readAndClear(Register reg) {
    int value = values[reg.slot()];
    values[reg.slot()] = 0;
    return value;
  }

  private int readAndClearPair(Register high) {
    int value = values[high.slot()];
    values[high.slot()] = 0;
    values[TABLE[(high.offset() - 4) >> 2].slot()] = 0; // the low dword
    return value;
  }

  // ------------------------------------------------------------------ special handlers

  private void writeCtrl(Register reg, int value) {
    if ((value & CTRL_RST) != 0) {
      device.reset(); // self-clearing; QEMU 7.2 merely drops the bit, the 82540 resets
      return;
    }
    store(reg, value);
  }

  private int readEecd(Register reg) {
    return eeprom.readEecd();
  }

  private void writeEecd(Register reg, int value) {
    eeprom.writeEecd(value);
  }

  private int readEerd(Register reg) {
    return eeprom.readEerd(values[reg.slot()]);
  }

  private void writeMdic(Register reg, int value) {
    int mdic = phy.mdicWrite(value, values[reg.slot()]);
    values[reg.slot()] = mdic;
    if ((mdic & Phy.MDIC_INT_EN) != 0) {
      device.setInterruptCause(get(ICR) | ICR_MDAC);
    }
  }

  private int readIcr(Register reg) {
    int causes = values[reg.slot()];
    device.setInterruptCause(0);
    return causes;
  }

  private void writeIcr(Register reg, int value) {
    device.setInterruptCause(values[reg.slot()] & ~value);
  }

  private void writeIcs(Register reg, int value) {
    device.setInterruptCause(get(ICR) | value);
  }

  private void writeIms(Register reg, int value) {
    values[reg.slot()] |= value;
    device.setInterruptCause(get(ICR)); // the line follows the new mask
  }

  private void writeImc(Register reg, int value) {
    set(IMS, get(IMS) & ~value);
    device.setInterruptCause(get(ICR));
  }

  /** RCTL or RDT: receive may go on (enabled, or new descriptors). */
  private void writeReceiveControl(Register reg, int value) {
    store(reg, value);
    device.receiveControlWritten();
  }

  /** TCTL or TDT: transmit may go on (enabled, or new descriptors). */
  private void writeTransmitControl(Register reg, int value) {
    store(reg, value);
    device.transmitControlWritten();
  }

  private void unknown(int offset, String access) {
    int index = (offset & WINDOW_MASK) >>> 2;
    if (unknownOffsets == null) {
      unknownOffsets = new BitSet();
    }
    if (!unknownOffsets.get(index)) {
      unknownOffsets.set(index);
      log.info("e1000 {}: {} of unmodelled register 0x{} ({})", mac, access,
          Integer.toHexString(index << 2), "reads 0, writes ignored");
    }
  }
}
