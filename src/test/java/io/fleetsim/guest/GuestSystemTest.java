package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.os.GuestSystem;
import io.fleetsim.guest.socket.App;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.workload.Workloads;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guest OS on a fake NIC in virtual time: when its workloads start. */
class GuestSystemTest {
  private static final long SECOND = 1_000_000_000L;
  private static final int DISCARD = 9;

  private final VirtualClock clock = new VirtualClock();
  private final VirtualGuestEnv env = new VirtualGuestEnv(clock);
  private final FakeLink link = new FakeLink(clock, FakeLink.mac(0x56));
  private final ScriptedDhcpServer server = new ScriptedDhcpServer(clock, link);
  private final List<Boolean> verdicts = new ArrayList<>();

  private void boot() {
    GuestSystem guest = new GuestSystem(
        List.of(new GuestSystem.InterfaceSetup(Optional.empty(), true)),
        List.of(Workloads.parse("udp-send 10.0.2.2:" + DISCARD + " count=3")));
    guest.boot(env, List.of(link), verdicts::add);
  }

  /** UDP datagrams the workload sent to the discard port. */
  private long workloadDatagrams() {
    return link.sent().stream().filter(f -> ByteBuffer.wrap(f).getShort(12) == 0x0800
        && f[23] == 17 && ByteBuffer.wrap(f).getShort(36) == DISCARD).count();
  }

  /**
   * No DHCP server for ten minutes: the guest neither gives up nor starts its workloads; when a
   * server appears, the lease comes and the workloads start with it, and only then.
   */
  @Test
  void workloadsStartWhenTheLateLeaseIsConfigured() {
    server.silent = true;
    boot();
    clock.runFor(600 * SECOND);
    assertEquals(0, workloadDatagrams());
    assertTrue(verdicts.isEmpty(), "no verdict while still asking: " + verdicts);
    assertTrue(env.lines().stream().noneMatch(l -> l.startsWith("lease")), env.lines().toString());

    server.silent = false;
    assertTrue(clock.runUntil(() -> verdicts.size() == 1, 120 * SECOND),
        "lease and workload: " + env.lines());
    assertEquals(List.of(true), verdicts);
    assertEquals(3, workloadDatagrams());
    assertTrue(env.lines().contains("lease 10.0.2.15/24 from 10.0.2.2 (router 10.0.2.2)"),
        env.lines().toString());
  }

  /** With a server at hand the workloads start as soon as the lease is bound. */
  @Test
  void workloadsStartWithAPromptLease() {
    boot();
    assertTrue(clock.runUntil(() -> verdicts.size() == 1, 60 * SECOND), env.lines().toString());
    assertEquals(List.of(true), verdicts);
    assertEquals(3, workloadDatagrams());
  }

  /** A user's app that only says when it starts (it runs until stopped: a server by its kind). */
  public static final class Announcer implements App {
    @Override
    public void configure(java.util.Map<String, String> args) {}

    @Override
    public void start(Sockets sockets, Runnable finished) {
      sockets.print("announcer up");
    }

    @Override
    public void stop() {}

    @Override
    public String summary() {
      return "announcer";
    }
  }

  /**
   * A user's app may send first whatever it says of itself: it starts with the clients, once the
   * experiment releases them (every VM up), not with the servers when the address comes.
   */
  @Test
  void anAppStartsWithTheClientsWhenReleased() {
    GuestSystem guest = new GuestSystem(List.of(new GuestSystem.InterfaceSetup(Optional.of(
        new Ipv4Config(Ipv4Address.parse("10.0.0.5"), 24, Optional.empty())), false)),
        List.of(Workloads.parse("app " + Announcer.class.getName()), Workloads.parse("udp-sink 9000")), true);
    guest.boot(env, List.of(link), verdicts::add);
    clock.runFor(SECOND);
    assertFalse(env.lines().contains("announcer up"), env.lines().toString());
    assertEquals(1, guest.report().workloads().size(), "the sink listens already");
    guest.release();
    clock.runFor(SECOND);
    assertTrue(env.lines().contains("announcer up"), env.lines().toString());
    assertEquals(2, guest.report().workloads().size());
  }
}
