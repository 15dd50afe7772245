package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.Bench.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The register map, one row per register, from the 8254x's documented behaviour (the tables are
 * this test's own, written from the register descriptions, not read out of the model): what each
 * register holds after reset and which bits a write keeps, that every statistics register is
 * read-only and cleared by a read, what the special registers do when accessed, and that offsets
 * where no register lives read 0, ignore writes and are logged once.
 */
class E1000RegisterMapTest {

  /** A register that stores what is written: its reset value, a write, and what then reads back. */
  record Stored(String name, int offset, int reset, int written, int readsBack) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final int ALL = 0xFFFF_FFFF;

  static final List<Stored> STORED = List.of(
      new Stored("STATUS", STATUS, 0x80080783, 0, 0x80080783), // read-only: FD, LU, 1000 Mb/s
      new Stored("FCAL", 0x0028, 0, ALL, ALL),
      new Stored("FCAH", 0x002C, 0, ALL, 0xFFFF), // the upper 16 bits of the pause address
      new Stored("FCT", 0x0030, 0, ALL, 0xFFFF), // an ethertype
      new Stored("VET", VET, 0x8100, ALL, 0xFFFF), // the VLAN ethertype
      new Stored("ITR", ITR, 0, ALL, 0xFFFF), // interval in 256 ns units, 16 bits
      // RCTL's fields: EN to LPE, RDMTS, MO, BAM, BSIZE, BSEX, SECRC
      new Stored("RCTL", RCTL, 0, 0x0603_B33E, 0x0603_B33E),
      new Stored("FCTTV", 0x0170, 0, ALL, 0xFFFF),
      new Stored("TCTL", TCTL, 0, 0x003F_FFFA, 0x003F_FFFA), // EN, PSP, CT, COLD
      new Stored("TIPG", TIPG, 0, 0x0060_200A, 0x0060_200A),
      new Stored("LEDCTL", 0x0E00, 0x602, 0, 0),
      new Stored("PBA", 0x1000, 0x00100030, 0, 0), // 48 KiB for receive, 16 KiB for transmit
      new Stored("RDBAL", RDBAL, 0, 0x1234_5670, 0x1234_5670),
      new Stored("RDBAH", RDBAH, 0, 0x0000_0001, 0x0000_0001),
      new Stored("RDLEN", RDLEN, 0, ALL, 0x000F_FF80), // bytes, a multiple of 128
      new Stored("RDH", RDH, 0, ALL, 0xFFFF), // ring indexes are 16 bits
      new Stored("RDT", RDT, 0, ALL, 0xFFFF),
      new Stored("RDTR", RDTR, 0, ALL, 0xFFFF),
      new Stored("RADV", RADV, 0, ALL, 0xFFFF),
      new Stored("TDBAL", TDBAL, 0, 0x0765_4320, 0x0765_4320),
      new Stored("TDBAH", TDBAH, 0, 0x0000_0002, 0x0000_0002),
      new Stored("TDLEN", TDLEN, 0, ALL, 0x000F_FF80),
      new Stored("TDH", TDH, 0, ALL, 0xFFFF),
      new Stored("TDT", TDT, 0, ALL, 0xFFFF),
      new Stored("TIDV", TIDV, 0, ALL, 0xFFFF),
      new Stored("TADV", TADV, 0, ALL, 0xFFFF),
      new Stored("MTA[0]", MTA, 0, ALL, ALL),
      new Stored("MTA[127]", MTA + 4 * 127, 0, ALL, ALL),
      new Stored("RAL[1]", RAL + 8, 0, 0x0201_0002, 0x0201_0002),
      new Stored("RAH[1]", RAL + 12, 0, RAH_AV | 0x0403, RAH_AV | 0x0403),
      new Stored("RAL[15]", RAL + 8 * 15, 0, ALL, ALL),
      new Stored("RAH[15]", RAL + 8 * 15 + 4, 0, RAH_AV | 0xFFFF, RAH_AV | 0xFFFF),
      new Stored("VFTA[0]", 0x5600, 0, ALL, ALL),
      new Stored("VFTA[127]", 0x5600 + 4 * 127, 0, ALL, ALL),
      new Stored("MANC", 0x5820, 0x00222300, 0, 0));

  /** A statistics register: 32 bits, or 64 as a low dword at {@code offset} and a high after. */
  record Counter(String name, int offset, boolean wide) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Counter c32(String name, int offset) {
    return new Counter(name, offset, false);
  }

