package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A simulated VM with several NICs for routing tests: one virtual env, and one stack per NIC
 * sharing one {@link RoutingTable} built from the given {@link Routing}.
 */
public final class TestVm {
  public final VirtualGuestEnv env;
  public final RoutingTable table;
  private final VirtualClock clock;
  private final List<FakeLink> links = new ArrayList<>();
  private final List<NetStack> stacks = new ArrayList<>();

  public TestVm(VirtualClock clock, Routing routing) {
    this.clock = clock;
    this.env = new VirtualGuestEnv(clock, 1);
    this.table = new RoutingTable(routing);
  }

  /** A router: forwarding on, with these static routes ("10.2.0.0/16 via 10.9.0.2"). */
  public static TestVm router(VirtualClock clock, String... routes) {
    return new TestVm(clock, new Routing(true, parse(routes)));
  }

  /** A host: no forwarding, with these static routes. */
  public static TestVm host(VirtualClock clock, String... routes) {
    return new TestVm(clock, new Routing(false, parse(routes)));
  }

  private static List<StaticRoute> parse(String... routes) {
    List<StaticRoute> out = new ArrayList<>();
    for (String r : routes) {
      out.add(StaticRoute.parse(r));
    }
    return out;
  }

  /** Adds a NIC with MAC ...:{@code macLast} addressed {@code cidr} ("10.1.0.1/24"). */
  public TestVm nic(int macLast, String cidr) {
    return nic(macLast, cidr, null);
  }

  /** As {@link #nic(int, String)} with a default gateway (null for none). */
  public TestVm nic(int macLast, String cidr, String gateway) {
    FakeLink link = new FakeLink(clock, FakeLink.mac(macLast));
    NetStack stack = new NetStack(env, link, StackMeter.NONE, table);
    String[] parts = cidr.split("/");
    stack.configure(Ipv4Address.parse(parts[0]), Integer.parseInt(parts[1]),
        Optional.ofNullable(gateway).map(Ipv4Address::parse));
    links.add(link);
    stacks.add(stack);
    return this;
  }

  public FakeLink link(int nic) {
    return links.get(nic);
  }

  public NetStack stack(int nic) {
    return stacks.get(nic);
  }

  public long count(int nic, StackCounter c) {
    return stacks.get(nic).counters().get(c);
  }

  /** The counter summed over every NIC. */
  public long count(StackCounter c) {
    long sum = 0;
    for (NetStack s : stacks) {
      sum += s.counters().get(c);
    }
    return sum;
  }

  /** Every NIC's receive accounting holds. */
  public boolean rxAccounted() {
    return stacks.stream().allMatch(s -> s.counters().rxAccounted());
  }
}
