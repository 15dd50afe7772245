package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.addr.Ipv4Address;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * IPv4 on one interface (RFC 791, RFC 1122, RFC 1812 for forwarding): validates what arrives
 * and hands it to the protocol registered for it, or to the interface owning the destination
 * (one host: an address of any interface is accepted on every one), or, on a router, forwards
 * it. What leaves is routed by the VM's {@link RoutingTable} and may leave by another interface;
 * the header has no options and the packet is never fragmented.
 */
final class Ipv4Layer {
  /** A transport protocol above IPv4: {@code off}/{@code len} frame its part of the packet. */
  interface Protocol {
    StackCounter receive(Ipv4Header ip, byte[] frame, int off, int len);
  }

  static final int PAYLOAD_OFFSET = Ethernet.HEADER + Ipv4Header.MIN_HEADER;
  /** The largest transport message that fits a 1500-byte MTU without fragmenting. */
  static final int MAX_PAYLOAD = Ethernet.MTU - Ipv4Header.MIN_HEADER;

  private final long ownMac;
  private final TxQueue tx;
  private final ArpResolver arp;
  private final StackCounters counters;
  private final Consumer<byte[]> loopback;
  private final RoutingTable table;
  private final Runnable readiness;
  private final Map<Integer, Protocol> protocols = new HashMap<>();
  private Icmp icmp;
  private Ipv4Config config;
  private int nextIdentification;

  /**
   * @param table the VM's routing table; this interface joins it
   * @param readiness runs when sending may have become possible (a frame left, ARP finished)
   */
  Ipv4Layer(long ownMac, TxQueue tx, ArpResolver arp, StackCounters counters,
      Consumer<byte[]> loopback, RoutingTable table, Runnable readiness) {
    this.ownMac = ownMac;
    this.tx = tx;
    this.arp = arp;
    this.counters = counters;
    this.loopback = loopback;
    this.table = table;
    this.readiness = readiness;
    table.join(this);
  }

  void register(int protocol, Protocol handler) {
    protocols.put(protocol, handler);
    if (handler instanceof Icmp i) {
      icmp = i;
    }
  }

  Optional<Ipv4Config> config() {
    return Optional.ofNullable(config);
  }

  void config(Optional<Ipv4Config> newConfig) {
    this.config = newConfig.orElse(null);
  }

  /** Our address as an int, 0 while unconfigured. */
  int address() {
    return config == null ? 0 : config.address().bits();
  }

  RoutingTable table() {
    return table;
  }

  /** The zeroed frame for a packet carrying {@code transportLength} bytes. */
  static byte[] allocate(int transportLength) {
    return Ethernet.allocate(Ipv4Header.MIN_HEADER + transportLength);
  }

  /** Where a packet to {@code destination} goes; null (counted) when there is no route. */
  Route route(Ipv4Address destination) {
    Route r = routeOrNull(destination);
    if (r == null) {
      counters.increment(StackCounter.TX_DROP_NO_ROUTE);
    }
    return r;
  }

  private Route routeOrNull(Ipv4Address dst) {
    return table.route(dst, this);
  }

  private Ipv4Layer egress(Route r) {
    return r.out() == null ? this : r.out();
  }

  /** The next hop of {@code destination} is being resolved by ARP right now. */
  boolean resolving(Ipv4Address destination) {
    return resolving(routeOrNull(destination));
  }

  private boolean resolving(Route r) {
    return r != null && r.mac() == Route.UNRESOLVED && !r.loopback()
        && egress(r).arp.resolving(r.nextHop());
  }

  /** A packet to {@code destination} would leave now: its interface holds nothing, ARP is done. */
  boolean canSend(Ipv4Address destination) {
    Route r = routeOrNull(destination); // one lookup: this is on every paced sender's path
    Ipv4Layer out = r == null ? this : egress(r);
    return out.tx.idle() && !resolving(r);
  }

  void sendReadinessChanged() {
    readiness.run();
  }

  /** Writes the IPv4 and Ethernet headers around the transport message and sends it (TTL 64). */
  SendStatus send(Route route, int protocol, byte[] frame, int transportLength) {
    return send(route, protocol, frame, transportLength, Ipv4Header.DEFAULT_TTL);
  }

  /** As {@link #send(Route, int, byte[], int)} with the given TTL (1-255). */
  SendStatus send(Route route, int protocol, byte[] frame, int transportLength, int ttl) {
    Ipv4Header.write(frame, Ethernet.HEADER, Ipv4Header.MIN_HEADER + transportLength,
        nextIdentification++ & 0xFFFF, ttl, protocol, route.source(), route.destination());
    if (route.loopback()) {
      Ethernet.writeHeader(frame, ownMac, ownMac, Ethernet.TYPE_IPV4);
      counters.increment(StackCounter.TX_LOOPBACK);
      loopback.accept(frame);
      return SendStatus.LOOPED_BACK;
    }
    return egress(route).transmit(route, frame);
  }

  /** The egress half: Ethernet header with this interface's MAC, then the link or ARP. */
  private SendStatus transmit(Route route, byte[] frame) {
    long mac = route.mac() == Route.UNRESOLVED ? 0 : route.mac();
    Ethernet.writeHeader(frame, mac, ownMac, Ethernet.TYPE_IPV4);
    if (route.mac() == Route.UNRESOLVED) {
      return arp.send(route.nextHop(), frame);
    }
    return tx.transmit(frame);
  }

  /** A packet from the wire. */
  StackCounter receive(byte[] f, int off, int len) {
    return receive(f, off, len, false);
  }

