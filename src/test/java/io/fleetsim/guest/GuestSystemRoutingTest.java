package io.fleetsim.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.os.GuestReport;
import io.fleetsim.guest.os.GuestSystem;
import io.fleetsim.guest.os.GuestSystem.InterfaceSetup;
import io.fleetsim.guest.workload.Workloads;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guest OS applies the VM's Routing: a router forwards, a client leaves by its route. */
class GuestSystemRoutingTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long LATENCY = 100_000L;
  private final VirtualClock clock = new VirtualClock();

  /** One booted guest OS and its NICs. */
  private final class Guest {
    final VirtualGuestEnv env = new VirtualGuestEnv(clock);
    final List<FakeLink> links = new ArrayList<>();
    final List<Boolean> verdicts = new ArrayList<>();
    final GuestSystem os;

    Guest(Routing routing, List<String> workloads, int firstMac, String... nics) {
      List<InterfaceSetup> setups = new ArrayList<>();
      for (int i = 0; i < nics.length; i++) {
        String[] words = nics[i].split(" ");
        String[] cidr = words[0].split("/");
        setups.add(new InterfaceSetup(Optional.of(new Ipv4Config(Ipv4Address.parse(cidr[0]),
            Integer.parseInt(cidr[1]),
            words.length > 1 ? Optional.of(Ipv4Address.parse(words[1])) : Optional.empty())),
            false));
        links.add(new FakeLink(clock, FakeLink.mac(firstMac + i)));
      }
      os = new GuestSystem(setups, workloads.stream().map(Workloads::parse).toList(), false,
          StackMeter.NONE, routing);
      os.boot(env, new ArrayList<>(links), verdicts::add);
    }

    long counter(int nic, String key) {
      GuestReport r = os.report();
      return r.interfaces().get(nic).counters().get(key);
    }
  }

  private static Routing router(String... routes) {
    return new Routing(true, List.of(routes).stream().map(StaticRoute::parse).toList());
  }

  private boolean pingAcrossARouter(Routing routerRouting) {
    Guest a = new Guest(Routing.HOST, List.of("ping 10.2.0.10 count=3 interval=100ms"), 10,
        "10.1.0.10/24 10.1.0.1");
    Guest r = new Guest(routerRouting, List.of(), 1, "10.1.0.1/24", "10.2.0.1/24");
    Guest b = new Guest(Routing.HOST, List.of(), 20, "10.2.0.10/24 10.2.0.1");
    Wire.connect(clock, a.links.get(0), r.links.get(0), LATENCY);
    Wire.connect(clock, r.links.get(1), b.links.get(0), LATENCY);
    assertTrue(clock.runUntil(() -> !a.verdicts.isEmpty(), 60 * SECOND));
    assertEquals(routerRouting.forwarding() ? 3 : 0, r.counter(0, "rxForwarded"));
    assertEquals(routerRouting.forwarding() ? 3 : 0, r.counter(1, "txForwarded"));
    return a.verdicts.get(0);
  }

  @Test
  void aRouterVmForwardsBetweenItsNics() {
    assertTrue(pingAcrossARouter(router()));
  }

  @Test
  void theSameVmWithoutForwardingDoesNot() {
    assertEquals(false, pingAcrossARouter(Routing.HOST));
  }

  /**
   * A client on a two-NIC VM leaves by the NIC its static route names, not the one with the
   * default gateway, and its source is that NIC's address (the router knows no other way back).
   */
  @Test
  void aClientLeavesByTheInterfaceOfItsRoute() {
    Guest m = new Guest(new Routing(false, List.of(StaticRoute.parse("10.7.0.0/16 via 10.5.0.1"))),
        List.of("ping 10.7.0.10 count=2 interval=100ms"), 10, "10.1.0.10/24 10.1.0.1",
        "10.5.0.10/24");
    Guest r = new Guest(router(), List.of(), 1, "10.5.0.1/24", "10.7.0.1/24");
    Guest far = new Guest(Routing.HOST, List.of(), 20, "10.7.0.10/24 10.7.0.1");
    Wire.connect(clock, m.links.get(1), r.links.get(0), LATENCY);
    Wire.connect(clock, r.links.get(1), far.links.get(0), LATENCY);
    assertTrue(clock.runUntil(() -> !m.verdicts.isEmpty(), 60 * SECOND));
    assertEquals(List.of(true), m.verdicts, m.env.lines().toString());
    assertTrue(m.links.get(0).sent().stream().noneMatch(f -> f[12] == 0x08 && f[13] == 0),
        "no IPv4 out of NIC 0");
    assertEquals(2, m.counter(1, "icmpEchoRequestsSent"));
    assertTrue(m.env.lines().contains("--- 10.7.0.10 ping statistics ---"));
  }

  /** A single-NIC host with a static route via a gateway other than its default one. */
  @Test
  void aStaticRouteViaAnotherGatewayOnOneNic() {
    Guest a = new Guest(new Routing(false, List.of(StaticRoute.parse("10.2.0.0/16 via 10.1.0.254"))),
        List.of("ping 10.2.0.10 count=2 interval=100ms"), 10, "10.1.0.10/24 10.1.0.1");
    Guest wrong = new Guest(router(), List.of(), 1, "10.1.0.1/24", "10.3.0.1/24");
    Guest right = new Guest(router(), List.of(), 3, "10.1.0.254/24", "10.2.0.1/24");
    Guest b = new Guest(Routing.HOST, List.of(), 20, "10.2.0.10/24 10.2.0.1");
    new Hub(clock, LATENCY).attach(a.links.get(0)).attach(wrong.links.get(0))
        .attach(right.links.get(0));
    Wire.connect(clock, right.links.get(1), b.links.get(0), LATENCY);
    assertTrue(clock.runUntil(() -> !a.verdicts.isEmpty(), 60 * SECOND));
    assertEquals(List.of(true), a.verdicts, a.env.lines().toString());
    assertEquals(2, right.counter(0, "rxForwarded"));
    assertEquals(0, wrong.counter(0, "rxForwarded") + wrong.counter(0, "rxDropNoRoute"));
  }
}
