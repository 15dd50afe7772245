package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.EchoError;
import io.fleetsim.guest.socket.EchoListener;
import io.fleetsim.guest.socket.EchoReply;
import io.fleetsim.guest.socket.EchoSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Routing and forwarding between simulated VMs in virtual time: hosts and routers joined by
 * {@link Wire}s (point to point) and {@link Hub}s (shared segments).
 */
class RoutingTest {
  private static final long LATENCY = 100_000L;
  private final VirtualClock clock = new VirtualClock();

  /** Echo replies and errors heard by one socket. */
  private static final class Echo implements EchoListener {
    final List<EchoReply> replies = new ArrayList<>();
    final List<EchoError> errors = new ArrayList<>();

    @Override
    public void reply(EchoReply reply) {
      replies.add(reply);
    }

    @Override
    public void error(EchoError error) {
      errors.add(error);
    }
  }

  /** Frames a wire delivered to its far end. */
  private static List<byte[]> recordBtoA(Wire w) {
    List<byte[]> seen = new ArrayList<>();
    w.dropBtoA(f -> seen.add(f.clone()) && false);
    return seen;
  }

  private static List<byte[]> recordAtoB(Wire w) {
    List<byte[]> seen = new ArrayList<>();
    w.dropAtoB(f -> seen.add(f.clone()) && false);
    return seen;
  }

  private static Ipv4Address ip(String s) {
    return Ipv4Address.parse(s);
  }

  private static long mac(byte[] f, int off) {
    long m = 0;
    for (int i = 0; i < 6; i++) {
      m = (m << 8) | (f[off + i] & 0xFF);
    }
    return m;
  }

  private static int ttl(byte[] frame) {
    return frame[22] & 0xFF;
  }

  private static boolean isIpv4(byte[] frame) {
    return (frame[12] & 0xFF) == 0x08 && frame[13] == 0;
  }

  /** A(10.1.0.10) - R1 - [10.9.0.0/30] - R2 - B(10.2.0.10): three hops. */
  private final class ThreeHops {
    final TestVm a = TestVm.host(clock).nic(10, "10.1.0.10/24", "10.1.0.1");
    final TestVm r1 = TestVm.router(clock, "10.2.0.0/16 via 10.9.0.2")
        .nic(1, "10.1.0.1/24").nic(2, "10.9.0.1/30");
    final TestVm r2 = TestVm.router(clock, "10.1.0.0/16 via 10.9.0.1")
        .nic(3, "10.9.0.2/30").nic(4, "10.2.0.1/24");
    final TestVm b = TestVm.host(clock).nic(20, "10.2.0.10/24", "10.2.0.1");
    final Wire lanA = Wire.connect(clock, a.link(0), r1.link(0), LATENCY);
    final Wire wan = Wire.connect(clock, r1.link(1), r2.link(0), LATENCY);
    final Wire lanB = Wire.connect(clock, r2.link(1), b.link(0), LATENCY);
    final List<byte[]> atB = recordAtoB(lanB);
    final Echo heard = new Echo();
    final EchoSocket socket = a.stack(0).openEcho(heard);
  }

  @Test
  void pingCrossesTwoRoutersWithTheTtlDecrementedAndTheChecksumValidPerHop() {
    ThreeHops t = new ThreeHops();
    List<byte[]> onWan = recordAtoB(t.wan);
    t.socket.send(ip("10.2.0.10"), 1, new byte[32]);
    assertTrue(clock.runUntil(() -> !t.heard.replies.isEmpty(), 1_000_000_000L));
    byte[] wanRequest = onWan.stream().filter(RoutingTest::isIpv4).findFirst().orElseThrow();
    byte[] request = t.atB.stream().filter(RoutingTest::isIpv4).findFirst().orElseThrow();
    assertEquals(63, ttl(wanRequest), "R1 decremented 64");
    assertEquals(62, ttl(request), "R1 and R2 decremented 64");
    assertEquals(0, Frames.sum(wanRequest, 14, 20, 0), "header checksum after one hop");
    assertEquals(0, Frames.sum(request, 14, 20, 0), "header checksum after two hops");
    assertEquals(FakeLink.mac(4).bits(), mac(request, 6), "sent by R2's LAN-B NIC");
    assertEquals(FakeLink.mac(20).bits(), mac(request, 0), "to B's MAC (ARP)");
    EchoReply reply = t.heard.replies.get(0);
    assertEquals(ip("10.2.0.10"), reply.from());
    assertEquals(62, reply.ttl(), "B's reply crossed both routers too");
    assertEquals(2, t.r1.count(StackCounter.RX_FORWARDED), "request and reply");
    assertEquals(1, t.r1.count(0, StackCounter.RX_FORWARDED));
    assertEquals(1, t.r1.count(1, StackCounter.TX_FORWARDED));
    assertEquals(2, t.r2.count(StackCounter.RX_FORWARDED));
    assertTrue(t.r1.rxAccounted() && t.r2.rxAccounted());
  }

