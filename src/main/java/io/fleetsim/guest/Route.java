package io.fleetsim.guest;

/**
 * Where a packet goes: the source address to put in it, and either a known destination MAC
 * (broadcast, multicast) or a next hop for ARP to resolve (on-link destination or gateway).
 */
record Route(int source, int destination, int nextHop, long mac, boolean loopback) {
  static final long UNRESOLVED = -1;

  static Route viaArp(int source, int destination, int nextHop) {
    return new Route(source, destination, nextHop, UNRESOLVED, false);
  }

  static Route direct(int source, int destination, long mac) {
    return new Route(source, destination, 0, mac, false);
  }

  static Route toSelf(int address) {
    return new Route(address, address, address, UNRESOLVED, true);
  }
}
