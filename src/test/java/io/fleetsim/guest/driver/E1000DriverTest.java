package io.fleetsim.guest.driver;

import static io.fleetsim.guest.driver.Rig.MAC;
import static io.fleetsim.guest.driver.Rig.PEER;
import static io.fleetsim.guest.driver.Rig.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.vm.hw.CostTable;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guest driver brought up on the device model, end to end. */
class E1000DriverTest {
  private static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);

  @Test
  void bringUpReadsTheMacFromTheEepromAndProgramsTheNic() {
    Rig rig = new Rig().started();
    assertEquals(MAC, rig.driver.mac());
    assertTrue(rig.driver.carrier());
    E1000Driver.Config config = E1000Driver.Config.defaults();
    assertEquals(0x0006, rig.nic.pciConfigRead(0x04) & 0x0006, "memory space + bus master");
    assertEquals(1 << 1 | 1 << 15 | 1 << 26, rig.nic.mmioRead(0x0100), "RCTL: EN, BAM, SECRC");
    assertEquals(0x0A, rig.nic.mmioRead(0x0400) & 0x0A, "TCTL: EN, PSP");
    assertEquals(0x80 | 0x40 | 0x10 | 0x04 | 0x01, rig.nic.mmioRead(0x00D0), "IMS");
    assertEquals(1 << 6, rig.nic.mmioRead(0x0000) & 1 << 6, "CTRL.SLU");
    assertEquals(config.rxDescriptors() * 16, rig.nic.mmioRead(0x2808));
    assertEquals(config.rxDescriptors() - 1, rig.nic.mmioRead(0x2818), "all RX buffers but one");
    assertEquals(config.txDescriptors() * 16, rig.nic.mmioRead(0x3808));
    assertEquals(0xAB005452, rig.nic.mmioRead(0x5400));
    assertEquals(0xEFCD | 1 << 31, rig.nic.mmioRead(0x5404));
    assertTrue(rig.env.printed.get(0).contains("1000 Mb/s full duplex"), rig.env.printed.toString());
    assertTrue(rig.nic.canReceive());
  }

  @Test
  void theMacComesFromBitBangingEecdLikeLinuxOnThe82540() {
    Rig rig = new Rig().started();
    assertTrue(rig.bus.reads.getOrDefault(0x0010, 0) >= 64 * 16, "16 DO reads per word");
    assertEquals(0, rig.bus.reads.getOrDefault(0x0014, 0), "EERD unused");
    assertTrue(rig.bus.writes.getOrDefault(0x0000, 0) >= 2, "CTRL: RST, then SLU");
  }

  @Test
  void framesSentByTheDriverLeaveTheNicByteExact() {
    Rig rig = new Rig().started();
    List<byte[]> frames = List.of(frame(PEER, MAC, 60, 1), frame(PEER, MAC, 42, 2),
        frame(PEER, MAC, 1514, 3), frame(BROADCAST, MAC, 3000, 4)); // the last spans descriptors
    for (byte[] f : frames) {
      assertTrue(rig.driver.transmit(f));
    }
    rig.settle();
    assertEquals(frames.size(), rig.host.sent.size());
    for (int i = 0; i < frames.size(); i++) {
      assertArrayEquals(frames.get(i), rig.host.sent.get(i), "frame " + i);
    }
    assertEquals(4, rig.driver.stats().txFrames());
  }

  @Test
  void framesReceivedByTheNicReachTheStack() {
    Rig rig = new Rig().started();
    byte[] unicast = frame(MAC, PEER, 100, 5);
    byte[] arp = frame(BROADCAST, PEER, 42, 6);
    rig.wire.add(unicast);
    rig.wire.add(frame(PEER, PEER, 100, 7)); // not for us
    rig.wire.add(frame(new MacAddress(0x01005E000001L), PEER, 100, 8)); // multicast, no MTA bit
    rig.wire.add(arp);
    rig.settle();
    assertEquals(2, rig.stack.received.size());
    assertArrayEquals(unicast, rig.stack.received.get(0));
    assertArrayEquals(Arrays.copyOf(arp, 60), rig.stack.received.get(1), "padded to 60");
  }

  @Test
  void aLongFrameSpanningDescriptorsIsReassembled() {
    Rig rig = new Rig().started();
    rig.nic.mmioWrite(0x0100, rig.nic.mmioRead(0x0100) | 1 << 5); // LPE, as a jumbo MTU would set
    byte[] jumbo = frame(MAC, PEER, 5000, 9); // three 2048-byte buffers
    byte[] small = frame(MAC, PEER, 64, 10);
    rig.wire.add(jumbo);
    rig.wire.add(small);
    rig.settle();
    assertEquals(2, rig.stack.received.size());
    assertArrayEquals(jumbo, rig.stack.received.get(0));
    assertArrayEquals(small, rig.stack.received.get(1));
  }

  @Test
  void trafficBothWaysKeepsOrderAcrossManyRingTurns() {
    Rig rig = new Rig().started();
    for (int i = 0; i < 300; i++) {
      rig.wire.add(frame(MAC, PEER, 60 + i, i));
      while (!rig.driver.transmit(frame(PEER, MAC, 1000 + i, i))) {
        rig.settle();
      }
      if (i % 7 == 0) {
        rig.settle();
      }
    }
    rig.settle();
    assertEquals(300, rig.stack.received.size());
    assertEquals(300, rig.host.sent.size());
    for (int i = 0; i < 300; i++) {
      assertArrayEquals(frame(MAC, PEER, 60 + i, i), rig.stack.received.get(i));
      assertArrayEquals(frame(PEER, MAC, 1000 + i, i), rig.host.sent.get(i));
    }
    assertEquals(0, rig.nic.statistics().get("MPC"), "no frame lost");
  }

  @Test
  void aFullReceiveRingHoldsFramesBackInsteadOfLosingThem() {
    Rig rig = new Rig().started();
    for (int i = 0; i < 100; i++) {
      rig.wire.add(frame(MAC, PEER, 80, i));
    }
    assertEquals(31, rig.pumpWire(), "32 descriptors, one always kept back");
    assertFalse(rig.nic.canReceive());
    int readyBefore = rig.host.receiveReady;
    rig.settle();
    assertTrue(rig.host.receiveReady > readyBefore, "the NIC called for held frames");
    assertEquals(100, rig.stack.received.size());
    for (int i = 0; i < 100; i++) {
      assertArrayEquals(frame(MAC, PEER, 80, i), rig.stack.received.get(i));
    }
    assertEquals(0, rig.nic.statistics().get("MPC"));
    assertEquals(0, rig.nic.statistics().get("RNBC"));
  }

  @Test
  void aPollStopsAtItsBudgetAndSchedulesTheRest() {
    Rig rig = new Rig(new E1000Driver.Config(32, 32, 1536, 4, 0)).started();
    for (int i = 0; i < 20; i++) {
      rig.wire.add(frame(MAC, PEER, 70, i));
    }
    rig.pumpWire();
    assertTrue(rig.host.line);
    rig.driver.interrupt();
    assertEquals(4, rig.stack.received.size(), "one budget's worth");
    assertEquals(1, rig.env.tasks.size(), "another poll scheduled, not a loop");
    assertEquals(0, rig.nic.mmioRead(0x00D0) & 0x80, "receive interrupts masked meanwhile");
    rig.settle();
    assertEquals(20, rig.stack.received.size());
    assertEquals(0x80, rig.nic.mmioRead(0x00D0) & 0x80, "and unmasked when done");
    assertTrue(rig.driver.stats().polls() >= 5);
  }

  @Test
  void aFullNetdevFillsTheTransmitRingAndTheStackIsToldWhenSpaceReturns() {
    Rig rig = new Rig().started();
    rig.host.full = true;
    int accepted = 0;
    while (rig.driver.transmit(frame(PEER, MAC, 200, accepted))) {
      accepted++;
      rig.settle();
    }
    assertEquals(31, accepted, "32 descriptors, one always kept free");
    assertEquals(1, rig.driver.stats().txRingFull());
    assertEquals(0, rig.stack.transmitSpace);

    rig.host.full = false;
    rig.nic.resumeTransmit(); // what the NIC actor does when its netdev drains
    rig.settle();
    assertEquals(31, rig.host.sent.size());
    for (int i = 0; i < 31; i++) {
      assertArrayEquals(frame(PEER, MAC, 200, i), rig.host.sent.get(i));
    }
    assertEquals(1, rig.stack.transmitSpace);
    assertTrue(rig.driver.transmit(frame(PEER, MAC, 200, 99)));
  }

  @Test
  void linkChangesReachTheStack() {
    Rig rig = new Rig().started();
    rig.nic.setLinkUp(false);
    rig.settle();
    assertFalse(rig.driver.carrier());
    rig.nic.setLinkUp(true);
    rig.settle();
    assertTrue(rig.driver.carrier());
    assertEquals(List.of(false, true), rig.stack.carrier);
    assertTrue(rig.env.printed.stream().anyMatch(l -> l.contains("link down")));
  }

  @Test
  void everyRegisterAccessInterruptAndCopiedByteIsCharged() {
    CostTable costs = new CostTable(3, 5, 7, 0.5, 0, 0, 0);
    Rig rig = new Rig(E1000Driver.Config.defaults(), costs).started();
    long bringUp = rig.env.cycles;
    int reads = rig.bus.reads.values().stream().mapToInt(Integer::intValue).sum();
    int writes = rig.bus.writes.values().stream().mapToInt(Integer::intValue).sum();
    assertTrue(bringUp >= 3L * reads + 5L * writes && bringUp <= 5L * rig.bus.accesses());

    Rig.Bus bus = rig.bus;
    int before = bus.accesses();
    rig.driver.transmit(frame(PEER, MAC, 100, 1)); // copies 100 bytes: 50 cycles
    rig.wire.add(frame(MAC, PEER, 100, 2)); // copied out: 50 cycles
    rig.settle();
    long traffic = rig.env.cycles - bringUp;
    int reads2 = bus.reads.values().stream().mapToInt(Integer::intValue).sum() - reads;
    int writes2 = bus.writes.values().stream().mapToInt(Integer::intValue).sum() - writes;
    assertEquals(bus.accesses() - before, reads2 + writes2);
    assertEquals(3L * reads2 + 5L * writes2 + 7L * rig.driver.stats().interrupts() + 50 + 50,
        traffic);
  }

  @Test
  void aDeviceThatIsNotAnE1000IsRefused() {
    Rig plain = new Rig();
    Rig rig = new Rig(E1000Driver.Config.defaults(), CostTable.defaults(), new Rig.Bus(plain.nic) {
      @Override
      public int configRead(int offset) {
        return offset == 0 ? 0x10008086 : super.configRead(offset);
      }
    });
    IllegalStateException e = assertThrows(IllegalStateException.class, rig.driver::start);
    assertTrue(e.getMessage().contains("82540EM"), e.getMessage());
  }

  @Test
  void aCorruptEepromIsRefused() {
    Rig plain = new Rig();
    Rig rig = new Rig(E1000Driver.Config.defaults(), CostTable.defaults(), new Rig.Bus(plain.nic) {
      @Override
      public int read(int offset) {
        int value = super.read(offset);
        return offset == 0x0010 ? value | 0x8 : value; // DO stuck high
      }
    });
    IllegalStateException e = assertThrows(IllegalStateException.class, rig.driver::start);
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void framesTheDriverCannotSendAreRefusedClearly() {
    Rig rig = new Rig().started();
    assertThrows(IllegalArgumentException.class, () -> rig.driver.transmit(new byte[0]));
    assertThrows(IllegalArgumentException.class,
        () -> rig.driver.transmit(new byte[E1000Driver.MAX_FRAME + 1]));
    assertThrows(IllegalStateException.class, () -> new Rig().driver.transmit(new byte[60]));
  }

  @Test
  void configurationIsValidatedWithTheBadValueNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new E1000Driver.Config(30, 32, 1536, 64, 0));
    assertTrue(e.getMessage().contains("30"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new E1000Driver.Config(32, 32, 10, 64, 0));
    assertThrows(IllegalArgumentException.class, () -> new E1000Driver.Config(32, 32, 1536, 0, 0));
  }

  @Test
  void theDefaultRingsTouchLittleGuestMemoryEvenAfterHeavyTraffic() {
    Rig rig = new Rig().started();
    assertTrue(rig.memory.touchedPages() <= 2, "after bring-up only the rings");
    for (int i = 0; i < 500; i++) {
      rig.wire.add(frame(MAC, PEER, 1514, i));
      while (!rig.driver.transmit(frame(PEER, MAC, 1514, i))) {
        rig.settle();
      }
    }
    rig.settle();
    long bytes = (long) rig.memory.touchedPages() * 4096;
    assertTrue(bytes <= 120 * 1024, bytes + " bytes of guest memory touched");
  }
}