  private static Counter c64(String name, int offset) {
    return new Counter(name, offset, true);
  }

  /** Every statistics register of the 82540, in offset order. */
  static final List<Counter> COUNTERS = List.of(
      c32("CRCERRS", 0x4000), c32("ALGNERRC", 0x4004), c32("SYMERRS", 0x4008),
      c32("RXERRC", 0x400C), c32("MPC", 0x4010), c32("SCC", 0x4014), c32("ECOL", 0x4018),
      c32("MCC", 0x401C), c32("LATECOL", 0x4020), c32("COLC", 0x4028), c32("DC", 0x4030),
      c32("TNCRS", 0x4034), c32("SEC", 0x4038), c32("CEXTERR", 0x403C), c32("RLEC", 0x4040),
      c32("XONRXC", 0x4048), c32("XONTXC", 0x404C), c32("XOFFRXC", 0x4050),
      c32("XOFFTXC", 0x4054), c32("FCRUC", 0x4058), c32("PRC64", 0x405C),
      c32("PRC127", 0x4060), c32("PRC255", 0x4064), c32("PRC511", 0x4068),
      c32("PRC1023", 0x406C), c32("PRC1522", 0x4070), c32("GPRC", 0x4074), c32("BPRC", 0x4078),
      c32("MPRC", 0x407C), c32("GPTC", 0x4080), c64("GORC", 0x4088), c64("GOTC", 0x4090),
      c32("RNBC", 0x40A0), c32("RUC", 0x40A4), c32("RFC", 0x40A8), c32("ROC", 0x40AC),
      c32("RJC", 0x40B0), c32("MGTPRC", 0x40B4), c32("MGTPDC", 0x40B8), c32("MGTPTC", 0x40BC),
      c64("TOR", 0x40C0), c64("TOT", 0x40C8), c32("TPR", 0x40D0), c32("TPT", 0x40D4),
      c32("PTC64", 0x40D8), c32("PTC127", 0x40DC), c32("PTC255", 0x40E0),
      c32("PTC511", 0x40E4), c32("PTC1023", 0x40E8), c32("PTC1522", 0x40EC),
      c32("MPTC", 0x40F0), c32("BPTC", 0x40F4), c32("TSCTC", 0x40F8), c32("TSCTFC", 0x40FC));

  /** Offsets where the 82540 has no register: reserved holes between and after the others. */
  static final List<Integer> HOLES = List.of(0x000C, 0x0024, 0x00CC, 0x0104, 0x0E04, 0x280C,
      0x4024, 0x402C, 0x4044, 0x4084, 0x4098, 0x409C, 0x5004, 0x5B00,
      0x1FFFC);

  // ------------------------------------------------------------------ stored registers and reset

  @ParameterizedTest(name = "{0}")
  @MethodSource("stored")
  void aRegisterStartsAtItsResetValueAndKeepsOnlyItsImplementedBits(Stored r) {
    Bench b = new Bench();
    assertEquals(r.reset(), b.read(r.offset()), "after reset");
    b.write(r.offset(), r.written());
    assertEquals(r.readsBack(), b.read(r.offset()), "after writing 0x" + hex(r.written()));
  }

  @Test
  void ctrlRstBringsEveryRegisterBackToItsResetValue() {
    Bench b = new Bench();
    b.write(IMS, ICR_RXT0);
    b.write(ICS, ICR_LSC);
    for (Stored r : STORED) {
      b.write(r.offset(), r.written());
    }
    b.write(RAL, 0);
    b.write(RAL + 4, 0);
    b.write(CTRL, CTRL_SLU | CTRL_RST);
    for (Stored r : STORED) {
      assertEquals(r.reset(), b.read(r.offset()), r.name());
    }
    assertEquals(0x00140240, b.read(CTRL), "CTRL at its reset value, RST cleared by itself");
    assertEquals(0, b.read(IMS), "IMS");
    assertEquals(0, b.read(ICR), "ICR");
    assertEquals(0x12005452, b.read(RAL), "RAL[0] reloaded from the EEPROM's MAC");
    assertEquals(RAH_AV | 0x5634, b.read(RAL + 4), "RAH[0] with address valid");
  }

  // ------------------------------------------------------------------ statistics

