package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.Bench.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** MDIC access to the PHY: address 1 only, READY at once, ID and status bits. */
class E1000PhyTest {
  private static final int OP_WRITE = 1 << 26;
  private static final int OP_READ = 1 << 27;
  private static final int READY = 1 << 28;
  private static final int INT_EN = 1 << 29;
  private static final int ERROR = 1 << 30;

  private static int mdic(int phy, int reg, int op, int data) {
    return phy << 21 | reg << 16 | op | data;
  }

  private static int readPhy(Bench b, int reg) {
    b.write(MDIC, mdic(1, reg, OP_READ, 0));
    int value = b.read(MDIC);
    assertEquals(READY, value & (READY | ERROR), "register " + reg);
    return value & 0xFFFF;
  }

  @Test
  void phyIdentifiesAsTheM88e1011() {
    Bench b = new Bench();
    assertEquals(0x0141, readPhy(b, 2));
    assertEquals(0x0C20, readPhy(b, 3));
  }

  @Test
  void statusShowsLinkAndControlShowsGigabitFullDuplexAutonegotiation() {
    Bench b = new Bench();
    assertEquals(1 << 2, readPhy(b, 1) & (1 << 2), "BMSR link status");
    assertEquals(0x1140, readPhy(b, 0));
  }

  @Test
  void otherPhyAddressesAnswerWithError() {
    Bench b = new Bench();
    b.write(MDIC, mdic(2, 2, OP_READ, 0));
    int value = b.read(MDIC);
    assertEquals(READY | ERROR, value & (READY | ERROR));
  }

  @Test
  void unimplementedRegistersAnswerWithError() {
    Bench b = new Bench();
    b.write(MDIC, mdic(1, 0x1F, OP_READ, 0));
    assertEquals(ERROR, b.read(MDIC) & ERROR);
    b.write(MDIC, mdic(1, 1, OP_WRITE, 0)); // BMSR is read-only
    assertEquals(ERROR, b.read(MDIC) & ERROR);
  }

  @Test
  void writableRegistersKeepWhatIsWrittenButSelfClearingBits() {
    Bench b = new Bench();
    b.write(MDIC, mdic(1, 4, OP_WRITE, 0x01E1));
    assertEquals(READY, b.read(MDIC) & (READY | ERROR));
    assertEquals(0x01E1, readPhy(b, 4));
    b.write(MDIC, mdic(1, 0, OP_WRITE, 0x8000 | 0x1000 | 0x0200 | 0x0140)); // reset, restart
    assertEquals(0x1140, readPhy(b, 0));
    assertTrue((readPhy(b, 1) & (1 << 5)) != 0, "autonegotiation completes at once");
  }

  @Test
  void intEnRaisesMdac() {
    Bench b = new Bench();
    b.write(MDIC, mdic(1, 2, OP_READ | INT_EN, 0));
    assertEquals(ICR_MDAC, b.read(ICR) & ICR_MDAC);
  }

  @Test
  void linkDownClearsThePhyLinkBit() {
    Bench b = new Bench();
    b.nic.setLinkUp(false);
    assertEquals(0, readPhy(b, 1) & (1 << 2));
    b.nic.setLinkUp(true);
    assertEquals(1 << 2, readPhy(b, 1) & (1 << 2));
  }
}
