package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.Bench.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Register file, reset, PCI identity, and the ICR/IMS/IMC/ICS interrupt semantics. */
class E1000RegistersTest {

  @Test
  void resetValuesAreQemus() {
    Bench b = new Bench();
    assertEquals(0x00140240, b.read(CTRL));
    assertEquals(0x80080783, b.read(STATUS));
    assertEquals(0x8100, b.read(VET));
    assertEquals(0x00100030, b.read(0x1000)); // PBA
    assertEquals(0x602, b.read(0x0E00)); // LEDCTL
    assertEquals(0x00222300, b.read(0x5820)); // MANC
    for (int offset : new int[] {ICR, IMS, RCTL, TCTL, RDLEN, RDH, RDT, TDLEN, TDH, TDT, ITR, MTA}) {
      assertEquals(0, b.read(offset), "offset 0x" + Integer.toHexString(offset));
    }
  }

  @Test
  void receiveAddressZeroHoldsTheMacWithAddressValid() {
    Bench b = new Bench();
    assertEquals(0x12005452, b.read(RAL)); // 52:54:00:12
    assertEquals(0x5634 | RAH_AV, b.read(RAL + 4)); // 34:56, AV
    assertEquals(0, b.read(RAL + 8));
    assertEquals(0, b.read(RAL + 12));
  }

  @Test
  void pciConfigIdentifiesAn82540em() {
    Bench b = new Bench();
    assertEquals(0x100E8086, b.nic.pciConfigRead(0x00));
    assertEquals(0x02000003, b.nic.pciConfigRead(0x08)); // class 020000, revision 3
    assertEquals(0x11001AF4, b.nic.pciConfigRead(0x2C)); // subsystem, as QEMU 7.2 shows it
    assertEquals(1, (b.nic.pciConfigRead(0x3C) >>> 8) & 0xFF); // INTA
    assertEquals(0, b.nic.pciConfigRead(0x04) & 0xFFFF);
    b.nic.pciConfigWrite(0x04, 0x0006);
    assertEquals(0x0006, b.nic.pciConfigRead(0x04) & 0xFFFF);
    b.nic.pciConfigWrite(0x00, 0);
    assertEquals(0x100E8086, b.nic.pciConfigRead(0x00), "IDs are read-only");
  }

  @Test
  void barSizingShows128KibMemoryAnd64BytesOfIo() {
    Bench b = new Bench();
    b.nic.pciConfigWrite(0x10, 0xFFFF_FFFF);
    assertEquals(0xFFFE0000, b.nic.pciConfigRead(0x10));
    b.nic.pciConfigWrite(0x14, 0xFFFF_FFFF);
    assertEquals(0xFFFFFFC1, b.nic.pciConfigRead(0x14));
    b.nic.pciConfigWrite(0x10, 0xFEBC0000);
    assertEquals(0xFEBC0000, b.nic.pciConfigRead(0x10));
  }

  @Test
  void unknownOffsetsReadZeroAndIgnoreWrites() {
    Bench b = new Bench();
    b.write(0x5B00, 0x12345678);
    assertEquals(0, b.read(0x5B00));
    assertEquals(0, b.read(0x1FFFC));
    // the window is 128 KiB: offsets wrap as address decoding does
    assertEquals(b.read(STATUS), b.read(0x20000 + STATUS));
  }

  @Test
  void writeMasksKeepOnlyTheImplementedBits() {
    Bench b = new Bench();
    b.write(RDLEN, 0xFFFF_FFFF);
    assertEquals(0xFFF80, b.read(RDLEN), "RDLEN is a multiple of 128");
    b.write(RDH, 0xFFFF_FFFF);
    assertEquals(0xFFFF, b.read(RDH));
    b.write(ITR, 0x12345678);
    assertEquals(0x5678, b.read(ITR));
    b.write(STATUS, 0);
    assertEquals(0x80080783, b.read(STATUS), "STATUS is read-only");
    b.write(GPRC, 5);
    assertEquals(0, b.read(GPRC), "statistics are read-only");
    b.write(MTA + 4 * 127, 0xDEADBEEF);
    assertEquals(0xDEADBEEF, b.read(MTA + 4 * 127));
  }