  /** A packet we sent to ourselves: our own source address is fine then. */
  StackCounter receiveLooped(byte[] f, int off, int len) {
    return receive(f, off, len, true);
  }

  private StackCounter receive(byte[] f, int off, int len, boolean looped) {
    Ipv4Header h;
    try {
      h = Ipv4Header.parse(f, off, len);
    } catch (Malformed m) {
      return m.counter();
    }
    if (h.isFragment()) {
      return StackCounter.RX_DROP_FRAGMENT;
    }
    Ipv4Address src = new Ipv4Address(h.source());
    if (src.isBroadcast() || src.isMulticast() || (!looped && martian(src))) {
      return StackCounter.RX_DROP_BAD_ADDRESS;
    }
    if (accepts(new Ipv4Address(h.destination()), h.protocol())) {
      return deliver(h, f, off);
    }
    Ipv4Layer owner = table.owner(h.destination());
    if (owner != null) {
      return owner.deliver(h, f, off);
    }
    if (!looped && table.forwarding() && forwardable(f, h)) {
      return forward(h, f, off);
    }
    return StackCounter.RX_DROP_NOT_FOR_US;
  }

  private StackCounter deliver(Ipv4Header h, byte[] f, int off) {
    Protocol p = protocols.get(h.protocol());
    if (p == null) {
      return StackCounter.RX_DROP_UNKNOWN_PROTOCOL;
    }
    return p.receive(h, f, off + h.headerLength(), h.payloadLength());
  }

  /**
   * RFC 1812 5.3.7 and 4.2.2.11: only a unicast packet sent to our MAC, between hosts with
   * real addresses; never a broadcast of any kind, 0/8, 127/8 or 240/4 (class E).
   */
  private boolean forwardable(byte[] f, Ipv4Header h) {
    if (Ethernet.destination(f) != ownMac) {
      return false;
    }
    return hostAddress(h.destination()) && hostAddress(h.source())
        && !table.subnetBroadcast(h.destination());
  }

  /** Unicast, not 0/8, 127/8, 224/4 or 240/4. */
  static boolean hostAddress(int a) {
    int first = a >>> 24;
    return first != 0 && first != 127 && first < 224;
  }

  /**
   * Forwards a packet not for us (RFC 1812 5.2): route it, decrement its TTL with an
   * incremental checksum update (RFC 1624), and send it out of the egress interface through that
   * interface's ARP. Linux's order: no route is net unreachable even when the TTL is spent too.
   */
  private StackCounter forward(Ipv4Header h, byte[] f, int off) {
    RoutingTable.Hop hop = table.unicast(h.destination());
    if (hop == null) {
      icmpError(IcmpMessage.DEST_UNREACHABLE, IcmpMessage.NET_UNREACHABLE, h, f, off);
      return StackCounter.RX_DROP_NO_ROUTE;
    }
    if (h.ttl() <= 1) {
      icmpError(IcmpMessage.TIME_EXCEEDED, IcmpMessage.TTL_EXCEEDED, h, f, off);
      return StackCounter.RX_DROP_TTL_EXCEEDED;
    }
    byte[] out = Ethernet.allocate(h.totalLength());
    System.arraycopy(f, off, out, Ethernet.HEADER, h.totalLength());
    Ipv4Header.decrementTtl(out, Ethernet.HEADER);
    hop.out().forwardOut(out, hop.nextHop());
    return StackCounter.RX_FORWARDED;
  }

  private void forwardOut(byte[] frame, int nextHop) {
    counters.increment(StackCounter.TX_FORWARDED);
    Ethernet.writeHeader(frame, 0, ownMac, Ethernet.TYPE_IPV4);
    arp.send(nextHop, frame);
  }

  private void icmpError(int type, int code, Ipv4Header h, byte[] f, int off) {
    if (icmp != null) {
      icmp.error(type, code, h, f, off);
    }
  }

  /**
   * ARP gave up on a frame's next hop: a forwarded packet (a source that is none of ours) is
   * answered with host unreachable from the interface that leads back to its source.
   */
  void arpFailed(byte[] frame) {
    Ipv4Header h;
    try {
      h = Ipv4Header.parse(frame, Ethernet.HEADER, frame.length - Ethernet.HEADER);
    } catch (Malformed m) {
      return;
    }
    if (table.owner(h.source()) != null || !table.forwarding()) {
      return;
    }
    RoutingTable.Hop back = table.unicast(h.source());
    if (back != null) {
      back.out().icmpError(IcmpMessage.DEST_UNREACHABLE, IcmpMessage.HOST_UNREACHABLE, h, frame,
          Ethernet.HEADER);
    }
  }

  /** Is {@code destination} our own unicast address? (Echo is not answered for broadcasts.) */
  boolean isOwnUnicast(int destination) {
    return config != null && destination == config.address().bits();
  }

  /** An address or subnet broadcast of any of our interfaces as a source from the wire. */
  private boolean martian(Ipv4Address src) {
    return (config != null && src.equals(config.subnetBroadcast()))
        || table.owner(src.bits()) != null || table.subnetBroadcast(src.bits());
  }

  private boolean accepts(Ipv4Address dst, int protocol) {
    if (dst.isBroadcast()) {
      return true;
    }
    if (config == null) {
      // A DHCP server may unicast the offer to the address it offers (RFC 2131 4.1).
      return protocol == Ipv4Header.PROTOCOL_UDP && !dst.isMulticast() && !dst.isAny();
    }
    return dst.equals(config.address()) || dst.equals(config.subnetBroadcast())
        || dst.equals(Ipv4Address.ALL_HOSTS);
  }
}
