package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.addr.MacAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * ARP (RFC 826) for one interface: a cache whose entries live {@link #LIFETIME_NANOS} after the
 * last word from their owner, broadcast requests retried every second up to
 * {@link #MAX_REQUESTS} times, and per unresolved address a queue of waiting frames bounded at
 * {@link #MAX_HELD_PER_ADDRESS} (the oldest is dropped, as Linux does). Replies to requests for
 * our address, including RFC 5227 probes; announces our address with a gratuitous request.
 */
final class ArpResolver {
  static final long LIFETIME_NANOS = 60_000_000_000L;
  static final long RETRY_NANOS = 1_000_000_000L;
  static final int MAX_REQUESTS = 3;
  static final int MAX_HELD_PER_ADDRESS = 100;
  static final int MAX_RESOLVING = 256;
  static final int MAX_ENTRIES = 4096;

  private record Entry(long mac, long expiresAt) {}

  private static final class Resolution {
    final int address;
    final ArrayDeque<byte[]> held = new ArrayDeque<>();
    int requests;
    GuestEnv.Cancellable timer;

    Resolution(int address) {
      this.address = address;
    }
  }

  private final long ownMac;
  private final IntSupplier ownAddress;
  private final Timers timers;
  private final TxQueue tx;
  private final StackCounters counters;
  private final Consumer<String> console;
  private final Runnable resolutionChanged;
  private final Consumer<byte[]> gaveUp;
  private final Map<Integer, Entry> cache = new HashMap<>();
  private final Map<Integer, Resolution> resolving = new HashMap<>();
  private final Set<Long> conflictsReported = new HashSet<>();
  // permanent entries (`ip neigh add ... nud permanent`), shared by every VM of a fleet: a big
  // fleet on one switch would otherwise spend its start on N broadcasts to N ports
  private Neighbours permanent = Neighbours.NONE;

  /**
   * @param ownAddress our IPv4 address as an int, 0 while unconfigured
   * @param resolutionChanged called after an address resolved or failed (send readiness)
   * @param gaveUp hears of each frame dropped because its next hop never answered (a router
   *     answers forwarded ones with host unreachable)
   */
  ArpResolver(long ownMac, IntSupplier ownAddress, Timers timers, TxQueue tx,
      StackCounters counters, Consumer<String> console, Runnable resolutionChanged,
      Consumer<byte[]> gaveUp) {
    this.ownMac = ownMac;
    this.ownAddress = ownAddress;
    this.timers = timers;
    this.tx = tx;
    this.counters = counters;
    this.console = console;
    this.resolutionChanged = resolutionChanged;
    this.gaveUp = gaveUp;
  }

  /** Permanent entries; with any, no announcements are sent. */
  void permanent(Neighbours neighbours) {
    this.permanent = neighbours;
  }

  /** Sends a frame whose destination MAC is still to be filled in for {@code nextHop}. */
  SendStatus send(int nextHop, byte[] frame) {
    Long fixed = permanent.mac(nextHop);
    if (fixed != null) {
      Ethernet.writeDestination(frame, fixed);
      return tx.transmit(frame);
    }
    Entry entry = cache.get(nextHop);
    if (entry != null) {
      if (entry.expiresAt - timers.now() > 0) {
        Ethernet.writeDestination(frame, entry.mac);
        return tx.transmit(frame);
      }
      cache.remove(nextHop);
    }
    Resolution r = resolving.get(nextHop);
    if (r == null) {
      if (resolving.size() >= MAX_RESOLVING) {
        counters.increment(StackCounter.TX_DROP_ARP_QUEUE_FULL);
        return SendStatus.QUEUE_FULL;
      }
      r = new Resolution(nextHop);
      resolving.put(nextHop, r);
      r.held.addLast(frame);
      request(r);
      return SendStatus.RESOLVING;
    }
    if (r.held.size() >= MAX_HELD_PER_ADDRESS) {
      r.held.pollFirst();
      counters.increment(StackCounter.TX_DROP_ARP_QUEUE_FULL);
    }
    r.held.addLast(frame);
    return SendStatus.RESOLVING;
  }

  boolean resolving(int address) {
    return resolving.containsKey(address);
  }

  Optional<Long> lookup(int address) {
    Long fixed = permanent.mac(address);
    if (fixed != null) {
      return Optional.of(fixed);
    }
    Entry e = cache.get(address);
    return e != null && e.expiresAt - timers.now() > 0 ? Optional.of(e.mac) : Optional.empty();
  }

  /** A gratuitous ARP request (RFC 5227 announcement): sender and target are our address. */
  void announce() {
    int own = ownAddress.getAsInt();
    if (own == 0 || !permanent.isEmpty()) {
      return;
    }
    counters.increment(StackCounter.ARP_ANNOUNCEMENTS_SENT);
    tx.transmit(new ArpPacket(ArpPacket.REQUEST, ownMac, own, 0, own).frame(Ethernet.BROADCAST));
  }

  /** Address gone or changed: pending resolutions fail, the cache is emptied. */
  void reset() {
    for (Resolution r : resolving.values()) {
      r.timer.cancel();
      counters.add(StackCounter.TX_DROP_ARP_FAILED, r.held.size());
    }
    boolean hadPending = !resolving.isEmpty();
    resolving.clear();
    cache.clear();
    if (hadPending) {
      resolutionChanged.run();
    }
  }

  StackCounter receive(byte[] f, int off, int len) {
    ArpPacket p;
    try {
      p = ArpPacket.parse(f, off, len);
    } catch (Malformed m) {
      return m.counter();
    }
    if (p.operation() == ArpPacket.REQUEST) {
      counters.increment(StackCounter.ARP_REQUESTS_RECEIVED);
    } else if (p.operation() == ArpPacket.REPLY) {
      counters.increment(StackCounter.ARP_REPLIES_RECEIVED);
    } else {
      return StackCounter.RX_DROP_UNSUPPORTED;
    }
    Ipv4Address sender = new Ipv4Address(p.senderIp());
    if (p.senderMac() == 0 || Ethernet.isGroup(p.senderMac()) || sender.isBroadcast()
        || sender.isMulticast()) {
      return StackCounter.RX_DROP_BAD_ADDRESS;
    }
    int own = ownAddress.getAsInt();
    if (own == 0) {
      return StackCounter.RX_DROP_NOT_FOR_US;
    }
    if (p.senderIp() == own) {
      counters.increment(StackCounter.ARP_CONFLICTS);
      if (conflictsReported.add(p.senderMac())) {
        console.accept("arp: " + sender + " is also claimed by " + macText(p.senderMac()));
      }
      return StackCounter.RX_DROP_NOT_FOR_US;
    }
    // RFC 826 merge: refresh what we already know (or are asking for) about the sender.
    boolean merged = false;
    if (p.senderIp() != 0
        && (cache.containsKey(p.senderIp()) || resolving.containsKey(p.senderIp()))) {
      learn(p.senderIp(), p.senderMac());
      merged = true;
    }
    if (p.targetIp() != own) {
      return merged ? StackCounter.RX_DELIVERED : StackCounter.RX_DROP_NOT_FOR_US;
    }
    if (!merged && p.senderIp() != 0) {
      learn(p.senderIp(), p.senderMac());
    }
    if (p.operation() == ArpPacket.REQUEST) {
      counters.increment(StackCounter.ARP_REPLIES_SENT);
      tx.transmit(new ArpPacket(ArpPacket.REPLY, ownMac, own, p.senderMac(), p.senderIp())
          .frame(p.senderMac()));
    }
    return StackCounter.RX_DELIVERED;
  }

  private void request(Resolution r) {
    r.requests++;
    counters.increment(StackCounter.ARP_REQUESTS_SENT);
    tx.transmit(new ArpPacket(ArpPacket.REQUEST, ownMac, ownAddress.getAsInt(), 0, r.address)
        .frame(Ethernet.BROADCAST));
    r.timer = timers.after(RETRY_NANOS, () -> retry(r));
  }

  private void retry(Resolution r) {
    if (resolving.get(r.address) != r) {
      return;
    }
    if (r.requests < MAX_REQUESTS) {
      request(r);
      return;
    }
    resolving.remove(r.address);
    counters.increment(StackCounter.ARP_RESOLUTION_FAILURES);
    counters.add(StackCounter.TX_DROP_ARP_FAILED, r.held.size());
    for (byte[] frame : r.held) {
      gaveUp.accept(frame);
    }
    resolutionChanged.run();
  }

  private void learn(int address, long mac) {
    long now = timers.now();
    if (!cache.containsKey(address) && cache.size() >= MAX_ENTRIES) {
      evict(now);
    }
    cache.put(address, new Entry(mac, now + LIFETIME_NANOS));
    Resolution r = resolving.remove(address);
    if (r != null) {
      r.timer.cancel();
      for (byte[] frame : r.held) {
        Ethernet.writeDestination(frame, mac);
        tx.transmit(frame);
      }
      resolutionChanged.run();
    }
  }

  /**
   * Drops expired entries, or failing that the one closest to expiry; of several learnt at the
   * same instant, the lowest address, so that the choice never rests on the map's order.
   */
  private void evict(long now) {
    cache.values().removeIf(e -> e.expiresAt - now <= 0);
    if (cache.size() < MAX_ENTRIES) {
      return;
    }
    Iterator<Map.Entry<Integer, Entry>> it = cache.entrySet().iterator();
    Map.Entry<Integer, Entry> oldest = it.next();
    while (it.hasNext()) {
      Map.Entry<Integer, Entry> e = it.next();
      long older = e.getValue().expiresAt - oldest.getValue().expiresAt;
      if (older < 0 || older == 0 && Integer.compareUnsigned(e.getKey(), oldest.getKey()) < 0) {
        oldest = e;
      }
    }
    cache.remove(oldest.getKey());
  }

  private static String macText(long mac) {
    return new MacAddress(mac).toString();
  }
}
