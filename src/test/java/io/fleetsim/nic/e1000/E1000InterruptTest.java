package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.Bench.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** QEMU's interrupt mitigation (ITR, RADV with RDTR, TADV with IDE) and link changes (LSC). */
class E1000InterruptTest {
  private static final long UNIT = 256; // ns

  @Test
  void theFirstInterruptIsImmediateAndOpensAWindowOfAtLeast500Units() {
    Bench b = new Bench();
    b.write(IMS, ICR_LSC);
    b.write(ICS, ICR_LSC);
    assertTrue(b.host.line);
    assertEquals(List.of(500 * UNIT), b.host.timers);
  }

  @Test
  void aRisingEdgeInsideTheWindowWaitsForTheTimer() {
    Bench b = new Bench();
    b.write(IMS, ICR_LSC);
    b.write(ICS, ICR_LSC);
    b.read(ICR);
    assertFalse(b.host.line);
    b.write(ICS, ICR_LSC);
    assertFalse(b.host.line, "held back by the window");
    assertEquals(ICR_LSC, b.read(ICS), "the cause is recorded meanwhile");
    b.timerFires();
    assertTrue(b.host.line);
    assertEquals(2, b.host.timers.size(), "and a new window opens");
  }

  @Test
  void aTimerWithNothingPendingLeavesTheLineLow() {
    Bench b = new Bench();
    b.write(IMS, ICR_LSC);
    b.write(ICS, ICR_LSC);
    b.read(ICR);
    b.timerFires();
    assertFalse(b.host.line);
    assertEquals(1, b.host.timers.size());
    b.write(ICS, ICR_LSC);
    assertTrue(b.host.line, "the window is closed: immediate again");
  }

  @Test
  void itrSetsTheWindowAboveTheMinimum() {
    Bench b = new Bench();
    b.write(ITR, 1000);
    b.write(IMS, ICR_LSC);
    b.write(ICS, ICR_LSC);
    assertEquals(List.of(1000 * UNIT), b.host.timers);

    Bench small = new Bench();
    small.write(ITR, 100);
    small.write(IMS, ICR_LSC);
    small.write(ICS, ICR_LSC);
    assertEquals(List.of(500 * UNIT), small.host.timers, "at most 7813 interrupts/s");
  }

  @Test
  void radvShortensTheWindowForRxt0OnlyWhenRdtrIsSet() {
    Bench b = new Bench();
    b.write(ITR, 1000);
    b.write(RADV, 200); // 800 units
    b.write(IMS, ICR_RXT0);
    b.write(ICS, ICR_RXT0);
    assertEquals(List.of(1000 * UNIT), b.host.timers, "RDTR = 0: RADV unused");

    Bench withRdtr = new Bench();
    withRdtr.write(ITR, 1000);
    withRdtr.write(RADV, 200);
    withRdtr.write(RDTR, 1);
    withRdtr.write(IMS, ICR_RXT0);
    withRdtr.write(ICS, ICR_RXT0);
    assertEquals(List.of(800 * UNIT), withRdtr.host.timers);
  }

  @Test
  void tadvShortensTheWindowAfterADescriptorWithIde() {
    Bench b = new Bench().transmitter();
    b.read(ICR);
    b.write(ITR, 2000);
    b.write(TADV, 300); // 1200 units
    b.write(IMS, ICR_TXDW);
    b.txDescriptor(0, frame(OTHER, 60), TXD_EOP | TXD_RS | TXD_IDE);
    b.write(TDT, 1);
    assertTrue(b.host.line);
    assertEquals(List.of(1200 * UNIT), b.host.timers);

    Bench noIde = new Bench().transmitter();
    noIde.read(ICR);
    noIde.write(ITR, 2000);
    noIde.write(TADV, 300);
    noIde.write(IMS, ICR_TXDW);
    noIde.txDescriptor(0, frame(OTHER, 60), TXD_EOP | TXD_RS);
    noIde.write(TDT, 1);
    assertEquals(List.of(2000 * UNIT), noIde.host.timers);
  }

  @Test
  void receivedFramesInsideTheWindowRaiseTheLineWhenItCloses() {
    Bench b = new Bench().receiver(0);
    b.write(IMS, ICR_RXT0);
    b.nic.receive(ByteString.fromArray(frame(MAC, 64)));
    assertTrue(b.host.line);
    b.read(ICR);
    b.nic.receive(ByteString.fromArray(frame(MAC, 64)));
    b.nic.receive(ByteString.fromArray(frame(MAC, 64)));
    assertFalse(b.host.line, "two frames, no interrupt yet");
    b.timerFires();
    assertTrue(b.host.line);
    assertEquals(ICR_RXT0, b.read(ICR) & ICR_RXT0);
  }

  @Test
  void resetClosesTheWindowAndAStaleTimerDoesNothing() {
    Bench b = new Bench();
    b.write(IMS, ICR_LSC);
    b.write(ICS, ICR_LSC);
    b.write(CTRL, CTRL_RST);
    assertFalse(b.host.line, "reset clears ICR and IMS");
    b.timerFires();
    assertFalse(b.host.line);
    assertEquals(1, b.host.timers.size());
    b.write(IMS, ICR_LSC);
    b.write(ICS, ICR_LSC);
    assertTrue(b.host.line, "no window survives the reset");
  }

  @Test
  void linkDownClearsLuAndRaisesLsc() {
    Bench b = new Bench();
    b.write(IMS, ICR_LSC);
    b.nic.setLinkUp(false);
    assertEquals(0, b.read(STATUS) & STATUS_LU);
    assertTrue(b.host.line);
    assertEquals(ICR_LSC, b.read(ICR));
    b.nic.setLinkUp(false);
    assertEquals(0, b.read(ICR), "no change, no LSC");
    b.nic.setLinkUp(true);
    assertEquals(STATUS_LU, b.read(STATUS) & STATUS_LU);
    assertEquals(ICR_LSC, b.read(ICR));
  }

  @Test
  void resetWithTheLinkDownKeepsLuClear() {
    Bench b = new Bench();
    b.nic.setLinkUp(false);
    b.write(CTRL, CTRL_RST);
    assertEquals(0, b.read(STATUS) & STATUS_LU);
  }
}
