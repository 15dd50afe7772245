package io.fleetsim.nic.e1000;

import static io.fleetsim.nic.e1000.Bench.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The receive path: filter, padding, size limits, buffers, scatter, write-back, causes. */
class E1000ReceiveTest {

  private static ByteString bytes(byte[] frame) {
    return ByteString.fromArray(frame);
  }

  /** Whether the frame was stored in descriptor 0 (and nothing else happened otherwise). */
  private static boolean accepted(Bench b, byte[] frame) {
    b.nic.receive(bytes(frame));
    return b.read(RDH) == 1;
  }

  @Test
  void unicastToOurMacIsStoredWithEopAndDd() {
    Bench b = new Bench().receiver(0);
    byte[] frame = frame(MAC, 100);
    b.nic.receive(bytes(frame));
    RxDescriptor d = b.rxDescriptor(0);
    assertEquals(100, d.length());
    assertEquals(RXD_DD | RXD_EOP | RXD_IXSM, d.status());
    assertEquals(0, d.errors());
    assertArrayEquals(frame, b.rxBuffer(0, 2048, 100));
    assertEquals(1, b.read(RDH));
    assertEquals(ICR_RXT0, b.read(ICR) & ICR_RXT0);
  }

  @Test
  void withoutSecrcTheLengthCountsTheFcs() {
    Bench b = new Bench();
    b.busMaster();
    b.rxRing(8, 2048);
    b.write(RCTL, RCTL_EN);
    b.nic.receive(bytes(frame(MAC, 100)));
    assertEquals(104, b.rxDescriptor(0).length());
  }

  @Test
  void unicastToAnotherMacIsDroppedUnlessPromiscuous() {
    Bench b = new Bench().receiver(0);
    assertFalse(accepted(b, frame(OTHER, 100)));
    assertEquals(0, b.read(ICR));
    assertEquals(0, b.stat("GPRC"));
    assertEquals(0, b.memory.readU8(RX_RING + 12), "no write-back");
    b.write(RCTL, b.read(RCTL) | RCTL_UPE);
    assertTrue(accepted(b, frame(OTHER, 100)));
  }

  @Test
  void furtherReceiveAddressesMatchOnlyWithAddressValid() {
    Bench b = new Bench().receiver(0);
    b.write(RAL + 8, 0xAB005452); // OTHER = 52:54:00:ab:cd:ef
    b.write(RAL + 12, 0xEFCD);
    assertFalse(accepted(b, frame(OTHER, 80)));
    b.write(RAL + 12, 0xEFCD | RAH_AV);
    assertTrue(accepted(b, frame(OTHER, 80)));
  }

  @Test
  void broadcastNeedsBam() {
    Bench b = new Bench().receiver(0);
    assertFalse(accepted(b, frame(BROADCAST, 80)));
    b.write(RCTL, b.read(RCTL) | RCTL_BAM);
    assertTrue(accepted(b, frame(BROADCAST, 80)));
    assertEquals(1, b.stat("BPRC"));
    assertEquals(0, b.stat("MPRC"));
  }

  @Test
  void multicastPromiscuousAcceptsAnyGroup() {
    Bench b = new Bench().receiver(0);
    byte[] group = {0x01, 0x00, 0x5E, 0x12, 0x34, 0x56};
    assertFalse(accepted(b, frame(group, 80)));
    b.write(RCTL, b.read(RCTL) | RCTL_MPE);
    assertTrue(accepted(b, frame(group, 80)));
    assertEquals(1, b.stat("MPRC"));
  }

