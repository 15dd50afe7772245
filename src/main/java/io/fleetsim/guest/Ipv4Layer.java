package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.addr.Ipv4Address;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * IPv4 for a host (RFC 791, RFC 1122): validates what arrives and hands it to the protocol
 * registered for it; routes what leaves (our own address, broadcast, multicast, on-link, default
 * gateway) and writes the header (TTL 64, no options, never fragmented).
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
  private final Map<Integer, Protocol> protocols = new HashMap<>();
  private Ipv4Config config;
  private int nextIdentification;

  Ipv4Layer(long ownMac, TxQueue tx, ArpResolver arp, StackCounters counters,
      Consumer<byte[]> loopback) {
    this.ownMac = ownMac;
    this.tx = tx;
    this.arp = arp;
    this.counters = counters;
    this.loopback = loopback;
  }

  void register(int protocol, Protocol handler) {
    protocols.put(protocol, handler);
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
    if (config == null || dst.isAny()) {
      return null;
    }
    int src = config.address().bits();
    if (dst.bits() == src) {
      return Route.toSelf(src);
    }
    if (dst.isBroadcast() || dst.equals(config.subnetBroadcast())) {
      return Route.direct(src, dst.bits(), Ethernet.BROADCAST);
    }
    if (dst.isMulticast()) {
      return Route.direct(src, dst.bits(), Ethernet.multicastMac(dst.bits()));
    }
    if (config.onLink(dst)) {
      return Route.viaArp(src, dst.bits(), dst.bits());
    }
    return config.gateway().map(gw -> Route.viaArp(src, dst.bits(), gw.bits())).orElse(null);
  }

  /** The next hop of {@code destination} is being resolved by ARP right now. */
  boolean resolving(Ipv4Address destination) {
    Route r = routeOrNull(destination);
    return r != null && r.mac() == Route.UNRESOLVED && !r.loopback() && arp.resolving(r.nextHop());
  }

  /** Writes the IPv4 and Ethernet headers around the transport message and sends it. */
  SendStatus send(Route route, int protocol, byte[] frame, int transportLength) {
    Ipv4Header.write(frame, Ethernet.HEADER, Ipv4Header.MIN_HEADER + transportLength,
        nextIdentification++ & 0xFFFF, Ipv4Header.DEFAULT_TTL, protocol, route.source(),
        route.destination());
    long mac = route.loopback() ? ownMac : route.mac() == Route.UNRESOLVED ? 0 : route.mac();
    Ethernet.writeHeader(frame, mac, ownMac, Ethernet.TYPE_IPV4);
    if (route.loopback()) {
      counters.increment(StackCounter.TX_LOOPBACK);
      loopback.accept(frame);
      return SendStatus.LOOPED_BACK;
    }
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
    if (!accepts(new Ipv4Address(h.destination()), h.protocol())) {
      return StackCounter.RX_DROP_NOT_FOR_US;
    }
    Protocol p = protocols.get(h.protocol());
    if (p == null) {
      return StackCounter.RX_DROP_UNKNOWN_PROTOCOL;
    }
    return p.receive(h, f, off + h.headerLength(), h.payloadLength());
  }

  /** Is {@code destination} our own unicast address? (Echo is not answered for broadcasts.) */
  boolean isOwnUnicast(int destination) {
    return config != null && destination == config.address().bits();
  }

  /** Our own or our subnet's broadcast address as a source from the wire (Linux: martian). */
  private boolean martian(Ipv4Address src) {
    return config != null && (src.equals(config.address()) || src.equals(config.subnetBroadcast()));
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
