package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.Bench.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.vm.hw.GuestMemory;
import org.junit.jupiter.api.Test;

/** The 64-word EEPROM through EERD and through the EECD Microwire lines. */
class E1000EepromTest {
  private static final int SK = 1;
  private static final int CS = 2;
  private static final int DI = 4;
  private static final int DO = 8;
  private static final int REQ = 0x40;
  private static final int GNT = 0x80;
  private static final int PRES = 0x100;
  private static final int EERD_START = 1;
  private static final int EERD_DONE = 0x10;

  private static int eerd(Bench b, int address) {
    b.write(EERD, address << 8 | EERD_START);
    int value = b.read(EERD);
    assertTrue((value & EERD_DONE) != 0, "EERD completes at once");
    return value >>> 16;
  }

  @Test
  void eerdReturnsTheMacInWordsZeroToTwo() {
    Bench b = new Bench();
    assertEquals(0x5452, eerd(b, 0));
    assertEquals(0x1200, eerd(b, 1));
    assertEquals(0x5634, eerd(b, 2));
  }

  @Test
  void allWordsSumToBaba() {
    Bench b = new Bench();
    int sum = 0;
    for (int i = 0; i < 64; i++) {
      sum += eerd(b, i);
    }
    assertEquals(0xBABA, sum & 0xFFFF);
  }

  @Test
  void checksumHoldsForAnyMac() {
    Bench b = new Bench();
    E1000 other = new E1000(new MacAddress(0xFEDCBA987654L), new GuestMemory(4096), b.host);
    int sum = 0;
    for (int i = 0; i < 64; i++) {
      other.mmioWrite(EERD, i << 8 | EERD_START);
      sum += other.mmioRead(EERD) >>> 16;
    }
    assertEquals(0xBABA, sum & 0xFFFF);
    other.mmioWrite(EERD, EERD_START);
    assertEquals(0xDCFE, other.mmioRead(EERD) >>> 16);
  }

  @Test
  void eerdPastTheEndIsDoneWithoutDataAndWithoutStartItIsPlainStorage() {
    Bench b = new Bench();
    b.write(EERD, 0x40 << 8 | EERD_START);
    int value = b.read(EERD);
    assertEquals(EERD_DONE, value & EERD_DONE);
    assertEquals(0, value >>> 16);
    b.write(EERD, 0x0100);
    assertEquals(0x0100, b.read(EERD));
  }

  @Test
  void eecdShowsPresentAndGrantAndTheDriversLines() {
    Bench b = new Bench();
    b.write(EECD, REQ);
    int eecd = b.read(EECD);
    assertEquals(PRES | GNT, eecd & (PRES | GNT));
    assertEquals(REQ, eecd & REQ);
    assertEquals(DO, eecd & DO, "an idle Microwire DO floats high");
  }

  /** Linux's e1000 Microwire read, written from the protocol: returns {@code bits} of DO. */
  private static long microwireRead(Bench b, int opcode, int address, int bits, boolean[] dummy) {
    int eecd = REQ;
    b.write(EECD, eecd);
    eecd |= CS;
    b.write(EECD, eecd);
    int command = opcode << 6 | address;
    for (int mask = 1 << 8; mask != 0; mask >>>= 1) {
      eecd = (command & mask) != 0 ? eecd | DI : eecd & ~DI;
      b.write(EECD, eecd);
      b.write(EECD, eecd | SK);
      if (mask == 1 && dummy != null) {
        dummy[0] = (b.read(EECD) & DO) == 0; // once the last address bit is clocked in
      }
      b.write(EECD, eecd);
    }
    eecd &= ~DI;
    b.write(EECD, eecd);
    long data = 0;
    for (int i = 0; i < bits; i++) {
      b.write(EECD, eecd | SK);
      data = data << 1 | ((b.read(EECD) & DO) != 0 ? 1 : 0);
      b.write(EECD, eecd);
    }
    b.write(EECD, eecd & ~CS);
    b.write(EECD, 0);
    return data;
  }

  @Test
  void bitBangedReadsMatchEerdForEveryWord() {
    Bench b = new Bench();
    for (int i = 0; i < 64; i++) {
      assertEquals(eerd(b, i), microwireRead(b, 0b110, i, 16, null), "word " + i);
    }
  }

  @Test
  void aDummyZeroPrecedesTheData() {
    Bench b = new Bench();
    boolean[] dummy = new boolean[1];
    assertEquals(0x8086, microwireRead(b, 0b110, 0x0C, 16, dummy), "word 0x0C: vendor ID");
    assertTrue(dummy[0], "DO is 0 before the data's leading 1");
  }

  @Test
  void readingOnContinuesWithTheNextWord() {
    Bench b = new Bench();
    assertEquals((long) 0x5452 << 32 | 0x1200 << 16 | 0x5634, microwireRead(b, 0b110, 0, 48, null));
    // and wraps from word 63 to word 0
    assertEquals((long) eerd(b, 63) << 16 | 0x5452, microwireRead(b, 0b110, 63, 32, null));
  }

  @Test
  void otherOpcodesReadNothing() {
    Bench b = new Bench();
    assertEquals(0xFFFF, microwireRead(b, 0b101, 0, 16, null), "WRITE opcode: DO stays high");
  }

  @Test
  void clocksWithoutChipSelectAreIgnored() {
    Bench b = new Bench();
    for (int i = 0; i < 20; i++) { // would shift in READ of word 0 if CS counted
      b.write(EECD, SK | (i < 2 ? DI : 0));
      b.write(EECD, 0);
    }
    assertEquals(0x5452, microwireRead(b, 0b110, 0, 16, null));
  }
}
