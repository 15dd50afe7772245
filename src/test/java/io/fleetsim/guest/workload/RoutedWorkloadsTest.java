package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.StackCounter;
import io.fleetsim.guest.TestVm;
import io.fleetsim.guest.VirtualClock;
import io.fleetsim.guest.Wire;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * ping with a TTL and traceroute across routers, in virtual time: A(10.1.0.10) - R1 -
 * [10.9.0.0/30] - R2 - B(10.2.0.10), 100 us per wire.
 */
class RoutedWorkloadsTest {
  private static final long LATENCY = 100_000L;
  private final VirtualClock clock = new VirtualClock();
  private final TestVm a = TestVm.host(clock).nic(10, "10.1.0.10/24", "10.1.0.1");
  private final TestVm r1 = TestVm.router(clock, "10.2.0.0/16 via 10.9.0.2")
      .nic(1, "10.1.0.1/24").nic(2, "10.9.0.1/30");
  private final TestVm r2 = TestVm.router(clock, "10.1.0.0/16 via 10.9.0.1")
      .nic(3, "10.9.0.2/30").nic(4, "10.2.0.1/24");
  private final TestVm b = TestVm.host(clock).nic(20, "10.2.0.10/24", "10.2.0.1");

  RoutedWorkloadsTest() {
    Wire.connect(clock, a.link(0), r1.link(0), LATENCY);
    Wire.connect(clock, r1.link(1), r2.link(0), LATENCY);
    Wire.connect(clock, r2.link(1), b.link(0), LATENCY);
  }

  private WorkloadResult run(String spec) {
    WorkloadRun run = Workloads.parse(spec).start(a.stack(0).sockets());
    CompletableFuture<WorkloadResult> f = run.result().toCompletableFuture();
    assertTrue(clock.runUntil(f::isDone, 600_000_000_000L), spec + " did not finish");
    return f.join();
  }

  private static Ipv4Address ip(String s) {
    return Ipv4Address.parse(s);
  }

  @Test
  void tracerouteListsTheRoutersInOrderAndReachesTheDestination() {
    a.env.lines().clear();
    TracerouteResult r = (TracerouteResult) run("traceroute 10.2.0.10");
    assertTrue(r.reached());
    assertFalse(r.unreachable());
    assertEquals(List.of(Optional.of(ip("10.1.0.1")), Optional.of(ip("10.9.0.2")),
        Optional.of(ip("10.2.0.10"))), r.hops().stream().map(TracerouteHop::from).toList());
    assertEquals(List.of(1, 2, 3), r.hops().stream().map(TracerouteHop::ttl).toList());
    for (TracerouteHop hop : r.hops()) {
      assertEquals(3, hop.answered(), "every probe answered at hop " + hop.ttl());
      long later = hop.rttNanos().get(2).orElseThrow();
      assertEquals(2 * LATENCY * hop.ttl(), later, "two wires per hop, both ways");
    }
    assertEquals("traceroute to 10.2.0.10 (10.2.0.10), 30 hops max, 60 byte packets",
        a.env.lines().get(0));
    // the first probe of hop 2 waits for R1 to ARP for R2
    assertEquals(" 2  10.9.0.2  0.600 ms  0.400 ms  0.400 ms", a.env.lines().get(2));
    assertEquals(4, a.env.lines().size(), "header and three hops");
    assertTrue(Criteria.defaultFor(TracerouteWorkload.KIND).holds(r));
    assertEquals("traceroute 10.2.0.10: reached in 3 hops: 10.1.0.1 10.9.0.2 10.2.0.10",
        r.summary());
    assertEquals(3, r1.count(0, StackCounter.RX_DROP_TTL_EXCEEDED), "hop 1's three probes");
    assertEquals(3, r2.count(0, StackCounter.RX_DROP_TTL_EXCEEDED), "hop 2's three probes");
  }

  @Test
  void tracerouteThatRunsOutOfHopsIsFiniteAndFails() {
    TracerouteResult r = (TracerouteResult) run("traceroute 10.2.0.10 max-hops=2 probes=1 wait=2s");
    assertFalse(r.reached());
    assertEquals(2, r.hops().size());
    assertEquals(Optional.of(ip("10.9.0.2")), r.hops().get(1).from());
    assertFalse(Criteria.defaultFor(TracerouteWorkload.KIND).holds(r));
  }

  @Test
  void tracerouteToAnUnroutedNetworkStopsAtNetUnreachable() {
    a.env.lines().clear();
    TracerouteResult r = (TracerouteResult) run("traceroute 10.3.0.1");
    assertFalse(r.reached());
    assertTrue(r.unreachable());
    assertEquals(1, r.hops().size());
    assertEquals("!N", r.hops().get(0).note());
    assertTrue(a.env.lines().get(1).startsWith(" 1  10.1.0.1  ") && a.env.lines().get(1).endsWith(" !N"),
        a.env.lines().get(1));
    assertFalse(Criteria.defaultFor(TracerouteWorkload.KIND).holds(r));
  }

