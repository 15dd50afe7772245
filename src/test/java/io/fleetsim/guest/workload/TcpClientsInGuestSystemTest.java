package io.fleetsim.guest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.FakeLink;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.TestHost;
import io.fleetsim.guest.VirtualClock;
import io.fleetsim.guest.VirtualGuestEnv;
import io.fleetsim.guest.Wire;
import io.fleetsim.guest.os.GuestReport;
import io.fleetsim.guest.os.GuestSystem;
import io.fleetsim.guest.os.WorkloadReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A two-NIC guest OS running the TCP and HTTP workloads: clients go out of the interface that
 * reaches their host, servers listen on every interface, and the verdict waits for the finite
 * clients only.
 */
class TcpClientsInGuestSystemTest {
  private static final long SECOND = 1_000_000_000L;

  private final VirtualClock clock = new VirtualClock();
  private final VirtualGuestEnv env = new VirtualGuestEnv(clock);
  private final FakeLink lan0 = new FakeLink(clock, FakeLink.mac(0x10));
  private final FakeLink lan1 = new FakeLink(clock, FakeLink.mac(0x11));
  /** On the second interface's subnet: a client that took the first would find no route. */
  private final TestHost peer = new TestHost(clock, 0x20).configured("10.0.1.2", 24);
  private final TestHost other = new TestHost(clock, 0x21).configured("10.0.0.2", 24);
  private final List<Boolean> verdicts = new ArrayList<>();

  private GuestSystem boot(String... workloads) {
    Wire.connect(clock, lan0, other.link, TestHost.MICROS_100);
    Wire.connect(clock, lan1, peer.link, TestHost.MICROS_100);
    List<Workload> parsed = new ArrayList<>();
    for (String w : workloads) {
      parsed.add(Workloads.parse(w));
    }
    GuestSystem guest = new GuestSystem(List.of(
        new GuestSystem.InterfaceSetup(Optional.of(new Ipv4Config(Ipv4Address.parse("10.0.0.1"), 24,
            Optional.empty())), false),
        new GuestSystem.InterfaceSetup(Optional.of(new Ipv4Config(Ipv4Address.parse("10.0.1.1"), 24,
            Optional.empty())), false)), parsed);
    guest.boot(env, List.of(lan0, lan1), verdicts::add);
    return guest;
  }

  private static WorkloadResult latest(GuestReport report, int index, int run) {
    WorkloadReport w = report.runsOf(index).get(run);
    return w.latest().orElseThrow();
  }

  @Test
  void clientsTakeTheInterfaceToTheirHostAndTheVerdictIsTheirs() {
    Workloads.parse("tcp-sink 5001").start(peer.stack.sockets());
    Workloads.parse("tcp-echo 7").start(peer.stack.sockets());
    Workloads.parse("http-serve 80 size=10KiB").start(peer.stack.sockets());
    GuestSystem guest = boot("tcp-sink 6000", "tcp-stream 10.0.1.2:5001 bytes=1MB",
        "tcp-rr 10.0.1.2:7 count=5", "http-get http://10.0.1.2/ count=2");
    assertTrue(clock.runUntil(() -> !verdicts.isEmpty(), 120 * SECOND), env.lines().toString());
    assertEquals(List.of(true), verdicts, env.lines().toString());
    GuestReport report = guest.report();
    assertEquals(2, report.runsOf(0).size(), "the server listens on both interfaces");
    assertEquals(1, report.runsOf(1).size(), "a client runs once");
    assertEquals(lan1.mac(), report.runsOf(1).get(0).nic());
    assertEquals(1_000_000, ((TcpStreamResult) latest(report, 1, 0)).bytesAcked());
    assertEquals(5, ((TcpRrResult) latest(report, 2, 0)).transactions());
    assertEquals(2, ((HttpGetResult) latest(report, 3, 0)).okCount());
    assertEquals(lan1.mac(), report.runsOf(3).get(0).nic());
    assertTrue(report.runsOf(0).stream().noneMatch(WorkloadReport::done), "servers run on");

    // the guest's own sink answers on the second interface too
    WorkloadRun in = Workloads.parse("tcp-stream 10.0.1.1:6000 bytes=1000B").start(peer.stack.sockets());
    assertTrue(clock.runUntil(in::done, 10 * SECOND));
    TcpSinkResult sink = (TcpSinkResult) guest.report().runsOf(0).get(1).soFar().orElseThrow();
    assertEquals(1000, sink.bytesReceived());
  }

  @Test
  void aRefusedClientFailsTheVerdict() {
    boot("tcp-stream 10.0.1.2:5001 bytes=1MB");
    assertTrue(clock.runUntil(() -> !verdicts.isEmpty(), 60 * SECOND));
    assertEquals(List.of(false), verdicts);
  }
}