  @Test
  void twoHopsThroughOneRouter() {
    TestVm a = TestVm.host(clock).nic(10, "10.1.0.10/24", "10.1.0.1");
    TestVm r = TestVm.router(clock).nic(1, "10.1.0.1/24").nic(2, "10.2.0.1/24");
    TestVm b = TestVm.host(clock).nic(20, "10.2.0.10/24", "10.2.0.1");
    Wire.connect(clock, a.link(0), r.link(0), LATENCY);
    List<byte[]> atB = recordAtoB(Wire.connect(clock, r.link(1), b.link(0), LATENCY));
    Echo heard = new Echo();
    a.stack(0).openEcho(heard).send(ip("10.2.0.10"), 7, new byte[8]);
    assertTrue(clock.runUntil(() -> !heard.replies.isEmpty(), 1_000_000_000L));
    assertEquals(63, ttl(atB.stream().filter(RoutingTest::isIpv4).findFirst().orElseThrow()));
    assertEquals(63, heard.replies.get(0).ttl());
    assertEquals(7, heard.replies.get(0).sequence());
    assertEquals(2, r.count(StackCounter.RX_FORWARDED));
  }

  @Test
  void ttlExpiryIsReportedByTheRouterWhereItRanOut() {
    ThreeHops t = new ThreeHops();
    t.socket.send(ip("10.2.0.10"), 1, new byte[8], 1);
    t.socket.send(ip("10.2.0.10"), 2, new byte[8], 2);
    assertTrue(clock.runUntil(() -> t.heard.errors.size() == 2, 1_000_000_000L));
    clock.runForMillis(100);
    assertTrue(t.heard.replies.isEmpty());
    EchoError first = t.heard.errors.stream().filter(e -> e.sequence() == 1).findFirst().orElseThrow();
    EchoError second = t.heard.errors.stream().filter(e -> e.sequence() == 2).findFirst().orElseThrow();
    assertEquals(ip("10.1.0.1"), first.from(), "R1, from the interface the probe came in by");
    assertEquals(ip("10.9.0.2"), second.from(), "R2's WAN address");
    for (EchoError e : t.heard.errors) {
      assertEquals(11, e.type());
      assertEquals(0, e.code());
      assertEquals(ip("10.2.0.10"), e.destination());
      assertEquals("Time to live exceeded", e.describe());
    }
    assertEquals(1, t.r1.count(0, StackCounter.RX_DROP_TTL_EXCEEDED));
    assertEquals(1, t.r2.count(0, StackCounter.RX_DROP_TTL_EXCEEDED));
    assertEquals(1, t.r1.count(StackCounter.ICMP_ERRORS_SENT));
    assertEquals(1, t.r2.count(StackCounter.ICMP_ERRORS_SENT));
    assertEquals(2, t.a.count(StackCounter.ICMP_ERRORS_RECEIVED));
    assertTrue(t.atB.stream().noneMatch(RoutingTest::isIpv4), "nothing reached B");
  }

  @Test
  void noRouteIsNetUnreachableFromTheFirstRouter() {
    ThreeHops t = new ThreeHops();
    t.socket.send(ip("10.3.0.1"), 5, new byte[8]);
    assertTrue(clock.runUntil(() -> !t.heard.errors.isEmpty(), 1_000_000_000L));
    EchoError e = t.heard.errors.get(0);
    assertEquals(ip("10.1.0.1"), e.from());
    assertEquals(3, e.type());
    assertEquals(0, e.code());
    assertEquals(5, e.sequence());
    assertEquals("Destination Net Unreachable", e.describe());
    assertEquals(1, t.r1.count(0, StackCounter.RX_DROP_NO_ROUTE));
    assertEquals(0, t.r1.count(StackCounter.TX_FORWARDED));
  }

  @Test
  void aNextHopThatNeverAnswersArpIsHostUnreachable() {
    ThreeHops t = new ThreeHops();
    t.socket.send(ip("10.2.0.99"), 9, new byte[8]);
    assertTrue(clock.runUntil(() -> !t.heard.errors.isEmpty(), 10_000_000_000L));
    EchoError e = t.heard.errors.get(0);
    assertEquals(3, e.type());
    assertEquals(1, e.code(), "host unreachable");
    assertEquals(ip("10.9.0.2"), e.from(), "R2, from the interface back towards the source");
    assertEquals(1, t.r2.count(1, StackCounter.TX_DROP_ARP_FAILED));
    assertTrue(clock.now() - VirtualClock.START >= 3 * ArpResolver.RETRY_NANOS, "after ARP gave up");
  }