  @Test
  void tracerouteProbesNobodyAnswersAreStars() {
    // B answers nothing: its wire is cut after R2
    TestVm lonely = TestVm.router(clock).nic(30, "10.4.0.1/24").nic(31, "10.5.0.1/24");
    TestVm host = TestVm.host(clock).nic(32, "10.4.0.10/24", "10.4.0.1");
    Wire.connect(clock, host.link(0), lonely.link(0), LATENCY)
        .dropAtoB(f -> (f[12] & 0xFF) == 0x08 && f[13] == 0 && (f[22] & 0xFF) > 1);
    WorkloadRun run = Workloads.parse("traceroute 10.5.0.10 max-hops=2 probes=2 wait=1s")
        .start(host.stack(0).sockets());
    CompletableFuture<WorkloadResult> f = run.result().toCompletableFuture();
    host.env.lines().clear();
    assertTrue(clock.runUntil(f::isDone, 60_000_000_000L));
    TracerouteResult r = (TracerouteResult) f.join();
    assertEquals(Optional.of(ip("10.4.0.1")), r.hops().get(0).from());
    assertEquals(Optional.empty(), r.hops().get(1).from());
    assertEquals(List.of(Optional.empty(), Optional.empty()), r.hops().get(1).rttNanos());
    assertEquals(" 2  * *", host.env.lines().get(1));
  }

  @Test
  void pingWithTtl1GetsTimeExceededFromTheFirstRouter() {
    a.env.lines().clear();
    PingResult r = (PingResult) run("ping 10.2.0.10 count=3 interval=200ms ttl=1");
    assertEquals(3, r.transmitted());
    assertEquals(0, r.received());
    assertEquals(3, r.errors());
    assertEquals(100, r.lossPercent());
    assertTrue(a.env.lines().contains("From 10.1.0.1 icmp_seq=0 Time to live exceeded"),
        a.env.lines().toString());
    assertTrue(a.env.lines().contains(
        "3 packets transmitted, 0 packets received, +3 errors, 100% packet loss"));
    assertFalse(Criteria.defaultFor(PingWorkload.KIND).holds(r), "an error is not a reply");
    assertTrue(clock.now() - VirtualClock.START < 2_000_000_000L, "ended on the last error");
  }

  @Test
  void pingTtlDecidesHowFarTheRequestsGo() {
    PingResult two = (PingResult) run("ping 10.2.0.10 count=1 ttl=2");
    assertEquals(1, two.errors());
    assertEquals(1, r2.count(0, StackCounter.RX_DROP_TTL_EXCEEDED), "R2 saw it with TTL 1");
    PingResult three = (PingResult) run("ping 10.2.0.10 count=1 ttl=3");
    assertEquals(1, three.received());
    assertEquals(0, three.errors());
  }

  @Test
  void pingToAnUnroutedNetworkCountsDestinationNetUnreachable() {
    a.env.lines().clear();
    PingResult r = (PingResult) run("ping 10.3.0.1 count=2 interval=100ms");
    assertEquals(2, r.errors());
    assertTrue(a.env.lines().contains("From 10.1.0.1 icmp_seq=1 Destination Net Unreachable"));
  }

  @Test
  void parsing() {
    TracerouteWorkload t = (TracerouteWorkload) Workloads.parse("traceroute 10.2.0.10");
    assertEquals(new TracerouteWorkload(ip("10.2.0.10"), 30, 3, Duration.ofSeconds(1)), t);
    assertEquals("traceroute 10.2.0.10 max-hops=30 probes=3 wait=1s", t.describe());
    assertEquals(t, Workloads.parse(t.describe()));
    assertTrue(t.finite());
    assertEquals(new TracerouteWorkload(ip("10.2.0.10"), 5, 1, Duration.ofMillis(300)),
        Workloads.parse("traceroute 10.2.0.10 max-hops=5 probes=1 wait=300ms"));
    PingWorkload p = (PingWorkload) Workloads.parse("ping 10.0.0.1 count=2 ttl=7");
    assertEquals(7, p.ttl());
    assertEquals("ping 10.0.0.1 count=2 interval=1s size=56B ttl=7", p.describe());
    assertEquals(p, Workloads.parse(p.describe()));
    assertEquals(64, ((PingWorkload) Workloads.parse("ping 10.0.0.1")).ttl());
  }

  @Test
  void badArgumentsAreNamed() {
    assertEquals("traceroute: missing HOST (usage: " + Workloads.TRACEROUTE_USAGE + ")",
        assertThrows(WorkloadSyntaxException.class, () -> Workloads.parse("traceroute")).getMessage());
    for (String[] c : new String[][] {
        {"traceroute 10.0.0.1 max-hops=0", "max-hops=0 must be 1-255"},
        {"traceroute 10.0.0.1 max-hops=256", "max-hops=256 must be 1-255"},
        {"traceroute 10.0.0.1 probes=x", "probes='x' is not a whole number"},
        {"traceroute 10.0.0.1 probes=11", "probes=11 must be 1-10"},
        {"traceroute 10.0.0.1 wait=0s", "wait=0s must be longer than zero"},
        {"traceroute 10.0.0.1 wait=1", "wait=1 has no unit"},
        {"traceroute nowhere", "HOST 'nowhere' is not an IPv4 address"},
        {"ping 10.0.0.1 ttl=0", "ttl=0 must be 1-255"},
        {"ping 10.0.0.1 ttl=256", "ttl=256 must be 1-255"}}) {
      String message = assertThrows(WorkloadSyntaxException.class, () -> Workloads.parse(c[0]),
          c[0]).getMessage();
      assertTrue(message.contains(c[1]), c[0] + ": " + message);
    }
    assertTrue(assertThrows(WorkloadSyntaxException.class,
        () -> Workloads.parse("traceroute 10.0.0.1 ttl=3")).getMessage().contains("ttl"));
  }
}
