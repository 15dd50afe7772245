package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One VM's IPv4 routing table, shared by the {@link NetStack}s of its interfaces so that they
 * route as one host: a packet leaves by the interface and next hop of the longest matching
 * prefix among the connected subnets of every interface, the static routes of {@link Routing}
 * and the interfaces' default gateways. At equal prefix length a connected subnet beats a
 * static route, and a static route beats a gateway; among gateways the first interface wins.
 * The table is read at every lookup, so addresses set later (DHCP) count at once.
 *
 * <p>A stack built without a table gets one of its own ({@link Routing#HOST}): the single-NIC
 * host fleetsim always had. Everything runs on the VM thread.
 */
public final class RoutingTable {
  /** The egress of a unicast destination: the interface and the neighbour to ARP for. */
  record Hop(Ipv4Layer out, int nextHop) {}

  private final Routing routing;
  private final List<Ipv4Layer> interfaces = new ArrayList<>();

  public RoutingTable(Routing routing) {
    this.routing = Objects.requireNonNull(routing, "routing");
  }

  public Routing routing() {
    return routing;
  }

  public boolean forwarding() {
    return routing.forwarding();
  }

  /**
   * The index (in the order the stacks joined, i.e. NIC order) of the interface a packet to
   * {@code destination} would leave by; empty when there is no route. Our own addresses are
   * reached on their interface.
   */
  public OptionalInt interfaceFor(Ipv4Address destination) {
    Ipv4Layer owner = owner(destination.bits());
    if (owner != null) {
      return OptionalInt.of(interfaces.indexOf(owner));
    }
    Hop hop = unicast(destination.bits());
    return hop == null ? OptionalInt.empty() : OptionalInt.of(interfaces.indexOf(hop.out()));
  }

  void join(Ipv4Layer layer) {
    interfaces.add(layer);
  }

  /**
   * Where a packet {@code origin}'s sockets send to {@code dst} goes; null when nowhere. The
   * source is {@code origin}'s address (as a socket bound to it: replies come back to the stack
   * that holds the socket), or the egress interface's while {@code origin} has none.
   */
  Route route(Ipv4Address dst, Ipv4Layer origin) {
    if (dst.isAny()) {
      return null;
    }
    int d = dst.bits();
    int own = origin.address();
    if (owner(d) != null) {
      return Route.toSelf(d);
    }
    if (dst.isBroadcast()) {
      return own == 0 ? null : Route.direct(own, d, Ethernet.BROADCAST);
    }
    if (dst.isMulticast()) {
      return own == 0 ? null : Route.direct(own, d, Ethernet.multicastMac(d));
    }
    for (Ipv4Layer m : interfaces) {
      if (m.address() != 0 && m.config().orElseThrow().subnetBroadcast().bits() == d) {
        return Route.direct(own != 0 ? own : m.address(), d, Ethernet.BROADCAST).on(m);
      }
    }
    Hop hop = unicast(d);
    if (hop == null) {
      return null;
    }
    int source = own != 0 ? own : hop.out().address();
    return Route.viaArp(source, d, hop.nextHop()).on(hop.out());
  }

  /** Longest prefix over connected subnets, static routes and gateways; null for none. */
  Hop unicast(int d) {
    Ipv4Address dst = new Ipv4Address(d);
    Hop best = null;
    int bestPrefix = -1;
    for (Ipv4Layer m : interfaces) {
      Ipv4Config c = m.config().orElse(null);
      if (c != null && c.onLink(dst) && c.prefixLength() > bestPrefix) {
        best = new Hop(m, d);
        bestPrefix = c.prefixLength();
      }
    }
    for (StaticRoute r : routing.routes()) {
      int prefix = r.destination().prefixLength();
      if (prefix > bestPrefix && r.matches(dst)) {
        Ipv4Layer out = connected(r.via());
        if (out != null) { // a gateway on none of our subnets (yet): the route is unusable
          best = new Hop(out, r.via().bits());
          bestPrefix = prefix;
        }
      }
    }
    if (bestPrefix < 0) {
      for (Ipv4Layer m : interfaces) {
        Ipv4Config c = m.config().orElse(null);
        if (c != null && c.gateway().isPresent()) {
          return new Hop(m, c.gateway().get().bits());
        }
      }
    }
    return best;
  }

  /** The interface whose address is {@code address}; null when it is none of ours. */
  Ipv4Layer owner(int address) {
    if (address == 0) {
      return null;
    }
    for (Ipv4Layer m : interfaces) {
      if (m.address() == address) {
        return m;
      }
    }
    return null;
  }

  /** Is {@code address} the broadcast address of one of our subnets (never forwarded)? */
  boolean subnetBroadcast(int address) {
    for (Ipv4Layer m : interfaces) {
      if (m.address() != 0 && m.config().orElseThrow().subnetBroadcast().bits() == address) {
        return true;
      }
    }
    return false;
  }

  /** A frame left or a neighbour resolved on some interface: every stack rechecks its waiters. */
  void changed() {
    for (Ipv4Layer m : interfaces) {
      m.sendReadinessChanged();
    }
  }

  private Ipv4Layer connected(Ipv4Address gateway) {
    for (Ipv4Layer m : interfaces) {
      Ipv4Config c = m.config().orElse(null);
      if (c != null && c.onLink(gateway) && !c.address().equals(gateway)) {
        return m;
      }
    }
    return null;
  }
}
