package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.guest.socket.TcpAcceptor;
import io.fleetsim.guest.socket.TcpHandler;
import io.fleetsim.guest.socket.TcpListener;
import io.fleetsim.guest.socket.TcpSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * TCP (RFC 9293) above IPv4: demultiplexes segments to connections by 4-tuple and to listeners
 * by port, answers segments nobody owns with RST, allocates ephemeral ports and builds the
 * segments connections send. The connections themselves are {@link TcpConnection}s. Maps here
 * are lookups only: no decision iterates them.
 */
final class Tcp implements Ipv4Layer.Protocol {
  /** What TCP needs of the stack around it for link back-pressure. */
  interface Host {
    /** A frame to {@code destination} would leave now (nothing held for the link). */
    boolean canSend(Ipv4Address destination);

    /** Runs {@code task} once {@link #canSend} holds; never synchronously. */
    void whenCanSend(Ipv4Address destination, Runnable task);
  }

  static final int EPHEMERAL_FIRST = 49152;
  static final int EPHEMERAL_LAST = 65535;

  final Ipv4Layer ip;
  final Timers timers;
  final StackCounters counters;
  final StackMeter meter;
  final Host host;
  private final SplittableRandom random;
  private final Map<Long, TcpConnection> connections = new HashMap<>();
  private final Map<Integer, Listening> listeners = new HashMap<>();
  /** How many connections use each local port (a lookup; never iterated). */
  private final Map<Integer, Integer> portUse = new HashMap<>();
  private int nextEphemeral = EPHEMERAL_FIRST;

  Tcp(Ipv4Layer ip, Timers timers, StackCounters counters, StackMeter meter, Host host,
      SplittableRandom random) {
    this.ip = ip;
    this.timers = timers;
    this.counters = counters;
    this.meter = meter;
    this.host = host;
    this.random = random;
  }

  static long key(int remoteIp, int remotePort, int localPort) {
    return ((long) remoteIp << 32) | ((long) remotePort << 16) | localPort;
  }

  // ---- the socket calls ----

  TcpListener listen(int port, TcpAcceptor acceptor) {
    Objects.requireNonNull(acceptor, "acceptor");
    checkPort(port);
    if (listeners.containsKey(port)) {
      throw new IllegalStateException("TCP port " + port + " is already listening");
    }
    Listening l = new Listening(port, acceptor);
    listeners.put(port, l);
    return l;
  }

  TcpSocket connect(Ipv4Address host, int port, TcpHandler handler) {
    return connect(host, port, 0, handler);
  }

  /**
   * Active open from {@code localPort} (0: the next free ephemeral port).
   *
   * @throws IllegalStateException when that 4-tuple is in use (TIME-WAIT included)
   */
  TcpSocket connect(Ipv4Address remote, int port, int localPort, TcpHandler handler) {
    Objects.requireNonNull(remote, "host");
    Objects.requireNonNull(handler, "handler");
    checkPort(port);
    int local = localPort == 0 ? ephemeral() : localPort;
    checkPort(local);
    if (connections.containsKey(key(remote.bits(), port, local))) {
      throw new IllegalStateException("TCP " + local + " -> " + remote + ":" + port
          + " is in use");
    }
    TcpConnection c = new TcpConnection(this, ip.address(), local, remote.bits(), port, handler,
        null, random.nextInt());
    Route route = ip.route(remote);
    if (route == null || ip.address() == 0) {
      c.failLater("no route to " + remote + ":" + port);
      return c;
    }
    add(c);
    c.open();
    return c;
  }

  // ---- segments from the wire ----

  @Override
  public StackCounter receive(Ipv4Header h, byte[] f, int off, int len) {
    TcpSegment s;
    try {
      s = TcpSegment.parse(f, off, len, h.source(), h.destination());
    } catch (Malformed e) {
      return e.counter();
    }
    if (!ip.isOwnUnicast(h.destination())) {
      return StackCounter.RX_DROP_NOT_FOR_US;
    }
    counters.increment(StackCounter.TCP_SEGMENTS_RECEIVED);
    TcpConnection c = connections.get(key(h.source(), s.sourcePort(), s.destinationPort()));
    if (c != null) {
      c.segment(s, f);
      return StackCounter.RX_DELIVERED;
    }
    Listening l = listeners.get(s.destinationPort());
    if (l != null) {
      return l.segment(h, s);
    }
    if (!s.has(TcpSegment.RST)) {
      resetFor(h.source(), h.destination(), s);
    }
    return StackCounter.RX_DROP_NO_PORT;
  }

  /** RFC 9293 3.10.7.1: the RST answering {@code s}, which no connection owns. */
  private void resetFor(int remoteIp, int localIp, TcpSegment s) {
    if (s.has(TcpSegment.ACK)) {
      sendControl(localIp, s.destinationPort(), remoteIp, s.sourcePort(), s.ack(), 0,
          TcpSegment.RST);
    } else {
      sendControl(localIp, s.destinationPort(), remoteIp, s.sourcePort(), 0,
          s.seq() + s.sequenceLength(), TcpSegment.RST | TcpSegment.ACK);
    }
  }