  /** e1000.md: h = ((dst[5] << 8) | dst[4]) >> {4,3,2,0}[MO] & 0xFFF; bit h&31 of MTA[h >> 5]. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void multicastTableHashFollowsMo(int mo) {
    byte[] group = {0x01, 0x00, 0x5E, 0x7F, (byte) 0xAB, (byte) 0xCD};
    int shift = new int[] {4, 3, 2, 0}[mo];
    int hash = ((0xCD << 8 | 0xAB) >>> shift) & 0xFFF;

    Bench b = new Bench().receiver(mo << 12);
    b.write(MTA + 4 * (hash >>> 5), ~(1 << (hash & 31))); // every bit of that entry but ours
    assertFalse(accepted(b, frame(group, 80)), "MO " + mo);
    b.write(MTA + 4 * (hash >>> 5), 1 << (hash & 31));
    assertTrue(accepted(b, frame(group, 80)), "MO " + mo);
  }

  @Test
  void theHashDiffersBetweenMoValues() {
    // the same table accepts the group under one MO and not under another
    byte[] group = {0x01, 0x00, 0x5E, 0x7F, (byte) 0xAB, (byte) 0xCD};
    int hash0 = ((0xCD << 8 | 0xAB) >>> 4) & 0xFFF;
    Bench b = new Bench().receiver(3 << 12);
    b.write(MTA + 4 * (hash0 >>> 5), 1 << (hash0 & 31));
    assertFalse(accepted(b, frame(group, 80)));
    b.write(RCTL, (b.read(RCTL) & ~(3 << 12)));
    assertTrue(accepted(b, frame(group, 80)));
  }

  @Test
  void shortFramesArePaddedTo60WithZeros() {
    Bench b = new Bench().receiver(0);
    byte[] frame = frame(MAC, 20);
    b.nic.receive(bytes(frame));
    assertEquals(60, b.rxDescriptor(0).length());
    byte[] expected = Arrays.copyOf(frame, 60);
    assertArrayEquals(expected, b.rxBuffer(0, 2048, 60));
    assertEquals(64, b.stat("GORC"), "octets count the padded frame plus FCS");
  }

  @Test
  void oversizeWithoutLpeIsDroppedAndCounted() {
    Bench b = new Bench().receiver(0);
    assertFalse(accepted(b, frame(MAC, 1519)));
    assertEquals(1, b.stat("ROC"));
    assertTrue(accepted(b, frame(MAC, 1518)));
  }

  @Test
  void lpeAllowsUpTo16380() {
    Bench b = new Bench();
    b.busMaster();
    b.rxRing(8, 16384);
    b.write(RCTL, RCTL_EN | RCTL_SECRC | RCTL_LPE | RCTL_BSEX | 1 << 16); // 16 KiB buffers
    b.nic.receive(bytes(frame(MAC, 1519)));
    assertEquals(1, b.read(RDH));
    b.nic.receive(bytes(frame(MAC, 16381)));
    assertEquals(1, b.read(RDH));
    assertEquals(1, b.stat("ROC"));
    b.nic.receive(bytes(frame(MAC, 16380)));
    assertEquals(2, b.read(RDH));
    assertEquals(16380, b.rxDescriptor(1).length());
  }

  @Test
  void sbpKeepsOversizeFrames() {
    Bench b = new Bench().receiver(RCTL_SBP);
    b.nic.receive(bytes(frame(MAC, 1600)));
    assertEquals(1, b.read(RDH));
    assertEquals(1600, b.rxDescriptor(0).length());
    assertEquals(0, b.stat("ROC"));
  }

  /** BSIZE (bits 17:16) with and without BSEX: 2048/1024/512/256 and -/16384/8192/4096. */
  @ParameterizedTest
  @CsvSource({"0,false,2048", "1,false,1024", "2,false,512", "3,false,256", "1,true,16384",
      "2,true,8192", "3,true,4096"})
  void bufferSizeFollowsBsizeAndBsex(int bsize, boolean bsex, int expected) {
    Bench b = new Bench();
    b.busMaster();
    b.rxRing(8, 16384);
    b.write(RCTL, RCTL_EN | RCTL_SECRC | RCTL_SBP | bsize << 16 | (bsex ? RCTL_BSEX : 0));
    b.nic.receive(bytes(frame(MAC, expected + 1)));
    assertEquals(expected, b.rxDescriptor(0).length());
    assertEquals(RXD_DD, b.rxDescriptor(0).status(), "no EOP on the first of two");
    assertEquals(1, b.rxDescriptor(1).length());
    assertEquals(RXD_DD | RXD_EOP | RXD_IXSM, b.rxDescriptor(1).status());
  }

