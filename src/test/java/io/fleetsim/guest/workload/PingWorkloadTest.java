package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.guest.StackCounter;
import io.fleetsim.guest.TestHost;
import io.fleetsim.guest.VirtualClock;
import io.fleetsim.guest.Wire;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Ping between two stacks on a fake cable, in virtual time. */
class PingWorkloadTest {
  private final VirtualClock clock = new VirtualClock();

  private static PingResult await(VirtualClock clock, WorkloadRun run) {
    CompletableFuture<WorkloadResult> f = run.result().toCompletableFuture();
    assertTrue(clock.runUntil(f::isDone, 60_000_000_000L), "ping did not finish");
    return (PingResult) f.join();
  }

  @Test
  void fivePingsPrintBusyboxLines() {
    TestHost[] p = TestHost.pair(clock);
    p[0].env.lines().clear();
    WorkloadRun run = Workloads.parse("ping 10.0.0.2 count=5").start(p[0].stack.sockets());
    PingResult r = await(clock, run);
    // 100 us each way on the wire; the first request waits one ARP round trip as well.
    assertEquals(List.of(
        "PING 10.0.0.2 (10.0.0.2): 56 data bytes",
        "64 bytes from 10.0.0.2: seq=0 ttl=64 time=0.400 ms",
        "64 bytes from 10.0.0.2: seq=1 ttl=64 time=0.200 ms",
        "64 bytes from 10.0.0.2: seq=2 ttl=64 time=0.200 ms",
        "64 bytes from 10.0.0.2: seq=3 ttl=64 time=0.200 ms",
        "64 bytes from 10.0.0.2: seq=4 ttl=64 time=0.200 ms",
        "--- 10.0.0.2 ping statistics ---",
        "5 packets transmitted, 5 packets received, 0% packet loss",
        "round-trip min/avg/max = 0.200/0.240/0.400 ms"), p[0].env.lines());
    assertEquals(5, r.transmitted());
    assertEquals(5, r.received());
    assertEquals(0, r.lossPercent());
    assertTrue(r.success());
    RttStats rtt = r.rtt().orElseThrow();
    assertEquals(5, rtt.count());
    assertEquals(200_000, rtt.p50Nanos(), 200);
    assertEquals(400_000, rtt.maxNanos(), 400);
    assertEquals(5, p[1].count(StackCounter.ICMP_ECHO_REPLIES_SENT));
    assertTrue(run.done());
    // Ends as soon as the last reply is in: 4 intervals plus one round trip.
    assertTrue(clock.now() - VirtualClock.START < 4_001_000_000L);
  }

  @Test
  void lossIsCountedAndReported() {
    VirtualClock c = clock;
    io.fleetsim.guest.TestHost a = new io.fleetsim.guest.TestHost(c, 1).configured("10.0.0.1", 24);
    io.fleetsim.guest.TestHost b = new io.fleetsim.guest.TestHost(c, 2).configured("10.0.0.2", 24);
    int[] echoes = {0};
    // Drop every second echo reply on its way back (ICMP type 0 at byte 34).
    Wire.connect(c, a.link, b.link, TestHost.MICROS_100)
        .dropBtoA(f -> f.length > 34 && f[23] == 1 && f[34] == 0 && (echoes[0]++ % 2 == 1));
    a.env.lines().clear();
    PingResult r = await(c, Workloads.parse("ping 10.0.0.2 count=4 interval=200ms size=100B")
        .start(a.stack.sockets()));
    assertEquals(4, r.transmitted());
    assertEquals(2, r.received());
    assertEquals(50, r.lossPercent());
    List<String> lines = a.env.lines();
    assertEquals("PING 10.0.0.2 (10.0.0.2): 100 data bytes", lines.get(0));
    assertTrue(lines.get(1).startsWith("108 bytes from 10.0.0.2: seq=0 ttl=64 time="));
    assertTrue(lines.get(2).startsWith("108 bytes from 10.0.0.2: seq=2 "));
    assertEquals("4 packets transmitted, 2 packets received, 50% packet loss", lines.get(4));
  }

  @Test
  void noReplyAtAllFailsAfterTheWait() {
    TestHost a = new TestHost(clock, 1).configured("10.0.0.1", 24);
    PingResult r = await(clock, Workloads.parse("ping 10.0.0.2 count=2").start(a.stack.sockets()));
    assertFalse(r.success());
    assertEquals(2, r.transmitted());
    assertEquals(100, r.lossPercent());
    assertTrue(r.rtt().isEmpty());
    assertEquals("2 packets transmitted, 0 packets received, 100% packet loss",
        a.env.lines().get(a.env.lines().size() - 1));
    // Sent at 0 s and 1 s, then waited 10 s for a reply.
    assertEquals(11_000_000_000L, clock.now() - VirtualClock.START);
  }

  @Test
  void duplicatesAreMarked() {
    TestHost a = new TestHost(clock, 1).configured("10.0.0.1", 24);
    TestHost b = new TestHost(clock, 2).configured("10.0.0.2", 24);
    // A cable that delivers every echo reply twice.
    a.link.onTransmit(f -> clock.schedule(100_000, () -> b.link.deliver(f)));
    b.link.onTransmit(f -> {
      clock.schedule(100_000, () -> a.link.deliver(f));
      if (f.length > 34 && f[23] == 1 && f[34] == 0) {
        clock.schedule(150_000, () -> a.link.deliver(f));
      }
    });
    a.env.lines().clear();
    WorkloadRun run = Workloads.parse("ping 10.0.0.2").start(a.stack.sockets());
    clock.runForMillis(1500);
    run.stop();
    PingResult r = await(clock, run);
    assertEquals(2, r.transmitted());
    assertEquals(2, r.received());
    assertEquals(2, r.duplicates());
    assertTrue(a.env.lines().contains("64 bytes from 10.0.0.2: seq=1 ttl=64 time=0.250 ms (DUP!)"),
        a.env.lines().toString());
    assertTrue(a.env.lines().contains(
        "2 packets transmitted, 2 packets received, 2 duplicates, 0% packet loss"));
  }

  @Test
  void infinitePingRunsUntilStopped() {
    TestHost[] p = TestHost.pair(clock);
    WorkloadRun run = Workloads.parse("ping 10.0.0.2 interval=0.5s").start(p[0].stack.sockets());
    clock.runForMillis(10_100);
    assertFalse(run.done());
    run.stop();
    PingResult r = await(clock, run);
    assertEquals(21, r.transmitted());
    assertEquals(21, r.received());
  }

  @Test
  void unreachableWithoutRoute() {
    TestHost a = new TestHost(clock, 1).configured("10.0.0.1", 24);
    a.env.lines().clear();
    PingResult r = await(clock, Workloads.parse("ping 192.0.2.1 count=3").start(a.stack.sockets()));
    assertTrue(r.unreachable());
    assertEquals(0, r.transmitted());
    assertEquals(List.of("PING 192.0.2.1 (192.0.2.1): 56 data bytes",
        "ping: sendto: Network is unreachable", "--- 192.0.2.1 ping statistics ---",
        "0 packets transmitted, 0 packets received, 0% packet loss"), a.env.lines());
  }
}
