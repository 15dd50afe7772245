package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A DHCP client (RFC 2131): DISCOVER, the first acceptable OFFER, REQUEST, ACK; retransmission
 * with exponential backoff (4 s doubling to 64 s, +-1 s from the VM's seeded generator), for as
 * long as the VM runs: no answer to the REQUESTs or a NAK means DISCOVER again. Renewal at T1
 * (unicast to the server), rebinding at T2 (broadcast), expiry at the end of the lease. It asks
 * for broadcast replies and accepts them broadcast or unicast to our MAC (QEMU's slirp always
 * broadcasts). An OFFER or ACK with a malformed option or an address no host may use is refused
 * and counted under its reason ({@code rxDropDhcp*}); the first refusal of each reason is printed.
 */
final class DhcpClient {
  static final long FIRST_RETRANSMIT_NANOS = 4_000_000_000L;
  static final long MAX_RETRANSMIT_NANOS = 64_000_000_000L;
  static final long JITTER_NANOS = 1_000_000_000L;
  /** REQUESTs sent without an answer before going back to DISCOVER. */
  static final int MAX_REQUESTS = 4;
  /** RFC 2131 4.4.5: retransmit while renewing no more often than every 60 seconds. */
  static final long MIN_RENEW_RETRANSMIT_NANOS = 60_000_000_000L;
  /** A client still without its first lease after this long says so once, and keeps asking. */
  static final long NOTICE_NANOS = 60_000_000_000L;
  /** Shorter leases are stretched to this, so a silly server cannot make us renew in a loop. */
  static final long MIN_LEASE_SECONDS = 60;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final byte[] PARAMETERS = {1, 3, 6, 15, 51, 54, 58, 59};

  /** Why a reply was refused: its counter and a phrase for the console. */
  private record Refusal(StackCounter counter, String why) {}

  enum State { IDLE, SELECTING, REQUESTING, BOUND, RENEWING, REBINDING }

  /** What the client changes in the stack. */
  interface Host {
    void bind(DhcpLease lease, boolean renewal);

    void unbind(DhcpLease expired);
  }

  private final Udp udp;
  private final Ipv4Layer ip;
  private final Timers timers;
  private final long mac;
  private final StackCounters counters;
  private final Consumer<String> console;
  private final Host host;
  private final SplittableRandom random;
  private final CompletableFuture<DhcpLease> firstLease = new CompletableFuture<>();
  private final EnumSet<StackCounter> refusalsPrinted = EnumSet.noneOf(StackCounter.class);

  private State state = State.IDLE;
  private int xid;
  private int attempts;
  private long exchangeStart;
  private Ipv4Address offered;
  private Ipv4Address server;
  private DhcpLease lease;
  private long rebindAt;
  private long expiresAt;
  private GuestEnv.Cancellable retransmit;
  private GuestEnv.Cancellable deadline;

  DhcpClient(Udp udp, Ipv4Layer ip, Timers timers, SplittableRandom random, long mac,
      StackCounters counters, Consumer<String> console, Host host) {
    this.udp = udp;
    this.ip = ip;
    this.timers = timers;
    this.mac = mac;
    this.counters = counters;
    this.console = console;
    this.host = host;
    this.random = random;
  }

  /** Starts the client once; every call returns the first lease. */
  CompletionStage<DhcpLease> start() {
    if (state == State.IDLE) {
      udp.bindInternal(DhcpMessage.CLIENT_PORT, this::deliver);
      discover(0);
      timers.after(NOTICE_NANOS, () -> {
        if (!firstLease.isDone()) {
          console.accept("dhcp: no lease after " + NOTICE_NANOS / NANOS_PER_SECOND
              + " s; still asking");
        }
      });
    }
    return firstLease.minimalCompletionStage();
  }

  State state() {
    return state;
  }

  Optional<DhcpLease> lease() {
    return Optional.ofNullable(lease);
  }

  /** Carrier came back: a client still looking for a lease asks again at once. */
  void linkUp() {
    if (state == State.SELECTING || state == State.REQUESTING) {
      discover(0);
    }
  }

  private void discover(long delayNanos) {
    cancel();
    state = State.SELECTING;
    xid = random.nextInt();
    attempts = 0;
    exchangeStart = timers.now() + delayNanos;
    offered = null;
    retransmit = timers.after(delayNanos, () -> {
      sendDiscover();
      arm(backoff());
    });
  }

  private void onRetransmit() {
    attempts++;
    switch (state) {
      case SELECTING:
        sendDiscover();
        arm(backoff());
        break;
      case REQUESTING:
        if (attempts >= MAX_REQUESTS) {
          discover(0);
        } else {
          sendRequest();
          arm(backoff());
        }
        break;
      case RENEWING:
      case REBINDING:
        sendRequest();
        long until = state == State.RENEWING ? rebindAt : expiresAt;
        arm(Math.max(MIN_RENEW_RETRANSMIT_NANOS, (until - timers.now()) / 2));
        break;
      default:
        break;
    }
  }

  private long backoff() {
    long base = Math.min(MAX_RETRANSMIT_NANOS, FIRST_RETRANSMIT_NANOS << Math.min(attempts, 4));
    return base + random.nextLong(-JITTER_NANOS, JITTER_NANOS + 1);
  }

  private void arm(long delayNanos) {
    if (retransmit != null) {
      retransmit.cancel();
    }
    retransmit = timers.after(delayNanos, this::onRetransmit);
  }

  private void cancel() {
    if (retransmit != null) {
      retransmit.cancel();
      retransmit = null;
    }
  }

  private void sendDiscover() {
    counters.increment(StackCounter.DHCP_DISCOVERS_SENT);
    Map<Integer, byte[]> o = new LinkedHashMap<>();
    o.put(DhcpMessage.OPT_MESSAGE_TYPE, DhcpMessage.u8(DhcpMessage.DISCOVER));
    o.put(DhcpMessage.OPT_CLIENT_ID, clientId());
    o.put(DhcpMessage.OPT_PARAMETER_LIST, PARAMETERS.clone());
    send(new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, secs(), DhcpMessage.FLAG_BROADCAST, 0, 0, 0,
        mac, o), broadcastFrom(0));
  }

  /** SELECTING's REQUEST names the offer and server; renewing and rebinding use ciaddr. */
  private void sendRequest() {
    counters.increment(StackCounter.DHCP_REQUESTS_SENT);
    Map<Integer, byte[]> o = new LinkedHashMap<>();
    o.put(DhcpMessage.OPT_MESSAGE_TYPE, DhcpMessage.u8(DhcpMessage.REQUEST));
    o.put(DhcpMessage.OPT_CLIENT_ID, clientId());
    if (state == State.REQUESTING) {
      o.put(DhcpMessage.OPT_REQUESTED_ADDRESS, DhcpMessage.ipv4(offered));
      o.put(DhcpMessage.OPT_SERVER_ID, DhcpMessage.ipv4(server));
      o.put(DhcpMessage.OPT_PARAMETER_LIST, PARAMETERS.clone());
      send(new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, secs(), DhcpMessage.FLAG_BROADCAST, 0, 0,
          0, mac, o), broadcastFrom(0));
      return;
    }
    o.put(DhcpMessage.OPT_PARAMETER_LIST, PARAMETERS.clone());
    int own = lease.address().bits();
    DhcpMessage m = new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, secs(), 0, own, 0, 0, mac, o);
    Route route = null;
    if (state == State.RENEWING) {
      route = ip.route(server);
    }
    send(m, route != null ? route : broadcastFrom(own));
  }

  private void send(DhcpMessage m, Route route) {
    udp.send(route, DhcpMessage.CLIENT_PORT, DhcpMessage.SERVER_PORT, m.encode());
  }

  private static Route broadcastFrom(int source) {
    return Route.direct(source, Ipv4Address.BROADCAST.bits(), Ethernet.BROADCAST);
  }

  private byte[] clientId() {
    byte[] id = new byte[7];
    id[0] = 1;
    Bytes.put48(id, 1, mac);
    return id;
  }

  private int secs() {
    return (int) Math.min(0xFFFF, Math.max(0, (timers.now() - exchangeStart) / NANOS_PER_SECOND));
  }

  private StackCounter deliver(Ipv4Header h, UdpHeader u, byte[] f, int off) {
    DhcpMessage m;
    try {
      m = DhcpMessage.parse(f, off, u.payloadLength());
    } catch (Malformed e) {
      return e.counter() == StackCounter.RX_DROP_DHCP_BAD_OPTION
          ? refuse("reply", h, new Refusal(e.counter(), e.getMessage())) : e.counter();
    }
    if (m.op() != DhcpMessage.BOOTREPLY || m.clientMac() != mac) {
      return StackCounter.RX_DROP_NOT_FOR_US;
    }
    try {
      m.checkOptions();
    } catch (Malformed e) {
      return refuse("reply", h, new Refusal(e.counter(), e.getMessage()));
    }
    int type = m.messageType();
    if (type == DhcpMessage.OFFER) {
      counters.increment(StackCounter.DHCP_OFFERS_RECEIVED);
    } else if (type == DhcpMessage.ACK) {
      counters.increment(StackCounter.DHCP_ACKS_RECEIVED);
    } else if (type == DhcpMessage.NAK) {
      counters.increment(StackCounter.DHCP_NAKS_RECEIVED);
    } else {
      return StackCounter.RX_DROP_UNSUPPORTED;
    }
    if (m.xid() != xid) {
      return StackCounter.RX_DROP_UNMATCHED;
    }
    if (type == DhcpMessage.OFFER) {
      return state == State.SELECTING ? onOffer(m, h) : StackCounter.RX_DROP_UNMATCHED;
    }
    if (state != State.REQUESTING && state != State.RENEWING && state != State.REBINDING) {
      return StackCounter.RX_DROP_UNMATCHED;
    }
    return type == DhcpMessage.ACK ? onAck(m, h) : onNak(m);
  }

  private StackCounter onOffer(DhcpMessage m, Ipv4Header h) {
    Ipv4Address from = serverOf(m, h, server);
    Optional<Refusal> refusal = refusal(m, from);
    if (refusal.isPresent()) {
      // the client keeps selecting: a good offer may still come, else the DISCOVER is repeated
      return refuse("OFFER", h, refusal.get());
    }
    offered = new Ipv4Address(m.yourAddress());
    server = from;
    state = State.REQUESTING;
    attempts = 0;
    sendRequest();
    arm(backoff());
    return StackCounter.RX_DELIVERED;
  }

  private StackCounter onAck(DhcpMessage m, Ipv4Header h) {
    Ipv4Address from = m.address(DhcpMessage.OPT_SERVER_ID).orElse(server);
    Optional<Refusal> refusal = refusal(m, from);
    if (refusal.isPresent()) {
      // as if it never came: the REQUEST is retransmitted, and in the end DISCOVER again
      return refuse("ACK", h, refusal.get());
    }
    Ipv4Address yours = new Ipv4Address(m.yourAddress());
    int prefix = prefixOf(m, yours);
    Optional<Ipv4Address> router = Optional.empty();
    for (Ipv4Address r : m.addresses(DhcpMessage.OPT_ROUTER)) {
      // RFC 2132 lists routers in order of preference: take the first we can reach
      if (hostAddress(r) && !r.equals(yours) && r.inSubnet(yours, prefix)) {
        router = Optional.of(r);
        break;
      }
    }
    long leaseSeconds = seconds(m.unsigned32(DhcpMessage.OPT_LEASE_TIME));
    if (leaseSeconds >= 0) {
      leaseSeconds = Math.max(MIN_LEASE_SECONDS, leaseSeconds);
    }
    long t1 = -1;
    long t2 = -1;
    if (leaseSeconds >= 0) {
      t1 = seconds(m.unsigned32(DhcpMessage.OPT_RENEWAL_TIME));
      t2 = seconds(m.unsigned32(DhcpMessage.OPT_REBINDING_TIME));
      if (t1 < 0 || t2 < 0 || t1 > t2 || t2 > leaseSeconds) {
        t1 = leaseSeconds / 2;
        t2 = leaseSeconds * 7 / 8;
      }
    }
    List<Ipv4Address> dns = m.addresses(DhcpMessage.OPT_DNS);
    DhcpLease granted = new DhcpLease(yours, prefix, from, router, dns, leaseSeconds, t1, t2,
        timers.now());
    bind(granted);
    return StackCounter.RX_DELIVERED;
  }

  /** The server identifier (option 54), else siaddr, else the reply's IP source. */
  private static Ipv4Address serverOf(DhcpMessage m, Ipv4Header h, Ipv4Address fallback) {
    if (m.address(DhcpMessage.OPT_SERVER_ID).isPresent()) {
      return m.address(DhcpMessage.OPT_SERVER_ID).get();
    }
    if (m.serverAddress() != 0) {
      return new Ipv4Address(m.serverAddress());
    }
    return h.source() != 0 ? new Ipv4Address(h.source()) : fallback;
  }

  /**
   * Why the lease in an OFFER or ACK cannot be used, if it cannot: the address must be a unicast
   * host address (RFC 1122 3.2.1.3), not the server's, with a contiguous mask, and neither the
   * network nor the broadcast address of its subnet (RFC 950; /31 and /32 have neither, RFC 3021).
   */
  private static Optional<Refusal> refusal(DhcpMessage m, Ipv4Address server) {
    Ipv4Address yours = new Ipv4Address(m.yourAddress());
    if (!hostAddress(yours)) {
      return Optional.of(new Refusal(StackCounter.RX_DROP_DHCP_BAD_ADDRESS,
          "address " + yours + " is " + kind(yours)));
    }
    if (server != null && !hostAddress(server)) {
      return Optional.of(new Refusal(StackCounter.RX_DROP_DHCP_BAD_ADDRESS,
          "server identifier " + server + " is " + kind(server)));
    }
    if (yours.equals(server)) {
      return Optional.of(new Refusal(StackCounter.RX_DROP_DHCP_SERVER_ADDRESS,
          "address " + yours + " is the server's own"));
    }
    OptionalLong mask = m.unsigned32(DhcpMessage.OPT_SUBNET_MASK);
    if (mask.isPresent()) {
      Optional<Integer> prefix = Ipv4Address.prefixOf((int) mask.getAsLong());
      if (prefix.isEmpty() || prefix.get() == 0) {
        return Optional.of(new Refusal(StackCounter.RX_DROP_DHCP_BAD_MASK,
            "subnet mask " + new Ipv4Address((int) mask.getAsLong())
                + (prefix.isEmpty() ? " is not contiguous" : " leaves no network")));
      }
    }
    int prefix = prefixOf(m, yours);
    if (prefix <= 30) {
      int host = yours.bits() & ~Ipv4Address.mask(prefix);
      if (host == 0 || host == ~Ipv4Address.mask(prefix)) {
        return Optional.of(new Refusal(StackCounter.RX_DROP_DHCP_SUBNET_ADDRESS,
            "address " + yours + " is the " + (host == 0 ? "network" : "broadcast")
                + " address of /" + prefix));
      }
    }
    return Optional.empty();
  }

  private StackCounter onNak(DhcpMessage m) {
    byte[] text = m.options().get(DhcpMessage.OPT_MESSAGE);
    console.accept("dhcp: NAK from " + m.address(DhcpMessage.OPT_SERVER_ID).orElse(server)
        + (text == null ? "" : ": " + printable(text)));
    if (lease != null) {
      DhcpLease old = lease;
      lease = null;
      cancelDeadline();
      host.unbind(old);
    }
    discover(FIRST_RETRANSMIT_NANOS / 4);
    return StackCounter.RX_DELIVERED;
  }

  /** Counts the refusal under its reason; prints the first of each reason. */
  private StackCounter refuse(String what, Ipv4Header h, Refusal refusal) {
    if (refusalsPrinted.add(refusal.counter())) {
      console.accept("dhcp: refused " + what + " from " + new Ipv4Address(h.source()) + ": "
          + refusal.why() + " (further refusals for this reason are only counted)");
    }
    return refusal.counter();
  }

  private void bind(DhcpLease granted) {
    boolean renewal = lease != null && lease.address().equals(granted.address())
        && lease.prefixLength() == granted.prefixLength()
        && lease.router().equals(granted.router());
    cancel();
    cancelDeadline();
    lease = granted;
    server = granted.server();
    state = State.BOUND;
    host.bind(granted, renewal);
    if (!granted.infinite()) {
      long now = timers.now();
      rebindAt = now + granted.rebindSeconds() * NANOS_PER_SECOND;
      expiresAt = now + granted.leaseSeconds() * NANOS_PER_SECOND;
      deadline = timers.after(granted.renewSeconds() * NANOS_PER_SECOND, this::renew);
    }
    firstLease.complete(granted);
  }

  private void renew() {
    state = State.RENEWING;
    startExchange();
    deadline = timers.after(rebindAt - timers.now(), this::rebind);
  }

  private void rebind() {
    state = State.REBINDING;
    startExchange();
    deadline = timers.after(expiresAt - timers.now(), this::expire);
  }

  private void startExchange() {
    xid = random.nextInt();
    attempts = 0;
    exchangeStart = timers.now();
    sendRequest();
    long until = state == State.RENEWING ? rebindAt : expiresAt;
    arm(Math.max(MIN_RENEW_RETRANSMIT_NANOS, (until - timers.now()) / 2));
  }

  private void expire() {
    DhcpLease old = lease;
    lease = null;
    cancel();
    host.unbind(old);
    console.accept("lease " + old.address() + "/" + old.prefixLength() + " expired");
    discover(0);
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }

  /** A unicast host address: not in 0/8 ("this network"), 127/8, 224/4 or 240/4. */
  private static boolean hostAddress(Ipv4Address a) {
    int first = a.octet(0);
    return first != 0 && first != 127 && first < 224;
  }

  private static String kind(Ipv4Address a) {
    int first = a.octet(0);
    if (first == 0) {
      return "in 0.0.0.0/8 (this network)";
    }
    if (first == 127) {
      return "loopback";
    }
    if (a.isBroadcast()) {
      return "the limited broadcast address";
    }
    return a.isMulticast() ? "multicast" : "reserved (240.0.0.0/4)";
  }

  /** The prefix of the (checked) subnet mask option, else the address's class. */
  private static int prefixOf(DhcpMessage m, Ipv4Address yours) {
    OptionalLong mask = m.unsigned32(DhcpMessage.OPT_SUBNET_MASK);
    return mask.isPresent() ? Ipv4Address.prefixOf((int) mask.getAsLong()).orElseThrow()
        : classful(yours);
  }

  private static int classful(Ipv4Address a) {
    int first = a.octet(0);
    return first < 128 ? 8 : first < 192 ? 16 : 24;
  }

  /** Seconds of a time option; -1 for absent or 0xFFFFFFFF (infinity). */
  private static long seconds(OptionalLong option) {
    if (option.isEmpty() || option.getAsLong() == 0xFFFF_FFFFL) {
      return -1;
    }
    return option.getAsLong();
  }

  private static String printable(byte[] text) {
    StringBuilder sb = new StringBuilder();
    for (byte b : text) {
      sb.append(b >= 0x20 && b < 0x7F ? (char) b : '?');
    }
    return sb.toString();
  }
}