  /**
   * A and B on shared segments with two routers: A reaches 10.2/16 via R1, B reaches 10.1/16 via
   * R2. A's default gateway is R2, so A's static route via another gateway must win.
   */
  @Test
  void asymmetricStaticRoutesTakeDifferentPathsEachWay() {
    TestVm a = TestVm.host(clock, "10.2.0.0/16 via 10.1.0.1").nic(10, "10.1.0.10/24", "10.1.0.2");
    TestVm b = TestVm.host(clock, "10.1.0.0/16 via 10.2.0.2").nic(20, "10.2.0.10/24");
    TestVm r1 = TestVm.router(clock).nic(1, "10.1.0.1/24").nic(2, "10.2.0.1/24");
    TestVm r2 = TestVm.router(clock).nic(3, "10.1.0.2/24").nic(4, "10.2.0.2/24");
    new Hub(clock, LATENCY).attach(a.link(0)).attach(r1.link(0)).attach(r2.link(0));
    new Hub(clock, LATENCY).attach(b.link(0)).attach(r1.link(1)).attach(r2.link(1));
    Echo fromA = new Echo();
    Echo fromB = new Echo();
    EchoSocket sa = a.stack(0).openEcho(fromA);
    EchoSocket sb = b.stack(0).openEcho(fromB);
    for (int i = 0; i < 3; i++) {
      sa.send(ip("10.2.0.10"), i, new byte[8]);
    }
    assertTrue(clock.runUntil(() -> fromA.replies.size() == 3, 1_000_000_000L));
    assertEquals(3, r1.count(0, StackCounter.RX_FORWARDED), "A->B requests via R1");
    assertEquals(0, r1.count(1, StackCounter.RX_FORWARDED), "no reply came back via R1");
    assertEquals(3, r2.count(1, StackCounter.RX_FORWARDED), "B->A replies via R2");
    assertEquals(0, r2.count(0, StackCounter.RX_FORWARDED));
    for (int i = 0; i < 2; i++) {
      sb.send(ip("10.1.0.10"), i, new byte[8]);
    }
    assertTrue(clock.runUntil(() -> fromB.replies.size() == 2, 1_000_000_000L));
    assertEquals(5, r2.count(1, StackCounter.RX_FORWARDED), "B->A requests via R2");
    assertEquals(2, r1.count(0, StackCounter.RX_FORWARDED) - 3, "A->B replies via R1");
    assertEquals(0, r1.count(1, StackCounter.RX_FORWARDED));
    assertEquals(63, fromA.replies.get(0).ttl());
  }

  @Test
  void aHostWithTwoNicsDoesNotForward() {
    TestVm a = TestVm.host(clock).nic(10, "10.1.0.10/24", "10.1.0.1");
    TestVm notRouter = TestVm.host(clock).nic(1, "10.1.0.1/24").nic(2, "10.2.0.1/24");
    TestVm b = TestVm.host(clock).nic(20, "10.2.0.10/24", "10.2.0.1");
    Wire.connect(clock, a.link(0), notRouter.link(0), LATENCY);
    List<byte[]> atB = recordAtoB(Wire.connect(clock, notRouter.link(1), b.link(0), LATENCY));
    Echo heard = new Echo();
    EchoSocket s = a.stack(0).openEcho(heard);
    s.send(ip("10.2.0.10"), 1, new byte[8]);
    s.send(ip("10.2.0.10"), 2, new byte[8], 1);
    clock.runForMillis(2000);
    assertTrue(heard.replies.isEmpty() && heard.errors.isEmpty());
    assertTrue(atB.stream().noneMatch(RoutingTest::isIpv4), "nothing forwarded to B");
    assertEquals(2, notRouter.count(0, StackCounter.RX_DROP_NOT_FOR_US));
    assertEquals(0, notRouter.count(StackCounter.RX_FORWARDED));
    assertEquals(0, notRouter.count(StackCounter.ICMP_ERRORS_SENT));
    // its own addresses on both NICs answer, whichever NIC the request arrives by
    s.send(ip("10.2.0.1"), 3, new byte[8]);
    assertTrue(clock.runUntil(() -> !heard.replies.isEmpty(), 1_000_000_000L));
    assertEquals(ip("10.2.0.1"), heard.replies.get(0).from());
  }