  @Test
  void ctrlRstReloadsResetValuesAndSelfClears() {
    Bench b = new Bench();
    b.busMaster();
    b.write(RCTL, RCTL_EN);
    b.write(IMS, ICR_RXT0);
    b.write(MTA + 8, 0xFF);
    b.write(RAL, 0);
    b.write(CTRL, b.read(CTRL) | CTRL_RST);
    assertEquals(0x00140240, b.read(CTRL), "RST clears itself");
    assertEquals(0, b.read(RCTL));
    assertEquals(0, b.read(IMS));
    assertEquals(0, b.read(MTA + 8));
    assertEquals(0x5634 | RAH_AV, b.read(RAL + 4));
    assertEquals(0x12005452, b.read(RAL));
    assertEquals(0x0006, b.nic.pciConfigRead(0x04) & 0xFFFF, "config space survives reset");
  }

  @Test
  void ctrlKeepsSlu() {
    Bench b = new Bench();
    b.write(CTRL, 0);
    assertEquals(0, b.read(CTRL));
    b.write(CTRL, CTRL_SLU);
    assertEquals(CTRL_SLU, b.read(CTRL));
  }

  @Test
  void icsSetsCausesAndTheLineIsImsAndIcr() {
    Bench b = new Bench();
    b.write(ICS, ICR_RXT0);
    assertEquals(ICR_RXT0, b.read(ICS), "ICS reads as ICR without clearing it");
    assertFalse(b.host.line, "masked");
    b.write(IMS, ICR_LSC);
    assertFalse(b.host.line, "a different cause is unmasked");
    b.write(IMS, ICR_RXT0);
    assertEquals(ICR_RXT0 | ICR_LSC, b.read(IMS));
    assertTrue(b.host.line);
    assertEquals(ICR_RXT0, b.read(ICR), "read returns the causes");
    assertFalse(b.host.line, "and clears them");
    assertEquals(0, b.read(ICR));
  }

  @Test
  void icrWriteClearsTheWrittenBits() {
    Bench b = new Bench();
    b.write(IMS, ICR_RXT0 | ICR_LSC);
    b.write(ICS, ICR_RXT0 | ICR_LSC);
    assertTrue(b.host.line);
    b.write(ICR, ICR_LSC);
    assertTrue(b.host.line, "RXT0 still pending");
    assertEquals(ICR_RXT0, b.read(ICS));
    b.write(ICR, ICR_RXT0);
    assertFalse(b.host.line);
    assertEquals(0, b.read(ICS));
  }

  @Test
  void imcMasksAndIsWriteOnly() {
    Bench b = new Bench();
    b.write(IMS, ICR_RXT0 | ICR_TXDW);
    b.write(ICS, ICR_RXT0);
    assertTrue(b.host.line);
    b.write(IMC, ICR_RXT0);
    assertFalse(b.host.line, "the pending cause is masked now");
    assertEquals(ICR_TXDW, b.read(IMS));
    assertEquals(0, b.read(IMC));
    assertEquals(ICR_RXT0, b.read(ICR), "masking does not clear the cause");
  }

  @Test
  void unmaskingAPendingCauseRaisesTheLine() {
    Bench b = new Bench();
    b.write(ICS, ICR_LSC);
    assertFalse(b.host.line);
    b.write(IMS, ICR_LSC);
    assertTrue(b.host.line);
  }

  @Test
  void intxDisableHoldsTheLineLow() {
    Bench b = new Bench();
    b.nic.pciConfigWrite(0x04, 0x0406); // bus master + INTx disable
    b.write(IMS, ICR_LSC);
    b.write(ICS, ICR_LSC);
    assertFalse(b.host.line);
    b.nic.pciConfigWrite(0x04, 0x0006);
    assertTrue(b.host.line);
  }

  @Test
  void interruptLineChangesAreReportedOnlyOnChange() {
    Bench b = new Bench();
    b.write(IMS, ICR_LSC | ICR_RXT0);
    b.write(ICS, ICR_LSC);
    b.write(ICS, ICR_RXT0);
    assertEquals(1, b.host.lineChanges);
  }
}