  @Test
  void aFrameLargerThanOneBufferIsScatteredInOrder() {
    Bench b = new Bench();
    b.busMaster();
    b.rxRing(8, 256);
    b.write(RCTL, RCTL_EN | RCTL_SECRC | 3 << 16); // 256-byte buffers
    byte[] frame = frame(MAC, 600);
    b.nic.receive(bytes(frame));
    assertEquals(3, b.read(RDH));
    int[] lengths = {256, 256, 88};
    byte[] gathered = new byte[600];
    for (int i = 0; i < 3; i++) {
      assertEquals(lengths[i], b.rxDescriptor(i).length());
      System.arraycopy(b.rxBuffer(i, 256, lengths[i]), 0, gathered, 256 * i, lengths[i]);
    }
    assertArrayEquals(frame, gathered);
    assertEquals(RXD_DD | RXD_EOP | RXD_IXSM, b.rxDescriptor(2).status());
  }

  @Test
  void theFcsMayTakeADescriptorOfItsOwn() {
    Bench b = new Bench();
    b.busMaster();
    b.rxRing(8, 256);
    b.write(RCTL, RCTL_EN | 3 << 16); // 256-byte buffers, FCS kept
    b.nic.receive(bytes(frame(MAC, 256)));
    assertEquals(256, b.rxDescriptor(0).length());
    assertEquals(4, b.rxDescriptor(1).length());
    assertEquals(RXD_DD | RXD_EOP | RXD_IXSM, b.rxDescriptor(1).status());
  }

  @Test
  void aFrameThatDoesNotFitTheFreeBuffersIsAnOverrun() {
    Bench b = new Bench();
    b.busMaster();
    b.rxRing(8, 256);
    b.write(RCTL, RCTL_EN | RCTL_SECRC | 3 << 16);
    b.write(RDT, 2); // two free 256-byte buffers
    b.nic.receive(bytes(frame(MAC, 600)));
    assertEquals(0, b.read(RDH));
    assertEquals(0, b.memory.readU8(RX_RING + 12), "nothing written back");
    assertEquals(ICR_RXO, b.read(ICR));
    assertEquals(1, b.stat("MPC"));
    assertEquals(1, b.stat("RNBC"));
    assertEquals(0, b.stat("GPRC"));
  }

  @Test
  void aFullRingIsAnOverrunAndCannotReceive() {
    Bench b = new Bench().receiver(0);
    b.write(RDT, 0); // RDH == RDT: no buffers
    assertFalse(b.nic.canReceive());
    b.nic.receive(bytes(frame(MAC, 100)));
    assertEquals(ICR_RXO, b.read(ICR) & ICR_RXO);
    assertEquals(1, b.stat("MPC"));
    assertEquals(1, b.stat("RNBC"));
  }

  @Test
  void canReceiveNeedsLinkEnableBusMasterAndBuffers() {
    Bench b = new Bench().receiver(0);
    assertTrue(b.nic.canReceive());
    b.nic.setLinkUp(false);
    assertFalse(b.nic.canReceive(), "link down");
    b.nic.setLinkUp(true);
    b.write(RCTL, b.read(RCTL) & ~RCTL_EN);
    assertFalse(b.nic.canReceive(), "RCTL.EN clear");
    b.write(RCTL, b.read(RCTL) | RCTL_EN);
    b.nic.pciConfigWrite(0x04, 0x0002);
    assertFalse(b.nic.canReceive(), "no bus mastering");
    b.busMaster();
    b.write(RDT, b.read(RDH));
    assertFalse(b.nic.canReceive(), "RDH == RDT");
    b.write(RDT, 7);
    assertTrue(b.nic.canReceive());
  }

  @Test
  void framesArrivingWhileDisabledAreDroppedQuietly() {
    Bench b = new Bench().receiver(0);
    b.write(RCTL, RCTL_SECRC);
    b.nic.receive(bytes(frame(MAC, 100)));
    assertEquals(0, b.read(RDH));
    assertEquals(0, b.read(ICR));
    assertEquals(0, b.stat("MPC"));
    assertEquals(1, b.stat("rxDroppedNotReady"));
  }