  @Test
  void aMultiNicHostSendsOutOfTheInterfaceItsRouteSays() {
    TestVm m = TestVm.host(clock, "10.7.0.0/16 via 10.5.0.1")
        .nic(10, "10.1.0.10/24", "10.1.0.1").nic(11, "10.5.0.10/24");
    // the socket's source is its stack's address (10.1.0.10): the router knows the way back
    TestVm r = TestVm.router(clock, "10.1.0.0/16 via 10.5.0.10")
        .nic(1, "10.5.0.1/24").nic(2, "10.7.0.1/24");
    TestVm far = TestVm.host(clock).nic(20, "10.7.0.10/24", "10.7.0.1");
    Wire.connect(clock, m.link(1), r.link(0), LATENCY);
    Wire.connect(clock, r.link(1), far.link(0), LATENCY);
    Echo heard = new Echo();
    // the socket is on NIC 0's stack; the route to 10.7/16 leaves by NIC 1
    m.stack(0).openEcho(heard).send(ip("10.7.0.10"), 1, new byte[8]);
    assertTrue(clock.runUntil(() -> !heard.replies.isEmpty(), 1_000_000_000L));
    assertTrue(m.link(0).sent().stream().noneMatch(RoutingTest::isIpv4), "nothing left by NIC 0");
    assertEquals(1, m.count(1, StackCounter.TX_FRAMES) - m.count(1, StackCounter.ARP_REQUESTS_SENT)
        - m.count(1, StackCounter.ARP_ANNOUNCEMENTS_SENT) - m.count(1, StackCounter.ARP_REPLIES_SENT));
    assertEquals(ip("10.7.0.10"), heard.replies.get(0).from());
    assertEquals(1, m.count(1, StackCounter.RX_DELIVERED) - m.count(1, StackCounter.ARP_REPLIES_RECEIVED),
        "the reply to NIC 0's address came in by NIC 1 and reached the socket");
    assertEquals(1, m.table.interfaceFor(ip("10.7.0.10")).getAsInt());
    assertEquals(0, m.table.interfaceFor(ip("192.0.2.1")).getAsInt(), "default gateway on NIC 0");
    assertEquals(ip("10.7.0.10"), heard.replies.get(0).from());
    assertEquals(1, m.count(1, StackCounter.RX_DELIVERED) - m.count(1, StackCounter.ARP_REPLIES_RECEIVED),
        "the reply to NIC 0's address came in by NIC 1 and reached the socket");
    assertEquals(1, m.table.interfaceFor(ip("10.5.0.99")).getAsInt(), "connected");
  }

  @Test
  void noErrorAboutAnIcmpError() {
    ThreeHops t = new ThreeHops();
    clock.runForMillis(10);
    // a destination unreachable from A with TTL 1, through R1: dropped, not answered
    byte[] quoted = new byte[28];
    quoted[0] = 0x45;
    byte[] error = Frames.icmpEcho(3, 0, 0, quoted);
    t.r1.link(0).deliver(Frames.ipv4(FakeLink.mac(1).bits(), FakeLink.mac(10).bits(),
        ip("10.1.0.10").bits(), ip("10.2.0.10").bits(), 1, 1, error));
    clock.runForMillis(10);
    assertEquals(1, t.r1.count(0, StackCounter.RX_DROP_TTL_EXCEEDED));
    assertEquals(0, t.r1.count(StackCounter.ICMP_ERRORS_SENT));
    // the same with an echo request is answered
    t.r1.link(0).deliver(Frames.ipv4(FakeLink.mac(1).bits(), FakeLink.mac(10).bits(),
        ip("10.1.0.10").bits(), ip("10.2.0.10").bits(), 1, 1, Frames.icmpEcho(8, 1, 1, new byte[4])));
    clock.runForMillis(10);
    assertEquals(1, t.r1.count(StackCounter.ICMP_ERRORS_SENT));
  }

  @Test
  void aBroadcastFrameIsNotForwarded() {
    ThreeHops t = new ThreeHops();
    clock.runForMillis(10);
    t.r1.link(0).deliver(Frames.ipv4(Frames.BROADCAST, FakeLink.mac(10).bits(),
        ip("10.1.0.10").bits(), ip("10.2.0.10").bits(), 1, 5, Frames.icmpEcho(8, 1, 1, new byte[4])));
    clock.runForMillis(10);
    assertEquals(1, t.r1.count(0, StackCounter.RX_DROP_NOT_FOR_US));
    assertEquals(0, t.r1.count(StackCounter.TX_FORWARDED));
  }

  @Test
  void icmpErrorsAreRateLimitedPerDestination() {
    ThreeHops t = new ThreeHops();
    for (int i = 0; i < 10; i++) {
      t.socket.send(ip("10.2.0.10"), i, new byte[8], 1);
    }
    clock.runForMillis(100);
    assertEquals(IcmpRateLimit.PER_DESTINATION_BURST, t.heard.errors.size());
    assertEquals(10 - IcmpRateLimit.PER_DESTINATION_BURST,
        t.r1.count(StackCounter.ICMP_ERRORS_RATE_LIMITED));
    clock.runForMillis(1000);
    t.socket.send(ip("10.2.0.10"), 10, new byte[8], 1);
    t.socket.send(ip("10.2.0.10"), 11, new byte[8], 1);
    clock.runForMillis(100);
    assertEquals(IcmpRateLimit.PER_DESTINATION_BURST + 1, t.heard.errors.size(),
        "one token a second");
  }
}