  @ParameterizedTest(name = "{0}")
  @MethodSource("counters")
  void aStatisticsRegisterIsReadOnlyAndClearedByARead(Counter c) {
    Bench b = new Bench();
    assertEquals(0, b.read(c.offset()), "zero after reset");
    b.nic.pokeRegister(c.offset(), 41);
    b.write(c.offset(), 7);
    if (!c.wide()) {
      assertEquals(41, b.read(c.offset()), "a write does not change it");
      assertEquals(0, b.read(c.offset()), "the read cleared it");
      return;
    }
    int high = c.offset() + 4;
    b.nic.pokeRegister(high, 3);
    b.write(high, 9);
    assertEquals(41, b.read(c.offset()), "low dword, unchanged by a write");
    assertEquals(41, b.read(c.offset()), "reading the low dword alone does not clear");
    assertEquals(3, b.read(high), "high dword");
    assertEquals(0, b.read(c.offset()), "reading the high dword cleared both");
    assertEquals(0, b.read(high));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("counters")
  void aStatisticsRegisterIsReportedUnderItsName(Counter c) {
    Bench b = new Bench();
    b.nic.pokeRegister(c.offset(), 5);
    if (c.wide()) {
      b.nic.pokeRegister(c.offset() + 4, 2);
    }
    assertEquals(c.wide() ? 0x2_0000_0005L : 5L, b.stat(c.name()));
    assertEquals(5, b.read(c.offset()), "reporting does not clear");
  }

  @Test
  void statisticsListsTheRegistersInOffsetOrderThenTheModelsOwnCounters() {
    List<String> expected = new ArrayList<>();
    COUNTERS.forEach(c -> expected.add(c.name()));
    expected.addAll(List.of("rxDroppedNotReady", "txFramesDropped", "txDescriptorsSkipped",
        "dmaFaults", "ringErrors"));
    assertEquals(expected, List.copyOf(new Bench().nic.statistics().keySet()));
  }

  // ------------------------------------------------------------------ special registers

  /** A register whose access does more than store: what the test does and checks. */
  record Special(String behaviour, Consumer<Bench> check) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static final List<Special> SPECIAL = List.of(
      new Special("ICR: a read returns the causes and clears them", b -> {
        b.write(IMS, ICR_LSC);
        b.write(ICS, ICR_LSC | ICR_RXT0);
        assertTrue(b.host.line);
        assertEquals(ICR_LSC | ICR_RXT0, b.read(ICR));
        assertEquals(0, b.read(ICR));
        assertFalse(b.host.line, "no cause left");
      }),
      new Special("ICR: a write clears the bits written as 1 and only those", b -> {
        b.write(ICS, ICR_LSC | ICR_RXT0 | ICR_TXDW);
        b.write(ICR, ICR_RXT0 | ICR_RXO);
        assertEquals(ICR_LSC | ICR_TXDW, b.read(ICR));
      }),
      new Special("ICS: a write sets causes; it reads as ICR without clearing", b -> {
        b.write(ICS, ICR_RXT0);
        b.write(ICS, ICR_TXQE);
        assertEquals(ICR_RXT0 | ICR_TXQE, b.read(ICS));
        assertEquals(ICR_RXT0 | ICR_TXQE, b.read(ICS));
        assertEquals(ICR_RXT0 | ICR_TXQE, b.read(ICR));
      }),
      new Special("IMS: a write adds mask bits and unmasks pending causes", b -> {
        b.write(ICS, ICR_RXT0);
        b.write(IMS, ICR_LSC);
        assertFalse(b.host.line, "RXT0 is still masked");
        b.write(IMS, ICR_RXT0);
        assertEquals(ICR_LSC | ICR_RXT0, b.read(IMS));
        assertTrue(b.host.line);
      }),
      new Special("IMC: a write removes mask bits; it reads 0", b -> {
        b.write(IMS, ICR_LSC | ICR_RXT0);
        b.write(ICS, ICR_RXT0);
        b.write(IMC, ICR_RXT0);
        assertEquals(ICR_LSC, b.read(IMS));
        assertEquals(0, b.read(IMC));
        assertFalse(b.host.line, "the pending cause is masked");
        assertEquals(ICR_RXT0, b.read(ICR), "and still recorded");
      }),
      new Special("CTRL: RST resets the device and clears itself; other bits stay", b -> {
        b.write(CTRL, CTRL_SLU);
        assertEquals(CTRL_SLU, b.read(CTRL));
        b.write(ITR, 100);
        b.write(CTRL, CTRL_SLU | CTRL_RST);
        assertEquals(0x00140240, b.read(CTRL));
        assertEquals(0, b.read(ITR));
      }),
      new Special("RDT: a write that gives buffers announces that frames may come", b -> {
        b.busMaster();
        b.rxRing(8, 2048);
        b.write(RDT, 0);
        b.write(RCTL, RCTL_EN);
        int before = b.host.receiveReady;
        b.write(RDT, 4);
        assertEquals(4, b.read(RDT));
        assertEquals(before + 1, b.host.receiveReady);
      }),
      new Special("RCTL: setting EN with buffers given announces that frames may come", b -> {
        b.busMaster();
        b.rxRing(8, 2048);
        int before = b.host.receiveReady;
        b.write(RCTL, RCTL_EN);
        assertEquals(before + 1, b.host.receiveReady);
      }),
      new Special("TDT: a write starts transmitting up to the new tail", b -> {
        b.transmitter();
        b.txDescriptor(0, frame(OTHER, 60), TXD_EOP | TXD_RS);
        b.txDescriptor(1, frame(OTHER, 61), TXD_EOP | TXD_RS);
        assertEquals(0, b.host.sent.size());
        b.write(TDT, 2);
        assertEquals(2, b.host.sent.size());
        assertEquals(2, b.read(TDH));
      }),
      new Special("TCTL: setting EN sends what the tail already offers", b -> {
        b.busMaster();
        b.txRing(8);
        b.txDescriptor(0, frame(OTHER, 60), TXD_EOP | TXD_RS);
        b.write(TDT, 1);
        assertEquals(0, b.host.sent.size(), "transmit disabled");
        b.write(TCTL, TCTL_EN);
        assertEquals(1, b.host.sent.size());
      }),
      new Special("EERD: a started read is done at once with the word", b -> {
        b.write(EERD, 1 << 8 | 1); // word 1, START
        assertEquals(0x1200 << 16 | 1 << 8 | 1 << 4, b.read(EERD)); // data, address, DONE
      }),
      new Special("MDIC: a PHY read is ready at once", b -> {
        b.write(MDIC, 1 << 27 | 1 << 21 | 2 << 16); // read, PHY 1, PHYID1
        assertEquals(1 << 28 | 1 << 27 | 1 << 21 | 2 << 16 | 0x0141, b.read(MDIC));
      }));

  @ParameterizedTest(name = "{0}")
  @MethodSource("special")
  void aSpecialRegisterDoesWhatTheHardwareDoes(Special s) {
    s.check().accept(new Bench());
  }

  // ------------------------------------------------------------------ offsets without a register

  @ParameterizedTest(name = "{0}")
  @MethodSource("holes")
  void anOffsetWithoutARegisterReadsZeroIgnoresWritesAndIsLoggedOnce(int offset) {
    Bench b = new Bench();
    List<String> lines = logged(() -> {
      assertEquals(0, b.read(offset));
      b.write(offset, 0x5A5A_5A5A);
      assertEquals(0, b.read(offset));
    });
    String mentioned = "0x" + Integer.toHexString(offset);
    assertEquals(1, lines.stream().filter(l -> l.contains(mentioned)).count(), lines.toString());
    assertEquals(List.of(), logged(() -> b.read(offset)), "the device logged it already");
  }

  @Test
  void eachUnknownOffsetIsLoggedOnceByEachDevice() {
    Bench first = new Bench();
    Bench second = new Bench();
    assertEquals(2, logged(() -> {
      first.read(0x5B00);
      first.read(0x5B04);
      first.read(0x5B00);
    }).size());
    assertEquals(1, logged(() -> second.read(0x5B00)).size());
  }

  // ------------------------------------------------------------------ helpers

  static Stream<Stored> stored() {
    return STORED.stream();
  }

  static Stream<Counter> counters() {
    return COUNTERS.stream();
  }

  static Stream<Special> special() {
    return SPECIAL.stream();
  }

  static Stream<Arguments> holes() {
    return HOLES.stream().map(offset -> Arguments.of(Named.of("0x" + hex(offset), offset)));
  }

  private static String hex(int value) {
    return Integer.toHexString(value);
  }

  /** The messages the e1000 package logged while {@code action} ran. */
  private static List<String> logged(Runnable action) {
    Logger logger = (Logger) LoggerFactory.getLogger("io.fleetsim.nic.e1000");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      action.run();
    } finally {
      logger.detachAppender(appender);
    }
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
