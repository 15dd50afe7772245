package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.Bench.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The transmit path: descriptors from TDH to TDT, write-back, causes, back-pressure. */
class E1000TransmitTest {
  private static final int EOP_IFCS_RS = TXD_EOP | TXD_IFCS | TXD_RS;

  @Test
  void aSingleDescriptorFrameGoesOutByteExactWithDdAndCauses() {
    Bench b = new Bench().transmitter();
    byte[] frame = frame(OTHER, 98);
    b.txDescriptor(0, frame, EOP_IFCS_RS);
    b.write(TDT, 1);
    assertEquals(1, b.host.sent.size());
    assertArrayEquals(frame, b.host.sent.get(0).toArray());
    assertEquals(1, b.txStatus(0) & 1, "DD written back");
    assertEquals(1, b.read(TDH));
    assertEquals(ICR_TXDW | ICR_TXQE, b.read(ICR));
  }

  @Test
  void aMultiDescriptorFrameIsGatheredUntilEop() {
    Bench b = new Bench().transmitter();
    byte[] frame = frame(OTHER, 1500);
    b.txDescriptor(0, Arrays.copyOfRange(frame, 0, 14), TXD_IFCS | TXD_RS);
    b.txDescriptor(1, Arrays.copyOfRange(frame, 14, 1000), TXD_IFCS | TXD_RS);
    b.txDescriptor(2, Arrays.copyOfRange(frame, 1000, 1500), EOP_IFCS_RS);
    b.write(TDT, 3);
    assertEquals(1, b.host.sent.size());
    assertArrayEquals(frame, b.host.sent.get(0).toArray());
    for (int i = 0; i < 3; i++) {
      assertEquals(1, b.txStatus(i) & 1, "descriptor " + i);
    }
  }

  @Test
  void aFrameMayBeGatheredAcrossTailWrites() {
    Bench b = new Bench().transmitter();
    byte[] frame = frame(OTHER, 200);
    b.txDescriptor(0, Arrays.copyOfRange(frame, 0, 50), TXD_IFCS);
    b.write(TDT, 1);
    assertEquals(0, b.host.sent.size());
    b.txDescriptor(1, Arrays.copyOfRange(frame, 50, 200), EOP_IFCS_RS);
    b.write(TDT, 2);
    assertArrayEquals(frame, b.host.sent.get(0).toArray());
  }

  @Test
  void withoutRsThereIsNoWriteBackAndNoTxdw() {
    Bench b = new Bench().transmitter();
    b.txDescriptor(0, frame(OTHER, 60), TXD_EOP | TXD_IFCS);
    b.write(TDT, 1);
    assertEquals(1, b.host.sent.size());
    assertEquals(0, b.txStatus(0));
    assertEquals(ICR_TXQE, b.read(ICR));
  }

  @Test
  void nothingMovesUntilTctlEnables() {
    Bench b = new Bench();
    b.busMaster();
    b.txRing(8);
    b.txDescriptor(0, frame(OTHER, 60), EOP_IFCS_RS);
    b.write(TDT, 1);
    assertEquals(0, b.host.sent.size());
    assertEquals(0, b.read(TDH));
    b.write(TCTL, TCTL_EN | TCTL_PSP);
    assertEquals(1, b.host.sent.size());
  }

  @Test
  void framesGoOutUnpaddedAsQemuSendsThem() {
    Bench b = new Bench().transmitter();
    b.txDescriptor(0, frame(OTHER, 42), EOP_IFCS_RS);
    b.write(TDT, 1);
    assertEquals(42, b.host.sent.get(0).size());
  }

  @Test
  void aFullNetdevStopsThePassAndResumeSendsTheSameFrameFirst() {
    Bench b = new Bench().transmitter();
    byte[] first = frame(OTHER, 100);
    byte[] second = frame(BROADCAST, 120);
    b.txDescriptor(0, first, EOP_IFCS_RS);
    b.txDescriptor(1, second, EOP_IFCS_RS);
    assertEquals(ICR_TXQE, b.read(ICR), "enabling TCTL on an empty ring: TXQE (cleared by the read)");
    b.host.full = true;
    b.write(TDT, 2);
    assertEquals(1, b.host.transmitCalls, "the pass stopped at the refused frame");
    assertEquals(0, b.read(TDH), "its descriptor stays with the NIC");
    assertEquals(0, b.txStatus(0));
    assertEquals(0, b.read(ICR) & ICR_TXQE, "the queue is not empty");
    assertEquals(0, b.stat("GPTC"));

    b.write(TDT, 2);
    assertEquals(1, b.host.transmitCalls, "only resumeTransmit retries");

    b.host.full = false;
    b.nic.resumeTransmit();
    assertEquals(2, b.host.sent.size());
    assertArrayEquals(first, b.host.sent.get(0).toArray());
    assertArrayEquals(second, b.host.sent.get(1).toArray());
    assertEquals(2, b.read(TDH));
    assertEquals(1, b.txStatus(0) & 1);
    assertEquals(1, b.txStatus(1) & 1);
    assertEquals(ICR_TXDW | ICR_TXQE, b.read(ICR));
    assertEquals(2, b.stat("GPTC"));
  }

