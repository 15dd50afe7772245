package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.DhcpLease;
import io.fleetsim.guest.Frames;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.TestHost;
import io.fleetsim.guest.VirtualClock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * dhcp-server against fleetsim's own DHCP client, on a hub in virtual time; the requests the
 * client never sends (INIT-REBOOT, junk) are built by hand from RFC 2131's layout, and the
 * replies read by hand, not with the stack's codec.
 */
class DhcpServerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final String SPEC = "dhcp-server 10.1.0.100-10.1.0.199 router=10.1.0.1 lease=1h";

  private final VirtualClock clock = new VirtualClock();
  private final Lan lan = new Lan(clock);
  private final TestHost server = new TestHost(clock, 2).configured("10.1.0.2", 24);
  private final List<byte[]> heard = new ArrayList<>();
  private final java.util.function.Consumer<byte[]> rawSend = lan.raw(heard::add);

  DhcpServerTest() {
    lan.attach(server.link);
  }

  private WorkloadRun serve(String spec) {
    return Workloads.parse(spec).start(server.stack.sockets());
  }

  private TestHost client(int macLast) {
    TestHost c = new TestHost(clock, macLast, 100 + macLast);
    lan.attach(c.link);
    return c;
  }

  private static DhcpLease lease(VirtualClock clock, TestHost c) {
    CompletableFuture<DhcpLease> f = c.stack.dhcp().toCompletableFuture();
    assertTrue(clock.runUntil(f::isDone, 120 * SECOND), "no lease for " + c.link.mac());
    return f.join();
  }

  private static DhcpServerResult result(WorkloadRun run) {
    return (DhcpServerResult) run.snapshot();
  }

  @Test
  void leaseCarriesMaskRouterTimesAndDns() {
    WorkloadRun run = serve(SPEC + " dns=10.1.0.53");
    TestHost c = client(10);
    DhcpLease l = lease(clock, c);
    Ipv4Config config = c.stack.config().orElseThrow();
    assertEquals(Ipv4Address.parse("10.1.0.100"), config.address());
    assertEquals(24, config.prefixLength());
    assertEquals(Ipv4Address.parse("10.1.0.1"), config.gateway().orElseThrow(),
        "the router option becomes the default gateway");
    assertEquals(Ipv4Address.parse("10.1.0.2"), l.server());
    assertEquals(3600, l.leaseSeconds());
    assertEquals(1800, l.renewSeconds());
    assertEquals(3150, l.rebindSeconds());
    assertEquals(List.of(Ipv4Address.parse("10.1.0.53")), l.dns());

    DhcpServerResult r = result(run);
    assertEquals(1, r.offers());
    assertEquals(1, r.acks());
    assertEquals(100, r.poolSize());
    assertEquals(1, r.leases().size());
    DhcpServerLease row = r.leases().get(0);
    assertEquals(Ipv4Address.parse("10.1.0.100"), row.address());
    assertEquals(c.link.mac(), row.client());
    assertTrue(row.expiresInSeconds() > 3590 && row.expiresInSeconds() <= 3600, row.toString());
    assertTrue(r.success());
    // the server can ping its client at the leased address
    CompletableFuture<?> ping = server.stack.ping(l.address(), java.time.Duration.ofSeconds(1))
        .toCompletableFuture();
    assertTrue(clock.runUntil(ping::isDone, 2 * SECOND));
    assertFalse(ping.isCompletedExceptionally());
  }

  @Test
  void clientsGetDistinctAddresses() {
    WorkloadRun run = serve(SPEC);
    List<TestHost> clients = List.of(client(10), client(11), client(12), client(13));
    List<CompletableFuture<DhcpLease>> all = new ArrayList<>();
    for (TestHost c : clients) {
      all.add(c.stack.dhcp().toCompletableFuture());
    }
    assertTrue(clock.runUntil(() -> all.stream().allMatch(CompletableFuture::isDone), 120 * SECOND));
    Set<Ipv4Address> addresses = new LinkedHashSet<>();
    for (CompletableFuture<DhcpLease> f : all) {
      addresses.add(f.join().address());
    }
    assertEquals(4, addresses.size(), "distinct: " + addresses);
    DhcpServerResult r = result(run);
    assertEquals(4, r.leases().size());
    for (DhcpServerLease row : r.leases()) {
      TestHost owner = clients.stream().filter(c -> c.link.mac().equals(row.client())).findFirst()
          .orElseThrow();
      assertEquals(row.address(), owner.stack.config().orElseThrow().address());
    }
  }

  @Test
  void aRebootedClientGetsItsAddressBack() {
    WorkloadRun run = serve(SPEC);
    TestHost a = client(10);
    TestHost b = client(11);
    Ipv4Address first = lease(clock, a).address();
    Ipv4Address other = lease(clock, b).address();
    lan.detach(a.link);
    clock.runFor(30 * SECOND);
    TestHost rebooted = new TestHost(clock, 10, 999); // same MAC, new xids
    lan.attach(rebooted.link);
    assertEquals(first, lease(clock, rebooted).address());
    TestHost c = client(12);
    Ipv4Address third = lease(clock, c).address();
    assertFalse(third.equals(first) || third.equals(other), third.toString());
    assertEquals(3, result(run).leases().size());
    assertEquals(4, result(run).acks(), "a, b, a again, c");
  }

  @Test
  void renewalExtendsTheLease() {
    WorkloadRun run = serve("dhcp-server 10.1.0.100-10.1.0.199 router=10.1.0.1 lease=2m");
    TestHost c = client(10);
    DhcpLease l = lease(clock, c);
    assertEquals(60, l.renewSeconds());
    clock.runFor(5 * 60 * SECOND); // two and a half leases: it lives only by renewing
    assertEquals(l.address(), c.stack.config().orElseThrow().address());
    DhcpLease now = c.stack.lease().orElseThrow();
    assertTrue(now.obtainedAtNanos() > l.obtainedAtNanos() + 4 * 60 * SECOND, "renewed lately");
    DhcpServerResult r = result(run);
    assertEquals(1, r.offers(), "renewals are REQUESTs, not new DISCOVERs");
    assertTrue(r.acks() >= 5, "acks " + r.acks());
    assertEquals(1, r.leases().size());
    assertTrue(r.leases().get(0).expiresInSeconds() > 60, r.leases().toString());
  }

  @Test
  void anExhaustedPoolLeavesTheExtraClientUnleased() {
    WorkloadRun run = serve("dhcp-server 10.1.0.100-10.1.0.101 router=10.1.0.1");
    TestHost a = client(10);
    TestHost b = client(11);
    lease(clock, a);
    lease(clock, b);
    TestHost late = client(12);
    CompletableFuture<DhcpLease> f = late.stack.dhcp().toCompletableFuture();
    clock.runFor(120 * SECOND);
    assertFalse(f.isDone(), "the third client got a lease from a pool of two");
    assertTrue(late.stack.config().isEmpty());
    DhcpServerResult r = result(run);
    assertEquals(2, r.leases().size());
    assertTrue(r.exhausted() >= 2, "every DISCOVER of the late client counted: " + r.exhausted());
    assertEquals(2, r.offers());
    assertTrue(r.success(), "exhaustion is the pool's size, not a failure to serve");
    assertTrue(r.summary().contains("2/2 leased, " + r.exhausted() + " exhausted"), r.summary());
  }

  @Test
  void initRebootOfAForeignOrTakenAddressIsNakedAndOfAnUnknownOneIgnored() {
    WorkloadRun run = serve(SPEC);
    TestHost a = client(10);
    Ipv4Address taken = lease(clock, a).address();
    heard.clear(); // the exchange with a
    long mac = 0x0200_0000_0077L;
    rawSend.accept(requestFrame(mac, 0x1111, 0, 3, Map.of(50, ip("192.168.7.7"))));
    rawSend.accept(requestFrame(mac, 0x2222, 0, 3, Map.of(50, ip(taken.toString()))));
    rawSend.accept(requestFrame(mac, 0x3333, 0, 3, Map.of(50, ip("10.1.0.150"))));
    clock.runFor(SECOND);
    List<Reply> replies = replies();
    assertEquals(2, replies.size(), "only the wrong-network and taken requests are answered");
    assertEquals(new Reply(0x1111, 6, 0), replies.get(0));
    assertEquals(new Reply(0x2222, 6, 0), replies.get(1));
    assertEquals(2, result(run).naks());
    assertEquals(1, result(run).ignored());
    assertEquals(taken, a.stack.config().orElseThrow().address(), "the NAKs were not for it");
  }

  @Test
  void aRequestForAnotherServerFreesTheOffer() {
    WorkloadRun run = serve("dhcp-server 10.1.0.100-10.1.0.100"); // one address
    long a = 0x0200_0000_00A1L;
    long b = 0x0200_0000_00B2L;
    rawSend.accept(requestFrame(a, 1, 0, 1, Map.of()));
    clock.runFor(SECOND);
    rawSend.accept(requestFrame(b, 2, 0, 1, Map.of()));
    clock.runFor(SECOND);
    assertEquals(List.of(new Reply(1, 2, Frames.ip("10.1.0.100"))), replies(), "b: pool exhausted");
    assertEquals(1, result(run).exhausted());
    // a chose another server's offer: ours is free again, and b gets it
    rawSend.accept(requestFrame(a, 1, 0, 3, Map.of(54, ip("10.1.0.77"), 50, ip("10.1.0.100"))));
    rawSend.accept(requestFrame(b, 3, 0, 1, Map.of()));
    clock.runFor(SECOND);
    assertEquals(new Reply(3, 2, Frames.ip("10.1.0.100")), replies().get(1));
    assertEquals(2, replies().size());
  }

  @Test
  void aDeclinedAddressIsKeptFromEveryoneAndAReleasedOneFreed() {
    WorkloadRun run = serve("dhcp-server 10.1.0.100-10.1.0.101");
    long a = 0x0200_0000_00A1L;
    long b = 0x0200_0000_00B2L;
    Ipv4Address first = leaseRaw(a, 10);
    assertEquals(Ipv4Address.parse("10.1.0.100"), first);
    // a found 10.1.0.100 in use: declined, nobody gets it for 10 minutes
    rawSend.accept(requestFrame(a, 12, 0, 4, Map.of(50, ip(first.toString()),
        54, ip("10.1.0.2"))));
    clock.runFor(SECOND);
    assertEquals(1, result(run).declines());
    assertEquals(0, result(run).leases().size());
    Ipv4Address second = leaseRaw(b, 20);
    assertEquals(Ipv4Address.parse("10.1.0.101"), second);
    heard.clear();
    rawSend.accept(requestFrame(a, 30, 0, 1, Map.of()));
    clock.runFor(SECOND);
    assertEquals(List.of(), replies(), "the declined address is out of the pool, the other leased");
    // b releases: its address is free for a
    rawSend.accept(frame(b, Frames.ip("10.1.0.101"), bootp(b, 21, Frames.ip("10.1.0.101"), 7,
        Map.of(54, ip("10.1.0.2")))));
    clock.runFor(SECOND);
    assertEquals(1, result(run).releases());
    assertEquals(0, result(run).leases().size());
    assertEquals(Ipv4Address.parse("10.1.0.101"), leaseRaw(a, 40));
    // ten minutes on, the declined address is back
    clock.runFor(DhcpServerRun.DECLINE_HOLD_NANOS);
    assertEquals(Ipv4Address.parse("10.1.0.100"), leaseRaw(b, 50));
  }

  /** DISCOVER, then REQUEST the offered address from 10.1.0.2; the ACKed address. */
  private Ipv4Address leaseRaw(long mac, int xid) {
    heard.clear();
    rawSend.accept(requestFrame(mac, xid, 0, 1, Map.of()));
    clock.runFor(SECOND);
    List<Reply> offer = replies();
    assertEquals(1, offer.size(), "one OFFER: " + offer);
    assertEquals(2, offer.get(0).type());
    heard.clear();
    rawSend.accept(requestFrame(mac, xid + 1, 0, 3, Map.of(54, ip("10.1.0.2"),
        50, ByteBuffer.allocate(4).putInt(offer.get(0).yiaddr()).array())));
    clock.runFor(SECOND);
    List<Reply> ack = replies();
    assertEquals(List.of(new Reply(xid + 1, 5, offer.get(0).yiaddr())), ack);
    return new Ipv4Address(ack.get(0).yiaddr());
  }

  @Test
  void malformedRequestsAreCountedAndIgnored() {
    WorkloadRun run = serve(SPEC);
    long mac = 0x0200_0000_0088L;
    byte[] good = bootp(mac, 0x4444, 0, 1, Map.of());
    byte[] cut = java.util.Arrays.copyOf(good, 100);
    byte[] noCookie = good.clone();
    noCookie[236] = 0;
    byte[] overrun = good.clone();
    overrun[243] = 61; // after option 53: a client id whose length runs past the message
    overrun[244] = (byte) 200;
    byte[] badRequested = bootp(mac, 0x5555, 0, 1, Map.of(50, new byte[] {10, 1, 0}));
    byte[] reply = good.clone();
    reply[0] = 2; // a BOOTREPLY to the server's port
    for (byte[] p : List.of(cut, noCookie, overrun, badRequested, reply)) {
      rawSend.accept(frame(mac, 0, p));
    }
    clock.runFor(SECOND);
    assertEquals(List.of(), replies());
    DhcpServerResult r = result(run);
    assertEquals(5, r.malformed());
    assertEquals(0, r.offers());
    // and it still serves
    TestHost c = client(10);
    assertEquals(Ipv4Address.parse("10.1.0.100"), lease(clock, c).address());
    assertEquals(1, result(run).acks());
  }

  @Test
  void idleOnAnInterfaceOutsideThePoolAndRefusedWhenThePoolHoldsItsAddress() {
    TestHost other = new TestHost(clock, 3).configured("10.9.0.1", 30);
    DhcpServerResult idle = (DhcpServerResult) Workloads.parse(SPEC).start(other.stack.sockets())
        .snapshot();
    assertTrue(idle.idle().orElseThrow().contains("not in this interface's subnet 10.9.0.0/30"));
    assertFalse(idle.refused());
    assertTrue(idle.success());
    TestHost wrong = new TestHost(clock, 4).configured("10.1.0.150", 24);
    DhcpServerResult refused = (DhcpServerResult) Workloads.parse(SPEC)
        .start(wrong.stack.sockets()).snapshot();
    assertTrue(refused.refused());
    assertTrue(refused.idle().orElseThrow().contains("server's own address 10.1.0.150"));
    assertFalse(refused.success());
    TestHost unaddressed = new TestHost(clock, 5);
    assertFalse(((DhcpServerResult) Workloads.parse(SPEC).start(unaddressed.stack.sockets())
        .snapshot()).success());
  }

  @Test
  void aGuestWithTwoInterfacesServesOnTheOneThatHoldsThePool() {
    io.fleetsim.guest.VirtualGuestEnv env = new io.fleetsim.guest.VirtualGuestEnv(clock, 7);
    io.fleetsim.guest.FakeLink wan = new io.fleetsim.guest.FakeLink(clock,
        io.fleetsim.guest.FakeLink.mac(0x30));
    io.fleetsim.guest.FakeLink onLan = new io.fleetsim.guest.FakeLink(clock,
        io.fleetsim.guest.FakeLink.mac(0x31));
    lan.attach(onLan);
    io.fleetsim.guest.os.GuestSystem guest = new io.fleetsim.guest.os.GuestSystem(List.of(
        new io.fleetsim.guest.os.GuestSystem.InterfaceSetup(java.util.Optional.of(
            new Ipv4Config(Ipv4Address.parse("10.9.0.1"), 30, java.util.Optional.empty())), false),
        new io.fleetsim.guest.os.GuestSystem.InterfaceSetup(java.util.Optional.of(
            new Ipv4Config(Ipv4Address.parse("10.1.0.3"), 24, java.util.Optional.empty())), false)),
        List.of(Workloads.parse(SPEC)));
    guest.boot(env, List.of(wan, onLan), ok -> {});
    clock.runFor(SECOND);
    TestHost c = client(10);
    assertEquals(Ipv4Address.parse("10.1.0.3"), lease(clock, c).server());
    List<io.fleetsim.guest.os.WorkloadReport> runs = guest.report().workloads();
    assertEquals(2, runs.size(), "a server on each interface");
    DhcpServerResult onWan = (DhcpServerResult) runs.get(0).latest().orElseThrow();
    DhcpServerResult served = (DhcpServerResult) runs.get(1).latest().orElseThrow();
    assertEquals(wan.mac(), runs.get(0).nic());
    assertTrue(onWan.idle().isPresent() && !onWan.refused() && onWan.success(), onWan.summary());
    assertEquals(1, served.acks());
    assertTrue(served.success());
  }

  @Test
  void badArgumentsAreNamed() {
    assertError("dhcp-server 10.1.0.300-10.1.0.199", "is not FIRST-LAST");
    assertError("dhcp-server 10.1.0.199-10.1.0.100", "last is below first");
    assertError("dhcp-server 10.0.0.0-10.2.0.0", "more than 65536");
    assertError("dhcp-server 10.0.0.0/8", "larger than a /16");
    assertError("dhcp-server 10.1.0.100-10.1.0.199 router=10.1.0", "router= '10.1.0'");
    assertError("dhcp-server 10.1.0.100-10.1.0.199 router=10.1.0.150", "inside the pool");
    assertError("dhcp-server 10.1.0.100-10.1.0.199 lease=10", "has no unit");
    assertError("dhcp-server 10.1.0.100-10.1.0.199 lease=30s", "shorter than 1m");
    assertError("dhcp-server 10.1.0.100-10.1.0.199 lease=90.5s", "whole number of seconds");
    assertError("dhcp-server", "missing POOL");
    assertError("dhcp-server 10.1.0.100-10.1.0.199 dns=224.0.0.1", "dns=224.0.0.1 is not a host");
    assertError("dhcp-server 10.1.0.100-10.1.0.199 gateway=10.1.0.1", "unknown option 'gateway'");
    DhcpServerWorkload w = (DhcpServerWorkload) Workloads.parse("dhcp-server 10.1.0.128/25");
    assertEquals("dhcp-server 10.1.0.129-10.1.0.254 lease=3600s", w.describe());
    assertEquals(w, Workloads.parse(w.describe()));
  }

  private static void assertError(String spec, String part) {
    WorkloadSyntaxException e = assertThrows(WorkloadSyntaxException.class,
        () -> Workloads.parse(spec));
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertTrue(e.getMessage().contains("usage: dhcp-server POOL"), e.getMessage());
  }

  // --- frames by hand (RFC 2131 section 2: op htype hlen hops xid secs flags ciaddr yiaddr
  //     siaddr giaddr chaddr[16] sname[64] file[128] cookie options)

  private static byte[] ip(String dotted) {
    return ByteBuffer.allocate(4).putInt(Frames.ip(dotted)).array();
  }

  private static byte[] bootp(long mac, int xid, int ciaddr, int type, Map<Integer, byte[]> opts) {
    ByteBuffer p = ByteBuffer.allocate(300);
    p.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid).putShort((short) 0)
        .putShort((short) 0x8000).putInt(ciaddr).putInt(0).putInt(0).putInt(0);
    Frames.putMac(p, mac);
    p.position(236);
    p.putInt(0x6382_5363);
    p.put((byte) 53).put((byte) 1).put((byte) type);
    for (Map.Entry<Integer, byte[]> e : new LinkedHashMap<>(opts).entrySet()) {
      p.put((byte) (int) e.getKey()).put((byte) e.getValue().length).put(e.getValue());
    }
    p.put((byte) 255);
    return p.array();
  }

  private static byte[] requestFrame(long mac, int xid, int ciaddr, int type,
      Map<Integer, byte[]> opts) {
    return frame(mac, ciaddr, bootp(mac, xid, ciaddr, type, opts));
  }

  private static byte[] frame(long mac, int source, byte[] payload) {
    return Frames.ipv4(Frames.BROADCAST, mac, source, -1, 17, 64,
        Frames.udp(source, -1, 68, 67, payload, true));
  }

  /** A DHCP reply as heard on the wire: its xid, option 53 and yiaddr. */
  private record Reply(int xid, int type, int yiaddr) {}

  private List<Reply> replies() {
    List<Reply> out = new ArrayList<>();
    for (byte[] f : heard) {
      ByteBuffer b = ByteBuffer.wrap(f);
      if (Frames.etherType(f) != 0x0800 || f[23] != 17 || (b.getShort(36) & 0xFFFF) != 68) {
        continue;
      }
      int at = 42 + 240;
      int type = 0;
      while (at < f.length && (f[at] & 0xFF) != 255) {
        if (f[at] == 0) {
          at++;
          continue;
        }
        if (f[at] == 53) {
          type = f[at + 2];
        }
        at += 2 + (f[at + 1] & 0xFF);
      }
      out.add(new Reply(b.getInt(42 + 4), type, b.getInt(42 + 16)));
    }
    return out;
  }
}
