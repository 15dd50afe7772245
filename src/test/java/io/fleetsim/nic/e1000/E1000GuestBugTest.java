package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.Bench.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** A buggy guest: the model skips, stops or counts like hardware, and never throws. */
class E1000GuestBugTest {
  private static final long SMALL = 64 * 1024;

  private static void receive(Bench b, int size) {
    b.nic.receive(ByteString.fromArray(frame(MAC, size)));
  }

  @Test
  void anRxRingOutsideMemoryIsADmaFault() {
    Bench b = new Bench(SMALL);
    b.busMaster();
    b.write(RDBAL, 0x7FFF_0000);
    b.write(RDLEN, 128);
    b.write(RDT, 5);
    b.write(RCTL, RCTL_EN);
    receive(b, 100);
    assertEquals(0, b.read(RDH));
    assertEquals(1, b.stat("dmaFaults"));
    assertEquals(0, b.stat("GPRC"));
  }

  @Test
  void anRxBufferOutsideMemoryReportsAnErrorInTheDescriptor() {
    Bench b = new Bench(SMALL);
    b.busMaster();
    b.memory.writeU64(RX_RING, 0x1_0000_0000L);
    b.write(RDBAL, (int) RX_RING);
    b.write(RDLEN, 128);
    b.write(RDT, 1);
    b.write(RCTL, RCTL_EN | RCTL_SECRC);
    receive(b, 100);
    assertEquals(1, b.read(RDH));
    assertEquals(RXD_DD | RXD_EOP | RXD_IXSM, b.rxDescriptor(0).status());
    assertEquals(0x80, b.rxDescriptor(0).errors(), "RXE");
    assertEquals(1, b.stat("dmaFaults"));
  }

  @Test
  void anEmptyOrOverrunRingCannotReceive() {
    Bench b = new Bench();
    b.busMaster();
    b.write(RCTL, RCTL_EN);
    b.write(RDT, 3); // RDLEN = 0
    assertFalse(b.nic.canReceive());
    receive(b, 100);
    assertEquals(1, b.stat("ringErrors"));
    assertEquals(1, b.stat("MPC"));
    b.write(RDLEN, 128);
    b.write(RDH, 20); // beyond the 8-descriptor ring
    assertFalse(b.nic.canReceive());
    receive(b, 100);
    assertEquals(2, b.stat("ringErrors"));
  }

  @Test
  void aTxRingOutsideMemoryStopsTransmit() {
    Bench b = new Bench(SMALL);
    b.transmitter();
    b.write(TDBAL, 0x7FFF_0000);
    b.write(TDT, 3);
    assertEquals(0, b.read(TDH));
    assertEquals(0, b.host.transmitCalls);
    assertEquals(1, b.stat("dmaFaults"));
  }

  @Test
  void aTxBufferOutsideMemoryDropsTheFrameButCompletesTheDescriptor() {
    Bench b = new Bench(SMALL);
    b.transmitter();
    b.txDescriptorRaw(0, 0x7FFF_0000L, (TXD_EOP | TXD_RS) << 24 | 100, 0);
    b.write(TDT, 1);
    assertEquals(0, b.host.transmitCalls);
    assertEquals(1, b.txStatus(0) & 1);
    assertEquals(1, b.stat("txFramesDropped"));
  }

  @Test
  void zeroLengthDescriptorsAreHarmless() {
    Bench b = new Bench().transmitter();
    b.txDescriptorRaw(0, TX_BUFFERS, (TXD_EOP | TXD_RS) << 24, 0); // a 0-byte frame
    byte[] frame = frame(OTHER, 60);
    b.memory.write(TX_BUFFERS + 0x1000, frame);
    b.txDescriptorRaw(1, TX_BUFFERS + 0x1000, 60, 0);
    b.txDescriptorRaw(2, TX_BUFFERS, 0, 0); // empty middle descriptor
    b.txDescriptorRaw(3, TX_BUFFERS, (TXD_EOP | TXD_RS) << 24, 0);
    b.write(TDT, 4);
    assertEquals(1, b.host.sent.size());
    assertEquals(60, b.host.sent.get(0).size());
    assertEquals(1, b.stat("txFramesDropped"));
  }

  @Test
  void tailsAndHeadsBeyondTheTxRingAreIgnored() {
    Bench b = new Bench().transmitter(); // 8 descriptors
    b.write(TDT, 100);
    assertEquals(0, b.read(TDH));
    assertEquals(1, b.stat("ringErrors"));
    b.write(TDLEN, 0);
    b.write(TDT, 1);
    assertEquals(2, b.stat("ringErrors"));
  }

  @Test
  void aFrameLongerThan64KibIsTruncated() {
    Bench b = new Bench().transmitter();
    for (int i = 0; i < 7; i++) { // 7 * 0xFFFF bytes > 64 KiB
      b.txDescriptorRaw(i, 0, 0xFFFF | (i == 6 ? TXD_EOP << 24 : 0), 0);
    }
    b.write(TDT, 7);
    assertEquals(1, b.host.sent.size());
    assertEquals(0x10000, b.host.sent.get(0).size());
  }

  @Test
  void hugeAndTinyFramesFromTheWireAreHandled() {
    Bench b = new Bench().receiver(RCTL_SBP | RCTL_UPE);
    receive(b, 0);
    receive(b, 1);
    receive(b, 100_000);
    assertTrue(b.stat("GPRC") >= 2);
  }
}
