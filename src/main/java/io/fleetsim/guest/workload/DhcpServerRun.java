package io.fleetsim.guest.workload;

import io.fleetsim.addr.Cidr;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.addr.MacAddress;
import io.fleetsim.guest.DhcpMessage;
import io.fleetsim.guest.socket.Sockets;
import io.fleetsim.guest.socket.UdpDatagram;
import io.fleetsim.guest.socket.UdpSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One dhcp-server run on one interface (RFC 2131 section 4.3). Each pool address is a slot:
 * free, offered (held for the client for {@link #OFFER_HOLD_NANOS}), leased until its expiry, or
 * declined (kept from everyone for {@link #DECLINE_HOLD_NANOS}). A slot remembers the client it
 * was last bound to, so that a client asking again gets its old address back while no one else
 * took it. Expiry is read from the clock when a slot is looked at; no timers. Replies go to
 * 255.255.255.255:68 (every client on the link hears them and keeps those with its chaddr).
 */
final class DhcpServerRun extends TallyRun<DhcpServerResult> {
  /** How long an OFFER holds its address for the client before anyone may get it. */
  static final long OFFER_HOLD_NANOS = 60_000_000_000L;
  /** How long a DECLINEd address (someone else uses it) stays out of the pool. */
  static final long DECLINE_HOLD_NANOS = 600_000_000_000L;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private enum State { FREE, OFFERED, LEASED, DECLINED }

  private static final class Slot {
    State state = State.FREE;
    /** The client last bound here (kept once free: its address to come back to), or null. */
    String client;
    long mac;
    long until;
  }

  private final DhcpServerWorkload spec;
  private final DhcpPool pool;
  private final Slot[] slots;
  /** Client key to the slot it was last bound to: a lookup only, never iterated. */
  private final Map<String, Integer> bound = new HashMap<>();
  private final Optional<Cidr> iface;
  private final Optional<String> idle;
  private final boolean refused;
  private final UdpSocket socket;
  private long datagrams;
  private long discovers;
  private long requests;
  private long offers;
  private long acks;
  private long naks;
  private long declines;
  private long releases;
  private long exhausted;
  private long malformed;
  private long ignored;
  private long sendFailures;

  DhcpServerRun(DhcpServerWorkload spec, Sockets stack) {
    super(stack);
    this.spec = spec;
    this.pool = spec.pool();
    this.iface = stack.subnet();
    DhcpServerWorkload.Fit fit = iface.map(spec::fitOn)
        .orElse(DhcpServerWorkload.Fit.refuse("this interface has no address"));
    UdpSocket bound = null;
    if (fit.serves()) {
      try {
        bound = stack.udpBind(DhcpMessage.SERVER_PORT, this::onDatagram);
      } catch (IllegalStateException e) {
        fit = DhcpServerWorkload.Fit.refuse("UDP port 67 is taken (another dhcp-server here?)");
      }
    }
    this.socket = bound;
    this.idle = fit.serves() ? Optional.empty() : Optional.of(fit.why());
    this.refused = fit.refused();
    this.slots = new Slot[fit.serves() ? pool.size() : 0];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot();
    }
    String where = iface.map(c -> " on " + c).orElse("");
    stack.print(fit.serves() ? "dhcp-server: serving " + pool + where
        : "dhcp-server: " + (refused ? "refusing to serve" : "idle") + where + ": " + fit.why());
  }

  private void onDatagram(UdpDatagram d) {
    datagrams++;
    DhcpMessage m;
    try {
      m = DhcpMessage.decode(d.payload());
    } catch (IllegalArgumentException e) {
      malformed++;
      return;
    }
    int type = m.messageType();
    if (m.op() != DhcpMessage.BOOTREQUEST || type == 0 || !wellFormed(m)) {
      malformed++;
      return;
    }
    String client = clientKey(m);
    long now = stack.nanoTime();
    switch (type) {
      case DhcpMessage.DISCOVER:
        discovers++;
        onDiscover(m, client, now);
        break;
      case DhcpMessage.REQUEST:
        requests++;
        onRequest(m, client, now);
        break;
      case DhcpMessage.DECLINE:
        onDecline(m, client, now);
        break;
      case DhcpMessage.RELEASE:
        onRelease(m, client, now);
        break;
      default:
        ignored++; // INFORM (we hand out no other parameters), or a server's message
        break;
    }
  }

  /** The options a server reads, at their RFC 2132 lengths (message type was read already). */
  private static boolean wellFormed(DhcpMessage m) {
    byte[] type = m.options().get(DhcpMessage.OPT_MESSAGE_TYPE);
    byte[] requested = m.options().get(DhcpMessage.OPT_REQUESTED_ADDRESS);
    byte[] server = m.options().get(DhcpMessage.OPT_SERVER_ID);
    byte[] id = m.options().get(DhcpMessage.OPT_CLIENT_ID);
    return type.length == 1 && (requested == null || requested.length == 4)
        && (server == null || server.length == 4) && (id == null || id.length >= 2);
  }

  /** Option 61 when given, else hardware type 1 and the chaddr (RFC 2131 4.2). */
  private static String clientKey(DhcpMessage m) {
    byte[] id = m.options().get(DhcpMessage.OPT_CLIENT_ID);
    if (id != null) {
      return HexFormat.of().formatHex(id);
    }
    return "01" + String.format("%012x", m.clientMac());
  }

  private void onDiscover(DhcpMessage m, String client, long now) {
    Optional<Ipv4Address> requested = m.address(DhcpMessage.OPT_REQUESTED_ADDRESS);
    int i = choose(client, requested, now);
    if (i < 0) {
      exhausted++;
      return;
    }
    Slot s = slots[i];
    if (!(s.state == State.LEASED && client.equals(s.client))) {
      s.state = State.OFFERED;
      s.until = now + OFFER_HOLD_NANOS;
    }
    s.client = client;
    s.mac = m.clientMac();
    bound.put(client, i);
    reply(m, DhcpMessage.OFFER, pool.at(i), 0);
    offers++;
  }

  /**
   * RFC 2131 4.3.1's order: the client's current or previous address while no one else holds
   * it, the address it asks for if free, else a free address no one had yet, else any free one.
   */
  private int choose(String client, Optional<Ipv4Address> requested, long now) {
    Integer own = bound.get(client);
    if (own != null && availableTo(own, client, now)) {
      return own;
    }
    if (requested.isPresent() && pool.contains(requested.get())) {
      int r = (int) pool.index(requested.get());
      if (availableTo(r, client, now) && (slots[r].client == null || client.equals(slots[r].client))) {
        return r;
      }
    }
    int reused = -1;
    for (int i = 0; i < slots.length; i++) {
      if (state(i, now) == State.FREE) {
        if (slots[i].client == null) {
          return i;
        }
        if (reused < 0) {
          reused = i;
        }
      }
    }
    return reused;
  }

  /** Free, or held by {@code client} itself. */
  private boolean availableTo(int i, String client, long now) {
    State st = state(i, now);
    return st == State.FREE || (st != State.DECLINED && client.equals(slots[i].client));
  }

  /** The slot's state now: an offer or lease past its time is free, so is an old decline. */
  private State state(int i, long now) {
    Slot s = slots[i];
    if (s.state != State.FREE && s.until <= now) {
      s.state = State.FREE;
    }
    return s.state;
  }

  private void onRequest(DhcpMessage m, String client, long now) {
    Optional<Ipv4Address> serverId = m.address(DhcpMessage.OPT_SERVER_ID);
    Optional<Ipv4Address> requested = m.address(DhcpMessage.OPT_REQUESTED_ADDRESS);
    Ipv4Address own = iface.orElseThrow().address();
    if (serverId.isPresent()) {
      // SELECTING: the client picked an offer; if not ours, our offer is free again
      if (!serverId.get().equals(own)) {
        Integer i = bound.get(client);
        if (i != null && state(i, now) == State.OFFERED && client.equals(slots[i].client)) {
          slots[i].state = State.FREE;
        }
        ignored++;
        return;
      }
      if (requested.isEmpty()) {
        malformed++; // RFC 2131 4.3.2: SELECTING's REQUEST must name the address
        return;
      }
      grantOrNak(m, client, requested.get(), now);
      return;
    }
    if (m.clientAddress() == 0) {
      if (requested.isEmpty()) {
        malformed++; // neither ciaddr nor a requested address: nothing to confirm
        return;
      }
      initReboot(m, client, requested.get(), now);
      return;
    }
    // RENEWING (unicast to us) or REBINDING (broadcast): ciaddr is the lease to extend
    Ipv4Address ciaddr = new Ipv4Address(m.clientAddress());
    if (!iface.orElseThrow().contains(ciaddr)) {
      nak(m, ciaddr + " is not on this network");
      return;
    }
    if (!pool.contains(ciaddr)) {
      ignored++; // not ours to extend
      return;
    }
    int i = (int) pool.index(ciaddr);
    if (availableTo(i, client, now) && (slots[i].client == null || client.equals(slots[i].client))) {
      grant(m, client, i, now);
    } else {
      nak(m, ciaddr + " is leased to another client");
    }
  }

  /** INIT-REBOOT (4.3.2): confirm the address the client remembers, if it is right. */
  private void initReboot(DhcpMessage m, String client, Ipv4Address requested, long now) {
    if (!iface.orElseThrow().contains(requested)) {
      nak(m, requested + " is not on this network");
      return;
    }
    Integer i = bound.get(client);
    if (i != null && client.equals(slots[i].client)) {
      if (pool.at(i).equals(requested) && availableTo(i, client, now)) {
        grant(m, client, i, now);
      } else {
        nak(m, requested + " is not this client's address");
      }
      return;
    }
    if (pool.contains(requested) && !availableTo((int) pool.index(requested), client, now)) {
      nak(m, requested + " is leased to another client");
      return;
    }
    ignored++; // no record of this client: RFC 2131 says stay silent
  }

  private void grantOrNak(DhcpMessage m, String client, Ipv4Address requested, long now) {
    if (pool.contains(requested)) {
      int i = (int) pool.index(requested);
      if (availableTo(i, client, now) && (slots[i].client == null || client.equals(slots[i].client))) {
        grant(m, client, i, now);
        return;
      }
    }
    nak(m, requested + " is not offered to this client");
  }

  private void grant(DhcpMessage m, String client, int i, long now) {
    Slot s = slots[i];
    s.state = State.LEASED;
    s.client = client;
    s.mac = m.clientMac();
    s.until = now + spec.lease().getSeconds() * NANOS_PER_SECOND;
    bound.put(client, i);
    reply(m, DhcpMessage.ACK, pool.at(i), m.clientAddress());
    acks++;
  }

  private void nak(DhcpMessage m, String why) {
    Map<Integer, byte[]> o = new LinkedHashMap<>();
    o.put(DhcpMessage.OPT_MESSAGE_TYPE, DhcpMessage.u8(DhcpMessage.NAK));
    o.put(DhcpMessage.OPT_SERVER_ID, DhcpMessage.ipv4(iface.orElseThrow().address()));
    o.put(DhcpMessage.OPT_MESSAGE, why.getBytes(StandardCharsets.US_ASCII));
    send(new DhcpMessage(DhcpMessage.BOOTREPLY, m.xid(), 0, m.flags(), 0, 0, 0, m.clientMac(), o));
    naks++;
  }

  /** DECLINE (4.3.3): the client found the address in use; no one gets it for a while. */
  private void onDecline(DhcpMessage m, String client, long now) {
    Optional<Ipv4Address> requested = m.address(DhcpMessage.OPT_REQUESTED_ADDRESS);
    if (requested.isEmpty() || !pool.contains(requested.get())) {
      ignored++;
      return;
    }
    int i = (int) pool.index(requested.get());
    if (!client.equals(slots[i].client) || state(i, now) == State.FREE) {
      ignored++;
      return;
    }
    Slot s = slots[i];
    s.state = State.DECLINED;
    s.client = null;
    s.until = now + DECLINE_HOLD_NANOS;
    bound.remove(client);
    declines++;
  }

  /** RELEASE (4.3.4): the lease ends now; the address stays the client's to come back to. */
  private void onRelease(DhcpMessage m, String client, long now) {
    Ipv4Address ciaddr = new Ipv4Address(m.clientAddress());
    if (!pool.contains(ciaddr)) {
      ignored++;
      return;
    }
    int i = (int) pool.index(ciaddr);
    if (state(i, now) != State.LEASED || !client.equals(slots[i].client)) {
      ignored++;
      return;
    }
    slots[i].state = State.FREE;
    releases++;
  }

  /** An OFFER or ACK: the lease's address and the options RFC 2132 defines for it. */
  private void reply(DhcpMessage request, int type, Ipv4Address address, int ciaddr) {
    Cidr own = iface.orElseThrow();
    long lease = spec.lease().getSeconds();
    Map<Integer, byte[]> o = new LinkedHashMap<>();
    o.put(DhcpMessage.OPT_MESSAGE_TYPE, DhcpMessage.u8(type));
    o.put(DhcpMessage.OPT_SERVER_ID, DhcpMessage.ipv4(own.address()));
    o.put(DhcpMessage.OPT_LEASE_TIME, u32(lease));
    o.put(DhcpMessage.OPT_RENEWAL_TIME, u32(lease / 2));
    o.put(DhcpMessage.OPT_REBINDING_TIME, u32(lease * 7 / 8));
    o.put(DhcpMessage.OPT_SUBNET_MASK, u32(Ipv4Address.mask(own.prefixLength()) & 0xFFFF_FFFFL));
    spec.router().ifPresent(r -> o.put(DhcpMessage.OPT_ROUTER, DhcpMessage.ipv4(r)));
    spec.dns().ifPresent(d -> o.put(DhcpMessage.OPT_DNS, DhcpMessage.ipv4(d)));
    send(new DhcpMessage(DhcpMessage.BOOTREPLY, request.xid(), 0, request.flags(), ciaddr,
        address.bits(), 0, request.clientMac(), o));
  }

  private void send(DhcpMessage reply) {
    if (!socket.send(Ipv4Address.BROADCAST, DhcpMessage.CLIENT_PORT, reply.encode()).accepted()) {
      sendFailures++;
    }
  }

  private static byte[] u32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  @Override
  DhcpServerResult tally() {
    long now = stack.nanoTime();
    List<DhcpServerLease> leases = new ArrayList<>();
    for (int i = 0; i < slots.length; i++) {
      if (state(i, now) == State.LEASED) {
        Slot s = slots[i];
        leases.add(new DhcpServerLease(pool.at(i), new MacAddress(s.mac), s.client,
            (s.until - now + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND));
      }
    }
    return new DhcpServerResult(pool.toString(), pool.size(), iface.map(Cidr::toString), idle,
        refused, datagrams, discovers, requests, offers, acks, naks, declines, releases, exhausted, malformed,
        ignored, sendFailures, leases);
  }

  @Override
  void release() {
    if (socket != null) {
      socket.close();
    }
  }
}
