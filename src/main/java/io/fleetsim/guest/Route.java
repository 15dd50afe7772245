package io.fleetsim.guest;

/**
 * Where a packet goes: the source address to put in it, and either a known destination MAC
 * (broadcast, multicast) or a next hop for ARP to resolve (on-link destination or gateway), and
 * the interface it leaves by ({@code out}; null: the stack that sends it).
 */
record Route(int source, int destination, int nextHop, long mac, boolean loopback,
    Ipv4Layer out) {
  static final long UNRESOLVED = -1;

  static Route viaArp(int source, int destination, int nextHop) {
    return new Route(source, destination, nextHop, UNRESOLVED, false, null);
  }

  static Route direct(int source, int destination, long mac) {
    return new Route(source, destination, 0, mac, false, null);
  }

  static Route toSelf(int address) {
    return new Route(address, address, address, UNRESOLVED, true, null);
  }

  /** The same route, leaving by {@code egress}. */
  Route on(Ipv4Layer egress) {
    return new Route(source, destination, nextHop, mac, loopback, egress);
  }
}