  private void sendControl(int localIp, int localPort, int remoteIp, int remotePort, int seq,
      int ack, int flags) {
    Route route = ip.route(new Ipv4Address(remoteIp));
    if (route == null) {
      return;
    }
    int len = TcpSegment.HEADER;
    byte[] frame = Ipv4Layer.allocate(len);
    TcpSegment.write(frame, Ipv4Layer.PAYLOAD_OFFSET, localPort, remotePort, seq, ack, flags, 0,
        TcpSegment.ABSENT, TcpSegment.ABSENT, 0, route.source(), route.destination());
    counters.increment(StackCounter.TCP_SEGMENTS_SENT);
    if ((flags & TcpSegment.RST) != 0) {
      counters.increment(StackCounter.TCP_RESETS_SENT);
    }
    ip.send(route, Ipv4Header.PROTOCOL_TCP, frame, len);
  }

  // ---- what connections use ----

  /**
   * Sends one segment of a connection; {@code payload} bytes come from {@code source} (null when
   * none). Returns false when there is no route any more.
   */
  boolean send(TcpConnection c, int seq, int ack, int flags, int window, int mss, int scale,
      TcpSendBuffer source, int from, int payload) {
    Route route = ip.route(new Ipv4Address(c.remoteIp));
    if (route == null) {
      return false;
    }
    int header = TcpSegment.headerLength(mss != TcpSegment.ABSENT, scale != TcpSegment.ABSENT);
    int len = header + payload;
    byte[] frame = Ipv4Layer.allocate(len);
    if (payload > 0) {
      source.copy(from, frame, Ipv4Layer.PAYLOAD_OFFSET + header, payload);
    }
    TcpSegment.write(frame, Ipv4Layer.PAYLOAD_OFFSET, c.localPort, c.remotePort, seq, ack, flags,
        window, mss, scale, payload, route.source(), route.destination());
    counters.increment(StackCounter.TCP_SEGMENTS_SENT);
    if ((flags & TcpSegment.RST) != 0) {
      counters.increment(StackCounter.TCP_RESETS_SENT);
    }
    ip.send(route, Ipv4Header.PROTOCOL_TCP, frame, len);
    return true;
  }

  boolean linkReady(int remoteIp) {
    return host.canSend(new Ipv4Address(remoteIp));
  }

  void add(TcpConnection c) {
    connections.put(c.key, c);
    portUse.merge(c.localPort, 1, Integer::sum);
  }

  /** The connection is gone (CLOSED, or TIME-WAIT over): its 4-tuple and port are free. */
  void remove(TcpConnection c) {
    if (connections.remove(c.key, c)) {
      portUse.computeIfPresent(c.localPort, (p, n) -> n == 1 ? null : n - 1);
    }
  }

  int connectionCount() {
    return connections.size();
  }

  private int ephemeral() {
    for (int i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
      int candidate = nextEphemeral;
      nextEphemeral = nextEphemeral == EPHEMERAL_LAST ? EPHEMERAL_FIRST : nextEphemeral + 1;
      if (!portUse.containsKey(candidate) && !listeners.containsKey(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free ephemeral TCP port");
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("TCP port must be 1-65535, not " + port);
    }
  }

  /** "60 s", "1.5 s", "200 ms": a duration for messages. */
  static String describe(long nanos) {
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + " s";
    }
    if (nanos >= 1_000_000_000L) {
      return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }
    return nanos / 1_000_000L + " ms";
  }

  /** A listening port (RFC 9293's LISTEN state): SYNs become connections in SYN-RECEIVED. */
  final class Listening implements TcpListener {
    private final int port;
    private final TcpAcceptor acceptor;
    private boolean closed;

    Listening(int port, TcpAcceptor acceptor) {
      this.port = port;
      this.acceptor = acceptor;
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        listeners.remove(port, this);
      }
    }

    TcpAcceptor acceptor() {
      return acceptor;
    }

    /** RFC 9293 3.10.7.2. */
    StackCounter segment(Ipv4Header h, TcpSegment s) {
      if (s.has(TcpSegment.RST)) {
        return StackCounter.RX_DROP_UNMATCHED;
      }
      if (s.has(TcpSegment.ACK)) {
        resetFor(h.source(), h.destination(), s);
        return StackCounter.RX_DROP_UNMATCHED;
      }
      if (!s.has(TcpSegment.SYN)) {
        return StackCounter.RX_DROP_UNMATCHED;
      }
      TcpConnection c = new TcpConnection(Tcp.this, h.destination(), port, h.source(),
          s.sourcePort(), null, this, random.nextInt());
      add(c);
      c.passiveOpen(s);
      return StackCounter.RX_DELIVERED;
    }
  }
}
