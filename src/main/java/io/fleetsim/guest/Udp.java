package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.guest.socket.UdpDatagram;
import io.fleetsim.guest.socket.UdpHandler;
import io.fleetsim.guest.socket.UdpSocket;
import io.fleetsim.addr.Ipv4Address;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** UDP (RFC 768): a table of bound ports; checksums verified when present, always sent. */
final class Udp implements Ipv4Layer.Protocol {
  /** What the stack itself binds (the DHCP client): decides the outcome of the datagram. */
  interface Port {
    StackCounter deliver(Ipv4Header ip, UdpHeader udp, byte[] frame, int payloadOffset);
  }

  static final int EPHEMERAL_FIRST = 49152;

  private final Ipv4Layer ip;
  private final Timers timers;
  private final StackCounters counters;
  private final Map<Integer, Port> ports = new HashMap<>();
  private int nextEphemeral = EPHEMERAL_FIRST;

  Udp(Ipv4Layer ip, Timers timers, StackCounters counters) {
    this.ip = ip;
    this.timers = timers;
    this.counters = counters;
  }

  @Override
  public StackCounter receive(Ipv4Header h, byte[] f, int off, int len) {
    UdpHeader u;
    try {
      u = UdpHeader.parse(f, off, len, h.source(), h.destination());
    } catch (Malformed e) {
      return e.counter();
    }
    Port port = ports.get(u.destinationPort());
    if (port == null) {
      return StackCounter.RX_DROP_NO_PORT;
    }
    return port.deliver(h, u, f, off + UdpHeader.HEADER);
  }

  /** Binds {@code port} (0: the next free ephemeral port) for a user handler. */
  UdpSocket bind(int port, UdpHandler handler) {
    int chosen = port == 0 ? ephemeral() : port;
    Bound socket = new Bound(chosen);
    bindInternal(chosen, (h, u, f, off) -> {
      counters.increment(StackCounter.UDP_DATAGRAMS_RECEIVED);
      byte[] payload = Arrays.copyOfRange(f, off, off + u.payloadLength());
      handler.received(new UdpDatagram(new Ipv4Address(h.source()), u.sourcePort(),
          new Ipv4Address(h.destination()), u.destinationPort(), payload, timers.now()));
      return StackCounter.RX_DELIVERED;
    });
    return socket;
  }

  void bindInternal(int port, Port handler) {
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("UDP port must be 1-65535, not " + port);
    }
    if (ports.containsKey(port)) {
      throw new IllegalStateException("UDP port " + port + " is already bound");
    }
    ports.put(port, handler);
  }

  void unbind(int port) {
    ports.remove(port);
  }

  boolean bound(int port) {
    return ports.containsKey(port);
  }

  /** Sends a datagram along {@code route} (the caller routed it: DHCP uses its own routes). */
  SendStatus send(Route route, int sourcePort, int destinationPort, byte[] payload) {
    if (payload.length > NetStack.MAX_UDP_PAYLOAD) {
      throw new IllegalArgumentException("UDP payload of " + payload.length
          + " bytes exceeds " + NetStack.MAX_UDP_PAYLOAD + " (no fragmentation)");
    }
    if (destinationPort < 1 || destinationPort > 0xFFFF) {
      throw new IllegalArgumentException("UDP port must be 1-65535, not " + destinationPort);
    }
    int len = UdpHeader.HEADER + payload.length;
    byte[] frame = Ipv4Layer.allocate(len);
    System.arraycopy(payload, 0, frame, Ipv4Layer.PAYLOAD_OFFSET + UdpHeader.HEADER,
        payload.length);
    UdpHeader.write(frame, Ipv4Layer.PAYLOAD_OFFSET, sourcePort, destinationPort, payload.length,
        route.source(), route.destination());
    counters.increment(StackCounter.UDP_DATAGRAMS_SENT);
    return ip.send(route, Ipv4Header.PROTOCOL_UDP, frame, len);
  }

  private int ephemeral() {
    for (int i = 0; i < 0x10000 - EPHEMERAL_FIRST; i++) {
      int candidate = nextEphemeral;
      nextEphemeral = nextEphemeral == 0xFFFF ? EPHEMERAL_FIRST : nextEphemeral + 1;
      if (!ports.containsKey(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free ephemeral UDP port");
  }

  private final class Bound implements UdpSocket {
    private final int port;
    private boolean closed;

    Bound(int port) {
      this.port = port;
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public SendStatus send(Ipv4Address destination, int destinationPort, byte[] payload) {
      if (closed) {
        throw new IllegalStateException("UDP socket on port " + port + " is closed");
      }
      Route route = ip.route(destination);
      if (route == null) {
        return SendStatus.NO_ROUTE;
      }
      return Udp.this.send(route, port, destinationPort, payload);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        unbind(port);
      }
    }
  }
}
