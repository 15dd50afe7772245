package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.addr.Ipv4Address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A link whose ring fills: frames are held in order, sent on transmitSpace, bounded. */
class TxBackPressureTest {
  private final VirtualClock clock = new VirtualClock();
  private long txBefore;

  private TestHost resolvedHost(int ring, long nanosPerFrame) {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    h.link.deliver(Frames.arp(h.link.mac().bits(), 2, 0x0200_0000_0099L, Frames.ip("10.0.0.9"),
        h.link.mac().bits(), Frames.ip("10.0.0.1")));
    h.link.ring(ring, nanosPerFrame);
    h.link.sent().clear();
    txBefore = h.count(StackCounter.TX_FRAMES); // the gratuitous ARP of configure()
    return h;
  }

  @Test
  void heldFramesGoOutInOrderOnTransmitSpace() {
    TestHost h = resolvedHost(4, 10_000);
    List<SendStatus> statuses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      statuses.add(h.stack.udpSend(4000, Ipv4Address.parse("10.0.0.9"), 7, new byte[] {(byte) i}));
    }
    assertEquals(List.of(SendStatus.SENT, SendStatus.SENT, SendStatus.SENT, SendStatus.SENT,
        SendStatus.QUEUED, SendStatus.QUEUED, SendStatus.QUEUED, SendStatus.QUEUED,
        SendStatus.QUEUED, SendStatus.QUEUED), statuses);
    assertEquals(4, h.link.sent().size());
    assertEquals(6, h.stack.heldFrames());
    assertFalse(h.stack.canSend(Ipv4Address.parse("10.0.0.9")));
    clock.runForMillis(1);
    assertEquals(10, h.link.sent().size());
    for (int i = 0; i < 10; i++) {
      assertEquals(i, h.link.sent().get(i)[42], "order");
    }
    assertEquals(10, h.count(StackCounter.TX_FRAMES) - txBefore);
    assertEquals(6, h.count(StackCounter.TX_DEFERRED));
    assertTrue(h.stack.canSend(Ipv4Address.parse("10.0.0.9")));
  }

  @Test
  void holdQueueIsBounded() {
    TestHost h = resolvedHost(1, 1_000_000);
    int n = 1 + TxQueue.CAPACITY + 3;
    long refused = 0;
    for (int i = 0; i < n; i++) {
      if (h.stack.udpSend(4000, Ipv4Address.parse("10.0.0.9"), 7, new byte[1])
          == SendStatus.QUEUE_FULL) {
        refused++;
      }
    }
    assertEquals(3, refused);
    assertEquals(3, h.count(StackCounter.TX_QUEUE_FULL));
    clock.runForMillis(1000);
    assertEquals(1 + TxQueue.CAPACITY, h.count(StackCounter.TX_FRAMES) - txBefore);
  }

  @Test
  void whenCanSendRunsOnceTheQueueDrains() {
    TestHost h = resolvedHost(1, 50_000);
    h.stack.udpSend(4000, Ipv4Address.parse("10.0.0.9"), 7, new byte[1]);
    h.stack.udpSend(4000, Ipv4Address.parse("10.0.0.9"), 7, new byte[1]);
    long[] ranAt = {-1};
    h.stack.whenCanSend(Ipv4Address.parse("10.0.0.9"), () -> ranAt[0] = clock.now());
    assertEquals(-1, ranAt[0]);
    clock.runForMillis(1);
    assertEquals(VirtualClock.START + 50_000, ranAt[0], "when the first frame left the ring");
  }

  @Test
  void whenCanSendWaitsForArp() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    h.stack.udpSend(4000, Ipv4Address.parse("10.0.0.9"), 7, new byte[1]);
    assertFalse(h.stack.canSend(Ipv4Address.parse("10.0.0.9")));
    assertTrue(h.stack.canSend(Ipv4Address.parse("10.0.0.8")), "other hosts are not held up");
    boolean[] ran = {false};
    h.stack.whenCanSend(Ipv4Address.parse("10.0.0.9"), () -> ran[0] = true);
    clock.runForMillis(500);
    assertFalse(ran[0]);
    h.link.deliver(Frames.arp(h.link.mac().bits(), 2, 0x0200_0000_0099L, Frames.ip("10.0.0.9"),
        h.link.mac().bits(), Frames.ip("10.0.0.1")));
    assertTrue(ran[0]);
  }

  @Test
  void linkDownDropsHeldFramesAndNewOnes() {
    TestHost h = resolvedHost(1, 1_000_000);
    for (int i = 0; i < 5; i++) {
      h.stack.udpSend(4000, Ipv4Address.parse("10.0.0.9"), 7, new byte[1]);
    }
    h.link.carrier(false);
    assertEquals(4, h.count(StackCounter.TX_DROP_LINK_DOWN));
    assertEquals(SendStatus.LINK_DOWN,
        h.stack.udpSend(4000, Ipv4Address.parse("10.0.0.9"), 7, new byte[1]));
    assertEquals(5, h.count(StackCounter.TX_DROP_LINK_DOWN));
    assertFalse(h.stack.linkUp());
  }
}