  @Test
  void receiveReadyComesWhenBuffersAreGivenOrReceptionResumes() {
    Bench b = new Bench();
    b.busMaster();
    b.rxRing(8, 2048);
    assertEquals(0, b.host.receiveReady, "RCTL.EN still clear");
    b.write(RCTL, RCTL_EN);
    assertEquals(1, b.host.receiveReady);
    b.write(RDT, 0);
    assertEquals(1, b.host.receiveReady, "no buffers: nothing to announce");
    b.write(RDT, 5);
    assertEquals(2, b.host.receiveReady);
    b.nic.setLinkUp(false);
    b.nic.setLinkUp(true);
    assertEquals(3, b.host.receiveReady);
    b.nic.pciConfigWrite(0x04, 0);
    b.busMaster();
    assertEquals(4, b.host.receiveReady);
  }

  @Test
  void rxt0AfterEveryFrameAndRxdmt0AtHalfTheRing() {
    Bench b = new Bench().receiver(0); // 8 descriptors, 7 free, RDMTS = 1/2: 64 bytes = 4 free
    int[] expectDmt = {0, 0, 1, 1, 1}; // free after each frame: 6, 5, 4, 3, 2
    for (int i = 0; i < expectDmt.length; i++) {
      b.nic.receive(bytes(frame(MAC, 64)));
      int icr = b.read(ICR);
      assertEquals(ICR_RXT0, icr & ICR_RXT0, "frame " + i);
      assertEquals(expectDmt[i] == 1 ? ICR_RXDMT0 : 0, icr & ICR_RXDMT0, "frame " + i);
    }
  }

  @Test
  void rdmtsQuarterMovesTheThreshold() {
    Bench b = new Bench().receiver(1 << 8); // 1/4 of 128 bytes = 2 free descriptors
    int[] expectDmt = {0, 0, 0, 0, 1}; // free 6, 5, 4, 3, 2
    for (int i = 0; i < expectDmt.length; i++) {
      b.nic.receive(bytes(frame(MAC, 64)));
      assertEquals(expectDmt[i] == 1 ? ICR_RXDMT0 : 0, b.read(ICR) & ICR_RXDMT0, "frame " + i);
    }
  }

  @Test
  void theRingWrapsAroundAtRdlen() {
    Bench b = new Bench().receiver(0);
    for (int i = 0; i < 7; i++) {
      b.nic.receive(bytes(frame(MAC, 64)));
    }
    assertEquals(7, b.read(RDH));
    b.write(RDT, 3); // the guest gives 0..2 back (and 7)
    b.nic.receive(bytes(frame(MAC, 64)));
    assertEquals(0, b.read(RDH));
    b.nic.receive(bytes(frame(MAC, 70)));
    assertEquals(1, b.read(RDH));
    assertEquals(70, b.rxDescriptor(0).length());
  }

  @Test
  void descriptorsWithoutABufferAreSkipped() {
    Bench b = new Bench().receiver(0);
    b.memory.writeU64(RX_RING, 0); // descriptor 0 has no buffer
    byte[] frame = frame(MAC, 100);
    b.nic.receive(bytes(frame));
    assertEquals(2, b.read(RDH));
    assertEquals(RXD_DD, b.rxDescriptor(0).status());
    assertEquals(0, b.rxDescriptor(0).length());
    assertEquals(100, b.rxDescriptor(1).length());
    assertArrayEquals(frame, b.rxBuffer(1, 2048, 100));
  }

  @Test
  void receiveStatisticsCountGoodFramesOctetsAndSizes() {
    Bench b = new Bench().receiver(RCTL_BAM);
    b.nic.receive(bytes(frame(MAC, 100)));
    b.nic.receive(bytes(frame(BROADCAST, 60)));
    assertEquals(2, b.stat("GPRC"));
    assertEquals(2, b.stat("TPR"));
    assertEquals(104 + 64, b.stat("GORC"));
    assertEquals(104 + 64, b.stat("TOR"));
    assertEquals(1, b.stat("BPRC"));
    assertEquals(1, b.stat("PRC127"), "100 bytes (SECRC: the FCS is not stored)");
    assertEquals(0, b.stat("PRC64"), "60 bytes without FCS fall in no bucket");
  }
}