  @Test
  void resumeWhileStillFullKeepsWaiting() {
    Bench b = new Bench().transmitter();
    b.txDescriptor(0, frame(OTHER, 100), EOP_IFCS_RS);
    b.host.full = true;
    b.write(TDT, 1);
    b.nic.resumeTransmit();
    assertEquals(2, b.host.transmitCalls);
    assertEquals(0, b.read(TDH));
    b.host.full = false;
    b.nic.resumeTransmit();
    assertEquals(1, b.host.sent.size());
    assertEquals(1, b.read(TDH));
  }

  @Test
  void transmitStatisticsCountFramesOctetsAndKinds() {
    Bench b = new Bench().transmitter();
    b.txDescriptor(0, frame(OTHER, 100), EOP_IFCS_RS);
    b.txDescriptor(1, frame(BROADCAST, 60), EOP_IFCS_RS);
    b.txDescriptor(2, frame(new byte[] {1, 0, 0x5E, 1, 2, 3}, 60), EOP_IFCS_RS);
    b.write(TDT, 3);
    assertEquals(3, b.stat("GPTC"));
    assertEquals(3, b.stat("TPT"));
    assertEquals(104 + 64 + 64, b.stat("GOTC"));
    assertEquals(104 + 64 + 64, b.stat("TOT"));
    assertEquals(1, b.stat("BPTC"));
    assertEquals(1, b.stat("MPTC"));
    assertEquals(2, b.stat("PTC64"));
    assertEquals(1, b.stat("PTC127"));
  }

  @Test
  void withTheLinkDownFramesAreLostButDescriptorsComplete() {
    Bench b = new Bench().transmitter();
    b.nic.setLinkUp(false);
    b.txDescriptor(0, frame(OTHER, 100), EOP_IFCS_RS);
    b.write(TDT, 1);
    assertEquals(0, b.host.transmitCalls);
    assertEquals(1, b.txStatus(0) & 1);
    assertEquals(1, b.stat("txFramesDropped"));
  }

  @Test
  void contextDescriptorsAreSkippedAndOffloadFramesDroppedSafely() {
    Bench b = new Bench().transmitter();
    // a context descriptor (DEXT, DTYP 0) with RS
    b.txDescriptorRaw(0, 0, (TXD_DEXT | TXD_RS) << 24, 0);
    // an extended data descriptor (DTYP 1) asking for TCP checksum insertion
    b.memory.write(TX_BUFFERS, frame(OTHER, 80));
    b.txDescriptorRaw(1, TX_BUFFERS, (TXD_DEXT | EOP_IFCS_RS) << 24 | 1 << 20 | 80, 0x02 << 8);
    // an extended data descriptor without offloads is just data
    byte[] plain = frame(OTHER, 90);
    b.memory.write(TX_BUFFERS + 0x1000, plain);
    b.txDescriptorRaw(2, TX_BUFFERS + 0x1000, (TXD_DEXT | EOP_IFCS_RS) << 24 | 1 << 20 | 90, 0);
    // and a legacy one after them still works
    byte[] legacy = frame(OTHER, 70);
    b.txDescriptor(3, legacy, EOP_IFCS_RS);
    b.write(TDT, 4);
    assertEquals(2, b.host.sent.size());
    assertArrayEquals(plain, b.host.sent.get(0).toArray());
    assertArrayEquals(legacy, b.host.sent.get(1).toArray());
    for (int i = 0; i < 4; i++) {
      assertEquals(1, b.txStatus(i) & 1, "descriptor " + i);
    }
    assertEquals(1, b.stat("txDescriptorsSkipped"));
    assertEquals(1, b.stat("txFramesDropped"));
  }

  @Test
  void theRingWrapsAtTdlen() {
    Bench b = new Bench().transmitter(); // 8 descriptors
    b.write(TDH, 6);
    b.write(TDT, 6);
    b.txDescriptor(6, frame(OTHER, 60), EOP_IFCS_RS);
    b.txDescriptor(7, frame(OTHER, 61), EOP_IFCS_RS);
    b.txDescriptor(0, frame(OTHER, 62), EOP_IFCS_RS);
    b.write(TDT, 1);
    assertEquals(3, b.host.sent.size());
    assertEquals(62, b.host.sent.get(2).size());
    assertEquals(1, b.read(TDH));
  }
}
