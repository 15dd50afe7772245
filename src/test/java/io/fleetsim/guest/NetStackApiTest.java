package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.guest.socket.EchoReply;
import io.fleetsim.guest.socket.EchoSocket;
import io.fleetsim.guest.socket.UdpSocket;
import io.fleetsim.addr.Ipv4Address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class NetStackApiTest {
  private final VirtualClock clock = new VirtualClock();

  @Test
  void pingOnceReportsTheRoundTrip() {
    TestHost[] p = TestHost.pair(clock);
    CompletableFuture<Duration> rtt = p[0].stack.ping(Ipv4Address.parse("10.0.0.2"),
        Duration.ofSeconds(1)).toCompletableFuture();
    assertTrue(clock.runUntil(rtt::isDone, 2_000_000_000L));
    assertEquals(Duration.ofNanos(400_000), rtt.join(), "ARP round trip + echo round trip");
    assertEquals(0, clock.pending(), "the timeout timer was cancelled");
  }

  @Test
  void pingingOurselvesNeverTouchesTheLink() {
    TestHost a = new TestHost(clock, 1).configured("10.0.0.1", 24);
    a.link.sent().clear();
    CompletableFuture<Duration> rtt = a.stack.ping(Ipv4Address.parse("10.0.0.1"),
        Duration.ofSeconds(1)).toCompletableFuture();
    assertTrue(clock.runUntil(rtt::isDone, 1_000_000L));
    assertEquals(Duration.ZERO, rtt.join());
    assertTrue(a.link.sent().isEmpty());
    assertEquals(2, a.count(StackCounter.TX_LOOPBACK), "request and reply");
    assertTrue(a.counters().rxAccounted());
  }

  @Test
  void pingOnceTimesOut() {
    TestHost a = new TestHost(clock, 1).configured("10.0.0.1", 24);
    CompletableFuture<Duration> rtt = a.stack.ping(Ipv4Address.parse("10.0.0.2"),
        Duration.ofMillis(500)).toCompletableFuture();
    clock.runForMillis(499);
    assertTrue(!rtt.isDone());
    clock.runForMillis(1);
    CompletionException e = assertThrows(CompletionException.class, rtt::join);
    assertTrue(e.getCause() instanceof TimeoutException);
    assertEquals("no echo reply from 10.0.0.2 within PT0.5S", e.getCause().getMessage());
  }

  @Test
  void pingOnceWithoutRouteFailsAtOnce() {
    TestHost a = new TestHost(clock, 1);
    CompletableFuture<Duration> rtt = a.stack.ping(Ipv4Address.parse("10.0.0.2"),
        Duration.ofMillis(500)).toCompletableFuture();
    assertTrue(rtt.isCompletedExceptionally());
  }

  @Test
  void echoSocketsAreMatchedByIdentifier() {
    TestHost[] p = TestHost.pair(clock);
    List<EchoReply> one = new ArrayList<>();
    List<EchoReply> two = new ArrayList<>();
    EchoSocket s1 = p[0].stack.openEcho(one::add);
    EchoSocket s2 = p[0].stack.openEcho(two::add);
    assertTrue(s1.id() != s2.id());
    s1.send(Ipv4Address.parse("10.0.0.2"), 10, new byte[] {1});
    s2.send(Ipv4Address.parse("10.0.0.2"), 20, new byte[] {2, 2});
    s2.send(Ipv4Address.parse("10.0.0.2"), 21, new byte[] {3, 3, 3});
    clock.runForMillis(5);
    assertEquals(1, one.size());
    assertEquals(10, one.get(0).sequence());
    assertEquals(9, one.get(0).bytes());
    assertEquals(64, one.get(0).ttl());
    assertEquals(Ipv4Address.parse("10.0.0.2"), one.get(0).from());
    assertEquals(List.of(20, 21), List.of(two.get(0).sequence(), two.get(1).sequence()));
    s1.close();
    s1 = null;
    EchoSocket s3 = p[0].stack.openEcho(r -> {});
    assertTrue(s3.id() != s2.id());
  }

  @Test
  void udpPortsAreExclusiveAndEphemeralOnesAreHigh() {
    TestHost a = new TestHost(clock, 1).configured("10.0.0.1", 24);
    UdpSocket s = a.stack.udpBind(9000, d -> {});
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> a.stack.udpBind(9000, d -> {}));
    assertEquals("UDP port 9000 is already bound", e.getMessage());
    s.close();
    a.stack.udpBind(9000, d -> {});
    UdpSocket eph = a.stack.udpBind(0, d -> {});
    assertTrue(eph.port() >= 49152);
    a.stack.dhcp();
    assertThrows(IllegalStateException.class, () -> a.stack.udpBind(68, d -> {}));
    assertThrows(IllegalArgumentException.class,
        () -> a.stack.udpSend(1, Ipv4Address.parse("10.0.0.2"), 7,
            new byte[NetStack.MAX_UDP_PAYLOAD + 1]));
  }

  @Test
  void configurationIsValidated() {
    TestHost a = new TestHost(clock, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> a.stack.configure(Ipv4Address.parse("10.0.0.1"), 24,
            Optional.of(Ipv4Address.parse("10.0.1.1"))));
    assertEquals("gateway 10.0.1.1 is not another host in 10.0.0.0/24", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> a.stack.configure(Ipv4Address.parse("10.0.0.1"), 33, Optional.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> a.stack.configure(Ipv4Address.parse("224.0.0.1"), 24, Optional.empty()));
    assertTrue(a.stack.config().isEmpty());
  }

  @Test
  void unconfigureDropsRoutes() {
    TestHost[] p = TestHost.pair(clock);
    p[0].stack.unconfigure();
    assertEquals(SendStatus.NO_ROUTE,
        p[0].stack.udpSend(1, Ipv4Address.parse("10.0.0.2"), 7, new byte[1]));
  }

  @Test
  void timersChargeATick() {
    TestHost a = new TestHost(clock, 1);
    long before = a.env.cycles();
    boolean[] ran = {false};
    a.stack.schedule(1_000, () -> ran[0] = true);
    clock.runFor(1_000);
    assertTrue(ran[0]);
    assertEquals(before + a.env.cpu().costs().timerTick(), a.env.cycles());
  }

  @Test
  void carrierDownAtStartIsSilentAndLinkUpAnnounces() {
    FakeLink link = new FakeLink(clock, FakeLink.mac(9)).initialCarrier(false);
    VirtualGuestEnv env = new VirtualGuestEnv(clock);
    NetStack s = new NetStack(env, link);
    s.configure(Ipv4Address.parse("10.0.0.9"), 24, Optional.empty());
    assertTrue(link.sent().isEmpty(), "no ARP announcement while down");
    assertTrue(!s.linkUp());
    link.carrier(true);
    link.carrier(true);
    assertEquals(List.of("address 10.0.0.9/24 (no router)", "link up"), env.lines());
    assertEquals(1, link.sent().size());
  }
}
