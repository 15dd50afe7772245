package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DhcpClientTest {
  private static final long SECOND = 1_000_000_000L;
  private final VirtualClock clock = new VirtualClock();
  private final TestHost h = new TestHost(clock, 0x56);
  private final ScriptedDhcpServer server = new ScriptedDhcpServer(clock, h.link);

  private DhcpLease lease() {
    CompletableFuture<DhcpLease> f = h.stack.dhcp().toCompletableFuture();
    assertTrue(clock.runUntil(f::isDone, 600 * SECOND), "no lease; saw " + server.seen.size());
    return f.join();
  }

  @Test
  void broadcastOfferAndAck() {
    DhcpLease lease = lease();
    assertEquals(Ipv4Address.parse("10.0.2.15"), lease.address());
    assertEquals(24, lease.prefixLength());
    assertEquals(Ipv4Address.parse("10.0.2.2"), lease.server());
    assertEquals(Optional.of(Ipv4Address.parse("10.0.2.2")), lease.router());
    assertEquals(86400, lease.leaseSeconds());
    assertEquals(43200, lease.renewSeconds());
    assertEquals(75600, lease.rebindSeconds());
    assertEquals(List.of("lease 10.0.2.15/24 from 10.0.2.2 (router 10.0.2.2)"), h.env.lines());
    assertEquals(Optional.of(lease.config()), h.stack.config());

    ScriptedDhcpServer.Seen discover = server.seen.get(0);
    assertEquals(1, discover.type());
    assertEquals(Frames.BROADCAST, discover.ethDst());
    assertEquals(0, discover.ipSrc());
    assertEquals(-1, discover.ipDst());
    assertEquals(0x8000, discover.flags(), "asks for broadcast replies");
    ScriptedDhcpServer.Seen request = server.seen.get(1);
    assertEquals(3, request.type());
    assertEquals(discover.xid(), request.xid());
    assertEquals(ScriptedDhcpServer.OFFERED, request.requested());
    assertEquals(ScriptedDhcpServer.SERVER, request.serverId());
    assertEquals(0, request.ciaddr());
    assertEquals(2, server.seen.size());

    // Bound: the address is announced with a gratuitous ARP.
    byte[] last = h.link.sent().get(h.link.sent().size() - 1);
    assertEquals(0x0806, Frames.etherType(last));
    assertEquals(ScriptedDhcpServer.OFFERED, ByteBuffer.wrap(last).getInt(38));
    assertTrue(h.counters().rxAccounted());
    assertEquals(2, h.count(StackCounter.RX_DELIVERED));
  }

  @Test
  void unicastOfferAndAckToOurMac() {
    server.unicast = true;
    DhcpLease lease = lease();
    assertEquals(Ipv4Address.parse("10.0.2.15"), lease.address());
    assertEquals(2, h.count(StackCounter.DHCP_OFFERS_RECEIVED) + h.count(StackCounter.DHCP_ACKS_RECEIVED));
  }

  @Test
  void noRouterLikeSlirpRestricted() {
    server.router = false;
    DhcpLease lease = lease();
    assertTrue(lease.router().isEmpty());
    assertEquals(List.of("lease 10.0.2.15/24 from 10.0.2.2 (no router)"), h.env.lines());
  }

  @Test
  void lostOfferIsRetransmittedWithBackoff() {
    server.ignoreDiscovers = 2;
    lease();
    List<ScriptedDhcpServer.Seen> discovers = server.ofType(1);
    assertEquals(3, discovers.size());
    long first = discovers.get(1).at() - discovers.get(0).at();
    long second = discovers.get(2).at() - discovers.get(1).at();
    assertTrue(first >= 3 * SECOND && first <= 5 * SECOND, "4 s +- 1: " + first);
    assertTrue(second >= 7 * SECOND && second <= 9 * SECOND, "8 s +- 1: " + second);
    assertEquals(discovers.get(0).xid(), discovers.get(2).xid(), "one exchange, one xid");
  }

  @Test
  void lostAcksRetransmitTheRequestThenStartOver() {
    server.ignoreRequests = DhcpClient.MAX_REQUESTS;
    lease();
    assertEquals(DhcpClient.MAX_REQUESTS + 1, server.ofType(3).size());
    assertEquals(2, server.ofType(1).size(), "back to DISCOVER after " + DhcpClient.MAX_REQUESTS);
    assertTrue(server.ofType(1).get(0).xid() != server.ofType(1).get(1).xid());
  }

  @Test
  void nakRestartsDiscovery() {
    server.nak = true;
    h.stack.dhcp();
    clock.runForMillis(500);
    assertEquals(List.of("dhcp: NAK from 10.0.2.2: requested address not available"),
        h.env.lines());
    server.nak = false;
    lease();
    assertEquals(2, server.ofType(1).size());
    assertTrue(h.stack.config().isPresent());
  }

  @Test
  void renewsAtT1ByUnicastToTheServer() {
    server.leaseSeconds = 3600;
    DhcpLease first = lease();
    assertEquals(3600, first.leaseSeconds());
    server.seen.clear();
    clock.runFor(1800 * SECOND - 1);
    assertTrue(server.seen.isEmpty());
    clock.runFor(SECOND);
    assertEquals(1, server.seen.size());
    ScriptedDhcpServer.Seen renew = server.seen.get(0);
    assertEquals(3, renew.type());
    assertEquals(ScriptedDhcpServer.OFFERED, renew.ciaddr());
    assertEquals(ScriptedDhcpServer.OFFERED, renew.ipSrc());
    assertEquals(ScriptedDhcpServer.SERVER, renew.ipDst());
    assertEquals(ScriptedDhcpServer.SERVER_MAC, renew.ethDst(), "resolved by ARP");
    assertEquals(0, renew.requested(), "no option 50 while renewing");
    assertEquals(0, renew.flags());
    assertEquals("lease 10.0.2.15/24 renewed from 10.0.2.2",
        h.env.lines().get(h.env.lines().size() - 1));
    assertEquals(1, h.env.lines().stream().filter(l -> l.startsWith("lease 10.0.2.15/24 from"))
        .count(), "configured once");
    // The renewed lease runs from the renewal: the next one comes 1800 s later.
    server.seen.clear();
    clock.runFor(1800 * SECOND);
    assertEquals(1, server.seen.size());
  }

  @Test
  void unansweredRenewalRebindsThenExpires() {
    server.leaseSeconds = 3600;
    lease();
    server.silent = true;
    clock.runFor(3150 * SECOND - 1); // T2 = 7/8 * 3600
    assertTrue(server.ofType(3).stream().skip(1).allMatch(s -> s.ipDst() == ScriptedDhcpServer.SERVER
        || s.ethDst() != Frames.BROADCAST), "renewal REQUESTs are unicast");
    clock.runFor(1);
    ScriptedDhcpServer.Seen rebind = server.seen.get(server.seen.size() - 1);
    assertEquals(3, rebind.type());
    assertEquals(-1, rebind.ipDst());
    assertEquals(ScriptedDhcpServer.OFFERED, rebind.ciaddr());
    clock.runFor(450 * SECOND);
    assertTrue(h.env.lines().contains("lease 10.0.2.15/24 expired"), h.env.lines().toString());
    assertFalse(h.stack.config().isPresent());
    assertTrue(h.stack.lease().isEmpty());
    ScriptedDhcpServer.Seen after = server.seen.get(server.seen.size() - 1);
    assertEquals(1, after.type(), "discovering again");
  }

  @Test
  void repliesForOthersAndOtherExchangesAreIgnored() {
    server.silent = true;
    h.stack.dhcp();
    clock.runForMillis(1);
    int xid = server.seen.get(0).xid();
    ByteBuffer p = ByteBuffer.allocate(300);
    p.put((byte) 2).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid);
    p.position(16);
    p.putInt(ScriptedDhcpServer.OFFERED).putInt(ScriptedDhcpServer.SERVER);
    p.position(28);
    Frames.putMac(p, 0x0200_0000_0077L); // another client's MAC
    p.position(236);
    p.putInt(0x63825363).put((byte) 53).put((byte) 1).put((byte) 2).put((byte) 255);
    byte[] other = p.array().clone();
    h.link.deliver(Frames.ipv4(Frames.BROADCAST, ScriptedDhcpServer.SERVER_MAC,
        ScriptedDhcpServer.SERVER, -1, 17, 64,
        Frames.udp(ScriptedDhcpServer.SERVER, -1, 67, 68, other, true)));
    assertEquals(1, h.count(StackCounter.RX_DROP_NOT_FOR_US));
    p.position(28);
    Frames.putMac(p, h.link.mac().bits());
    p.putInt(4, xid + 1);
    h.link.deliver(Frames.ipv4(Frames.BROADCAST, ScriptedDhcpServer.SERVER_MAC,
        ScriptedDhcpServer.SERVER, -1, 17, 64,
        Frames.udp(ScriptedDhcpServer.SERVER, -1, 67, 68, p.array(), true)));
    assertEquals(1, h.count(StackCounter.RX_DROP_UNMATCHED));
    assertTrue(h.stack.config().isEmpty());
  }

  @Test
  void linkUpRestartsDiscoveryAtOnce() {
    server.silent = true;
    h.stack.dhcp();
    clock.runForMillis(100);
    h.link.carrier(false);
    clock.runFor(30 * SECOND);
    int before = server.seen.size();
    h.link.carrier(true);
    clock.runForMillis(1);
    assertEquals(before + 1, server.seen.size());
    assertEquals(1, server.seen.get(server.seen.size() - 1).type());
  }

  /** RFC 2131 4.1: 4, 8, 16, 32, then 64 s, each +-1 s, for as long as nobody answers. */
  @Test
  void discoversBackOffTo64SecondsAndNeverStop() {
    server.silent = true;
    h.stack.dhcp();
    clock.runFor(3600 * SECOND);
    List<ScriptedDhcpServer.Seen> discovers = server.ofType(1);
    assertTrue(discovers.size() > 55, "still asking after an hour: " + discovers.size());
    for (int i = 1; i < discovers.size(); i++) {
      long base = Math.min(64, 4L << Math.min(i - 1, 4)) * SECOND;
      long gap = discovers.get(i).at() - discovers.get(i - 1).at();
      assertTrue(gap >= base - SECOND && gap <= base + SECOND, "gap " + i + ": " + gap);
    }
    assertTrue(h.env.lines().contains("dhcp: no lease after 60 s; still asking"),
        h.env.lines().toString());
    server.silent = false;
    assertEquals(Ipv4Address.parse("10.0.2.15"), lease().address());
  }

  /**
   * The jitter and transaction ids come from the VM's seeded generator only: the same seed gives
   * the same DISCOVERs whenever the VM boots, another seed other ones.
   */
  @Test
  void retransmissionJitterComesFromTheVmSeed() {
    server.silent = true;
    h.stack.dhcp(); // seed 1, boots now
    clock.runFor(7 * SECOND + 123_456_789L);
    TestHost same = new TestHost(clock, 0x56, 1);
    ScriptedDhcpServer sameServer = new ScriptedDhcpServer(clock, same.link);
    sameServer.silent = true;
    same.stack.dhcp(); // seed 1, boots 7.12 s later
    TestHost other = new TestHost(clock, 0x56, 2);
    ScriptedDhcpServer otherServer = new ScriptedDhcpServer(clock, other.link);
    otherServer.silent = true;
    other.stack.dhcp();
    clock.runFor(300 * SECOND);
    assertEquals(schedule(server), schedule(sameServer));
    assertFalse(schedule(server).equals(schedule(otherServer)));
  }

  /** Each DISCOVER's xid and its time after the first, in nanoseconds. */
  private static List<List<Long>> schedule(ScriptedDhcpServer s) {
    long start = s.seen.get(0).at();
    return s.ofType(1).stream().map(d -> List.of((long) d.xid(), d.at() - start)).toList();
  }

  /**
   * Leases no host may take and options of a length RFC 2132 forbids: every OFFER is refused
   * and counted under its reason, nothing is REQUESTed, the first refusal is printed, and the
   * client keeps asking until the server offers something usable.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badOffers")
  void unusableOffersAreRefusedAndCounted(String what, java.util.function.Consumer<ScriptedDhcpServer> breaks,
      StackCounter reason, String printed) {
    breaks.accept(server);
    h.stack.dhcp();
    clock.runFor(100 * SECOND);
    assertEquals(0, server.ofType(3).size(), "no REQUEST for a refused offer");
    assertTrue(h.stack.config().isEmpty());
    long offers = server.ofType(1).size();
    assertTrue(offers >= 5, "kept asking: " + offers);
    assertEquals(offers, h.count(reason), h.counters().toString());
    assertEquals(offers, h.counters().rxDropped(), "no other drops: " + h.counters());
    assertTrue(h.counters().rxAccounted());
    List<String> refusals = h.env.lines().stream().filter(l -> l.startsWith("dhcp: refused")).toList();
    assertEquals(1, refusals.size(), h.env.lines().toString());
    assertTrue(refusals.get(0).startsWith("dhcp: refused " + printed), refusals.get(0));

    server.offer = ScriptedDhcpServer.OFFERED;
    server.mask = 0xFFFFFF00;
    server.override.clear();
    assertEquals(Ipv4Address.parse("10.0.2.15"), lease().address());
  }

  static Stream<Arguments> badOffers() {
    return Stream.of(
        bad("loopback", s -> s.offer = Frames.ip("127.0.0.1"), StackCounter.RX_DROP_DHCP_BAD_ADDRESS,
            "OFFER from 10.0.2.2: address 127.0.0.1 is loopback"),
        bad("this network", s -> s.offer = Frames.ip("0.1.2.3"), StackCounter.RX_DROP_DHCP_BAD_ADDRESS,
            "OFFER from 10.0.2.2: address 0.1.2.3 is in 0.0.0.0/8"),
        bad("class E", s -> s.offer = Frames.ip("240.0.0.7"), StackCounter.RX_DROP_DHCP_BAD_ADDRESS,
            "OFFER from 10.0.2.2: address 240.0.0.7 is reserved"),
        bad("server's own", s -> s.offer = ScriptedDhcpServer.SERVER,
            StackCounter.RX_DROP_DHCP_SERVER_ADDRESS,
            "OFFER from 10.0.2.2: address 10.0.2.2 is the server's own"),
        bad("network address", s -> s.offer = Frames.ip("10.0.2.0"),
            StackCounter.RX_DROP_DHCP_SUBNET_ADDRESS,
            "OFFER from 10.0.2.2: address 10.0.2.0 is the network address of /24"),
        bad("broadcast address", s -> s.offer = Frames.ip("10.0.2.255"),
            StackCounter.RX_DROP_DHCP_SUBNET_ADDRESS,
            "OFFER from 10.0.2.2: address 10.0.2.255 is the broadcast address of /24"),
        bad("classful network without a mask", s -> {
          s.offer = Frames.ip("10.0.0.0");
          s.mask = null;
        }, StackCounter.RX_DROP_DHCP_SUBNET_ADDRESS, "OFFER from 10.0.2.2: address 10.0.0.0 is the network address of /8"),
        bad("mask with holes", s -> s.mask = 0xFFFF00FF, StackCounter.RX_DROP_DHCP_BAD_MASK,
            "OFFER from 10.0.2.2: subnet mask 255.255.0.255 is not contiguous"),
        bad("zero mask", s -> s.mask = 0, StackCounter.RX_DROP_DHCP_BAD_MASK,
            "OFFER from 10.0.2.2: subnet mask 0.0.0.0 leaves no network"),
        bad("server id of the loopback", s -> s.override.put(54, new byte[] {127, 0, 0, 1}),
            StackCounter.RX_DROP_DHCP_BAD_ADDRESS,
            "OFFER from 10.0.2.2: server identifier 127.0.0.1 is loopback"),
        bad("3-byte mask", s -> s.override.put(1, new byte[] {(byte) 255, (byte) 255, (byte) 255}),
            StackCounter.RX_DROP_DHCP_BAD_OPTION,
            "reply from 10.0.2.2: option 1 (subnet mask) of 3 bytes, must be 4 bytes"),
        bad("5-byte router", s -> s.override.put(3, new byte[] {10, 0, 2, 2, 0}),
            StackCounter.RX_DROP_DHCP_BAD_OPTION,
            "reply from 10.0.2.2: option 3 (router) of 5 bytes, must be a multiple of 4"),
        bad("2-byte lease time", s -> s.override.put(51, new byte[] {1, 0}),
            StackCounter.RX_DROP_DHCP_BAD_OPTION, "reply from 10.0.2.2: option 51 (lease time)"),
        bad("6-byte server id", s -> s.override.put(54, new byte[] {10, 0, 2, 2, 0, 0}),
            StackCounter.RX_DROP_DHCP_BAD_OPTION, "reply from 10.0.2.2: option 54 (server identifier)"),
        bad("2-byte message type", s -> s.override.put(53, new byte[] {2, 2}),
            StackCounter.RX_DROP_DHCP_BAD_OPTION, "reply from 10.0.2.2: option 53 (message type)"));
  }

  private static Arguments bad(String what, java.util.function.Consumer<ScriptedDhcpServer> breaks,
      StackCounter reason, String printed) {
    return Arguments.of(what, breaks, reason, printed);
  }

  /** A refused ACK counts as no answer: the REQUEST is repeated, then the client DISCOVERs again. */
  @Test
  void refusedAckIsNoAnswer() {
    server.overrideAcksOnly = true;
    server.override.put(1, new byte[] {(byte) 255, 0, (byte) 255, 0});
    h.stack.dhcp();
    assertTrue(clock.runUntil(() -> server.ofType(1).size() == 2, 600 * SECOND));
    assertTrue(h.stack.config().isEmpty());
    assertEquals(DhcpClient.MAX_REQUESTS, server.ofType(3).size());
    assertEquals(DhcpClient.MAX_REQUESTS, h.count(StackCounter.RX_DROP_DHCP_BAD_MASK));
    assertTrue(h.env.lines().get(0).startsWith(
        "dhcp: refused ACK from 10.0.2.2: subnet mask 255.0.255.0 is not contiguous"), h.env.lines().toString());
    server.override.clear();
    assertEquals(24, lease().prefixLength());
  }

  /** /31 (RFC 3021) and /32 have no network or broadcast address to refuse. */
  @Test
  void pointToPointPrefixesAreUsable() {
    server.offer = Frames.ip("10.0.2.0");
    server.mask = 0xFFFFFFFE;
    server.router = false;
    assertEquals(31, lease().prefixLength());
  }
}
