package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.guest.socket.UdpSocket;
import io.fleetsim.addr.Ipv4Address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArpTest {
  private static final long PEER_MAC = 0x0200_0000_0099L;
  private final VirtualClock clock = new VirtualClock();

  private static boolean isArp(byte[] f, int op) {
    return Frames.etherType(f) == 0x0806 && ByteBuffer.wrap(f).getShort(20) == op;
  }

  private static int arpTarget(byte[] f) {
    return ByteBuffer.wrap(f).getInt(38);
  }

  private static List<byte[]> udpFrames(FakeLink link) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] f : link.sent()) {
      if (Frames.etherType(f) == 0x0800) {
        out.add(f);
      }
    }
    return out;
  }

  @Test
  void resolvesThenSendsTheHeldPacketsInOrder() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    h.link.sent().clear();
    UdpSocket s = h.stack.udpBind(5000, d -> {});
    for (int i = 0; i < 3; i++) {
      assertEquals(SendStatus.RESOLVING,
          s.send(Ipv4Address.parse("10.0.0.9"), 7, new byte[] {(byte) i}));
    }
    assertEquals(1, h.link.sent().size(), "only the ARP request leaves");
    byte[] request = h.link.sent().get(0);
    assertTrue(isArp(request, 1));
    assertEquals(Frames.BROADCAST, Frames.dstMac(request));
    assertEquals(Frames.ip("10.0.0.9"), arpTarget(request));
    assertEquals(Frames.ip("10.0.0.1"), ByteBuffer.wrap(request).getInt(28), "sender IP");

    h.link.deliver(Frames.arp(h.link.mac().bits(), 2, PEER_MAC, Frames.ip("10.0.0.9"),
        h.link.mac().bits(), Frames.ip("10.0.0.1")));
    List<byte[]> udp = udpFrames(h.link);
    assertEquals(3, udp.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(PEER_MAC, Frames.dstMac(udp.get(i)));
      assertEquals(i, udp.get(i)[42], "order kept");
    }
    assertEquals(Optional.of(new io.fleetsim.addr.MacAddress(PEER_MAC)),
        h.stack.arpLookup(Ipv4Address.parse("10.0.0.9")));
    assertEquals(SendStatus.SENT, s.send(Ipv4Address.parse("10.0.0.9"), 7, new byte[1]));
    assertEquals(1, h.count(StackCounter.ARP_REQUESTS_SENT));
    assertTrue(h.counters().rxAccounted());
  }

  @Test
  void retriesThreeTimesThenDropsTheHeldPackets() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    h.stack.udpSend(5000, Ipv4Address.parse("10.0.0.9"), 7, new byte[1]);
    h.stack.udpSend(5000, Ipv4Address.parse("10.0.0.9"), 7, new byte[1]);
    clock.runForMillis(10_000);
    assertEquals(3, h.count(StackCounter.ARP_REQUESTS_SENT));
    assertEquals(1, h.count(StackCounter.ARP_RESOLUTION_FAILURES));
    assertEquals(2, h.count(StackCounter.TX_DROP_ARP_FAILED));
    assertTrue(udpFrames(h.link).isEmpty());
    // A later packet starts a fresh resolution.
    h.stack.udpSend(5000, Ipv4Address.parse("10.0.0.9"), 7, new byte[1]);
    assertEquals(4, h.count(StackCounter.ARP_REQUESTS_SENT));
  }

  @Test
  void pendingQueueIsBoundedAndDropsTheOldest() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    int n = ArpResolver.MAX_HELD_PER_ADDRESS + 5;
    for (int i = 0; i < n; i++) {
      h.stack.udpSend(5000, Ipv4Address.parse("10.0.0.9"), 7, new byte[] {(byte) i});
    }
    assertEquals(5, h.count(StackCounter.TX_DROP_ARP_QUEUE_FULL));
    h.link.deliver(Frames.arp(h.link.mac().bits(), 2, PEER_MAC, Frames.ip("10.0.0.9"),
        h.link.mac().bits(), Frames.ip("10.0.0.1")));
    List<byte[]> udp = udpFrames(h.link);
    assertEquals(ArpResolver.MAX_HELD_PER_ADDRESS, udp.size());
    assertEquals(5, udp.get(0)[42], "the five oldest were dropped");
  }

  @Test
  void answersRequestsForOurAddressAndLearnsTheAsker() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    h.link.sent().clear();
    h.link.deliver(Frames.arp(Frames.BROADCAST, 1, PEER_MAC, Frames.ip("10.0.0.9"), 0,
        Frames.ip("10.0.0.1")));
    assertEquals(1, h.link.sent().size());
    byte[] reply = h.link.sent().get(0);
    byte[] expected = Frames.arp(PEER_MAC, 2, h.link.mac().bits(), Frames.ip("10.0.0.1"),
        PEER_MAC, Frames.ip("10.0.0.9"));
    assertArrayEquals(expected, reply);
    assertTrue(h.stack.arpLookup(Ipv4Address.parse("10.0.0.9")).isPresent());
    assertEquals(1, h.count(StackCounter.RX_DELIVERED));
  }

  @Test
  void answersRfc5227ProbesWithoutLearningAddressZero() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    h.link.sent().clear();
    h.link.deliver(Frames.arp(Frames.BROADCAST, 1, PEER_MAC, 0, 0, Frames.ip("10.0.0.1")));
    assertEquals(1, h.link.sent().size());
    assertTrue(isArp(h.link.sent().get(0), 2));
    assertTrue(h.stack.arpLookup(Ipv4Address.ANY).isEmpty());
  }

  @Test
  void ignoresRequestsForOthers() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    h.link.sent().clear();
    h.link.deliver(Frames.arp(Frames.BROADCAST, 1, PEER_MAC, Frames.ip("10.0.0.9"), 0,
        Frames.ip("10.0.0.7")));
    assertTrue(h.link.sent().isEmpty());
    assertTrue(h.stack.arpLookup(Ipv4Address.parse("10.0.0.9")).isEmpty());
    assertEquals(1, h.count(StackCounter.RX_DROP_NOT_FOR_US));
  }

  @Test
  void entriesExpire() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    h.link.deliver(Frames.arp(Frames.BROADCAST, 1, PEER_MAC, Frames.ip("10.0.0.9"), 0,
        Frames.ip("10.0.0.1")));
    clock.runFor(ArpResolver.LIFETIME_NANOS - 1);
    assertTrue(h.stack.arpLookup(Ipv4Address.parse("10.0.0.9")).isPresent());
    clock.runFor(1);
    assertTrue(h.stack.arpLookup(Ipv4Address.parse("10.0.0.9")).isEmpty());
    long before = h.count(StackCounter.ARP_REQUESTS_SENT);
    assertEquals(SendStatus.RESOLVING,
        h.stack.udpSend(5000, Ipv4Address.parse("10.0.0.9"), 7, new byte[1]));
    assertEquals(before + 1, h.count(StackCounter.ARP_REQUESTS_SENT));
  }

  @Test
  void gratuitousArpOnConfigureAndOnLinkUp() {
    TestHost h = new TestHost(clock, 1);
    assertTrue(h.link.sent().isEmpty());
    h.configured("10.0.0.1", 24);
    assertEquals(1, h.link.sent().size());
    byte[] g = h.link.sent().get(0);
    byte[] expected = Frames.arp(Frames.BROADCAST, 1, h.link.mac().bits(), Frames.ip("10.0.0.1"),
        0, Frames.ip("10.0.0.1"));
    assertArrayEquals(expected, g);
    h.link.carrier(false);
    h.link.carrier(true);
    assertEquals(2, h.link.sent().size());
    assertArrayEquals(expected, h.link.sent().get(1));
    assertEquals(List.of("address 10.0.0.1/24 (no router)", "link down", "link up"),
        h.env.lines());
  }

  @Test
  void gatewayIsResolvedForOffLinkDestinations() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24, "10.0.0.254");
    h.link.sent().clear();
    h.stack.udpSend(5000, Ipv4Address.parse("192.0.2.7"), 7, new byte[1]);
    assertEquals(Frames.ip("10.0.0.254"), arpTarget(h.link.sent().get(0)));
    h.link.deliver(Frames.arp(h.link.mac().bits(), 2, PEER_MAC, Frames.ip("10.0.0.254"),
        h.link.mac().bits(), Frames.ip("10.0.0.1")));
    byte[] udp = udpFrames(h.link).get(0);
    assertEquals(PEER_MAC, Frames.dstMac(udp));
    assertEquals(Frames.ip("192.0.2.7"), ByteBuffer.wrap(udp).getInt(30), "IP dst unchanged");
  }

  @Test
  void noRouteWithoutGatewayOrAddress() {
    TestHost h = new TestHost(clock, 1);
    assertEquals(SendStatus.NO_ROUTE,
        h.stack.udpSend(5000, Ipv4Address.parse("10.0.0.2"), 7, new byte[1]));
    h.configured("10.0.0.1", 24);
    assertEquals(SendStatus.NO_ROUTE,
        h.stack.udpSend(5000, Ipv4Address.parse("192.0.2.7"), 7, new byte[1]));
    assertEquals(2, h.count(StackCounter.TX_DROP_NO_ROUTE));
  }

  @Test
  void reportsAnAddressConflictOnce() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    for (int i = 0; i < 2; i++) {
      h.link.deliver(Frames.arp(Frames.BROADCAST, 1, PEER_MAC, Frames.ip("10.0.0.1"), 0,
          Frames.ip("10.0.0.1")));
    }
    assertEquals(2, h.count(StackCounter.ARP_CONFLICTS));
    assertEquals(1, h.env.lines().stream().filter(l -> l.equals(
        "arp: 10.0.0.1 is also claimed by 02:00:00:00:00:99")).count());
  }

  /**
   * A full cache makes room by dropping the entry closest to expiry; of entries learnt at one
   * instant, the lowest address, whatever order the map keeps them in (10.0.10.0 comes first in
   * this map's, 10.0.8.0 is the lowest).
   */
  @Test
  void aFullCacheEvictsTheLowestOfTheAddressesLearntAtTheSameInstant() {
    TestHost h = new TestHost(clock, 1).configured("10.0.0.1", 24);
    int own = Frames.ip("10.0.0.1");
    int lowest = Frames.ip("10.0.8.0");
    for (int i = 0; i < ArpResolver.MAX_ENTRIES; i++) {
      h.link.deliver(Frames.arp(Frames.BROADCAST, 1, PEER_MAC + i, lowest + i, 0, own));
    }
    h.link.deliver(Frames.arp(Frames.BROADCAST, 1, PEER_MAC - 1, Frames.ip("10.0.30.0"), 0, own));
    assertEquals(Optional.empty(), h.stack.arpLookup(Ipv4Address.parse("10.0.8.0")));
    assertEquals(Optional.of(new io.fleetsim.addr.MacAddress(PEER_MAC + 2 * 256)),
        h.stack.arpLookup(Ipv4Address.parse("10.0.10.0")));
    assertTrue(h.stack.arpLookup(Ipv4Address.parse("10.0.30.0")).isPresent());
    assertTrue(h.stack.arpLookup(Ipv4Address.parse("10.0.8.1")).isPresent());
  }
}
