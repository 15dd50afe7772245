package io.fleetsim.guest;

import io.fleetsim.guest.socket.EchoError;
import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.guest.socket.EchoReply;
import io.fleetsim.guest.socket.EchoListener;
import io.fleetsim.guest.socket.EchoSocket;
import io.fleetsim.addr.Ipv4Address;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * ICMP (RFC 792): echo, answering requests to our unicast address (broadcast pings are ignored,
 * as Linux does by default) and routing replies to the {@link EchoSocket} owning their
 * identifier; and errors: a router's time exceeded and destination unreachable (RFC 1812
 * 4.3.2), rate-limited ({@link IcmpRateLimit}), and the errors we receive, handed to the echo
 * socket whose request they quote. Errors about our UDP and TCP packets are counted, not
 * delivered (for TCP they are soft errors anyway, RFC 1122 4.2.3.9).
 */
final class Icmp implements Ipv4Layer.Protocol {
  private final Ipv4Layer ip;
  private final Timers timers;
  private final StackCounters counters;
  private final Map<Integer, Open> sockets = new HashMap<>();
  private final IcmpRateLimit limit;
  private int nextId = 1;

  Icmp(Ipv4Layer ip, Timers timers, StackCounters counters) {
    this.ip = ip;
    this.timers = timers;
    this.counters = counters;
    this.limit = new IcmpRateLimit(timers);
  }

  /**
   * Sends an ICMP error about the packet {@code h} at {@code f[off]} to its source, from this
   * interface's address, quoting its header and first 8 data bytes. Never about an ICMP error,
   * a non-initial fragment, a packet to a broadcast or multicast address, or from an address
   * that is no single host (RFC 1122 3.2.2, RFC 1812 4.3.2.7).
   */
  void error(int type, int code, Ipv4Header h, byte[] f, int off) {
    if ((h.flagsAndOffset() & 0x1FFF) != 0 || !Ipv4Layer.hostAddress(h.source())
        || !Ipv4Layer.hostAddress(h.destination())
        || ip.table().subnetBroadcast(h.destination())) {
      return;
    }
    int quoted = Math.min(h.headerLength() + IcmpMessage.QUOTED_DATA, h.totalLength());
    if (h.protocol() == Ipv4Header.PROTOCOL_ICMP && h.payloadLength() > 0
        && IcmpMessage.isError(Bytes.u8(f, off + h.headerLength()))) {
      return;
    }
    if (!limit.allow(h.source())) {
      counters.increment(StackCounter.ICMP_ERRORS_RATE_LIMITED);
      return;
    }
    Route back = ip.route(new Ipv4Address(h.source()));
    if (back == null) {
      return;
    }
    int len = IcmpMessage.HEADER + quoted;
    byte[] frame = Ipv4Layer.allocate(len);
    System.arraycopy(f, off, frame, Ipv4Layer.PAYLOAD_OFFSET + IcmpMessage.HEADER, quoted);
    IcmpMessage.writeError(frame, Ipv4Layer.PAYLOAD_OFFSET, type, code, quoted);
    counters.increment(StackCounter.ICMP_ERRORS_SENT);
    ip.send(back, Ipv4Header.PROTOCOL_ICMP, frame, len);
  }

  EchoSocket open(EchoListener listener) {
    if (sockets.size() >= 0xFFFF) {
      throw new IllegalStateException("every ICMP echo identifier is in use");
    }
    while (nextId == 0 || sockets.containsKey(nextId)) {
      nextId = (nextId + 1) & 0xFFFF;
    }
    Open socket = new Open(nextId, listener);
    sockets.put(nextId, socket);
    nextId = (nextId + 1) & 0xFFFF;
    return socket;
  }

  @Override
  public StackCounter receive(Ipv4Header h, byte[] f, int off, int len) {
    IcmpMessage m;
    try {
      m = IcmpMessage.parse(f, off, len);
    } catch (Malformed e) {
      return e.counter();
    }
    if (m.type() == IcmpMessage.ECHO_REQUEST) {
      counters.increment(StackCounter.ICMP_ECHO_REQUESTS_RECEIVED);
      if (!ip.isOwnUnicast(h.destination())) {
        return StackCounter.RX_DROP_NOT_FOR_US;
      }
      Route back = ip.route(new Ipv4Address(h.source()));
      if (back != null) {
        byte[] frame = Ipv4Layer.allocate(len);
        System.arraycopy(f, m.payloadOffset(), frame,
            Ipv4Layer.PAYLOAD_OFFSET + IcmpMessage.HEADER, m.payloadLength());
        IcmpMessage.writeEcho(frame, Ipv4Layer.PAYLOAD_OFFSET, IcmpMessage.ECHO_REPLY,
            m.identifier(), m.sequence(), m.payloadLength());
        counters.increment(StackCounter.ICMP_ECHO_REPLIES_SENT);
        ip.send(back, Ipv4Header.PROTOCOL_ICMP, frame, len);
      }
      return StackCounter.RX_DELIVERED;
    }
    if (m.type() == IcmpMessage.ECHO_REPLY) {
      Open socket = sockets.get(m.identifier());
      if (socket == null) {
        return StackCounter.RX_DROP_UNMATCHED;
      }
      counters.increment(StackCounter.ICMP_ECHO_REPLIES_RECEIVED);
      byte[] payload = Arrays.copyOfRange(f, m.payloadOffset(),
          m.payloadOffset() + m.payloadLength());
      socket.listener.reply(new EchoReply(new Ipv4Address(h.source()), m.sequence(), h.ttl(), len,
          payload, timers.now()));
      return StackCounter.RX_DELIVERED;
    }
    if (m.type() == IcmpMessage.DEST_UNREACHABLE || m.type() == IcmpMessage.TIME_EXCEEDED) {
      return receiveError(h, m, f);
    }
    return StackCounter.RX_DROP_UNSUPPORTED;
  }

  /** An error quoting a packet of ours: for an echo request, its socket hears of it. */
  private StackCounter receiveError(Ipv4Header h, IcmpMessage m, byte[] f) {
    int q = m.payloadOffset();
    if (m.payloadLength() < Ipv4Header.MIN_HEADER + IcmpMessage.QUOTED_DATA) {
      return StackCounter.RX_DROP_TRUNCATED;
    }
    int quotedHeader = (Bytes.u8(f, q) & 0x0F) * 4;
    if ((Bytes.u8(f, q) >>> 4) != 4 || quotedHeader < Ipv4Header.MIN_HEADER) {
      return StackCounter.RX_DROP_BAD_HEADER;
    }
    if (m.payloadLength() < quotedHeader + IcmpMessage.QUOTED_DATA) {
      return StackCounter.RX_DROP_TRUNCATED;
    }
    if (ip.table().owner(Bytes.i32(f, q + 12)) == null) {
      return StackCounter.RX_DROP_NOT_FOR_US; // about a packet we never sent
    }
    counters.increment(StackCounter.ICMP_ERRORS_RECEIVED);
    int inner = q + quotedHeader;
    if (Bytes.u8(f, q + 9) != Ipv4Header.PROTOCOL_ICMP
        || Bytes.u8(f, inner) != IcmpMessage.ECHO_REQUEST) {
      return StackCounter.RX_DELIVERED;
    }
    Open socket = sockets.get(Bytes.u16(f, inner + 4));
    if (socket == null) {
      return StackCounter.RX_DROP_UNMATCHED;
    }
    socket.listener.error(new EchoError(new Ipv4Address(h.source()), Bytes.u16(f, inner + 6),
        m.type(), m.code(), new Ipv4Address(Bytes.i32(f, q + 16)), timers.now()));
    return StackCounter.RX_DELIVERED;
  }

  private final class Open implements EchoSocket {
    private final int id;
    private final EchoListener listener;

    Open(int id, EchoListener listener) {
      this.id = id;
      this.listener = listener;
    }

    @Override
    public int id() {
      return id;
    }

    @Override
    public SendStatus send(Ipv4Address destination, int sequence, byte[] payload) {
      return send(destination, sequence, payload, Ipv4Header.DEFAULT_TTL);
    }

    @Override
    public SendStatus send(Ipv4Address destination, int sequence, byte[] payload, int ttl) {
      if (ttl < 1 || ttl > 255) {
        throw new IllegalArgumentException("TTL must be 1-255, not " + ttl);
      }
      if (payload.length > NetStack.MAX_ICMP_PAYLOAD) {
        throw new IllegalArgumentException("echo payload of " + payload.length
            + " bytes exceeds " + NetStack.MAX_ICMP_PAYLOAD + " (no fragmentation)");
      }
      if (sockets.get(id) != this) {
        throw new IllegalStateException("echo socket " + id + " is closed");
      }
      Route route = ip.route(destination);
      if (route == null) {
        return SendStatus.NO_ROUTE;
      }
      int len = IcmpMessage.HEADER + payload.length;
      byte[] frame = Ipv4Layer.allocate(len);
      System.arraycopy(payload, 0, frame, Ipv4Layer.PAYLOAD_OFFSET + IcmpMessage.HEADER,
          payload.length);
      IcmpMessage.writeEcho(frame, Ipv4Layer.PAYLOAD_OFFSET, IcmpMessage.ECHO_REQUEST, id,
          sequence & 0xFFFF, payload.length);
      counters.increment(StackCounter.ICMP_ECHO_REQUESTS_SENT);
      return ip.send(route, Ipv4Header.PROTOCOL_ICMP, frame, len, ttl);
    }

    @Override
    public void close() {
      sockets.remove(id, this);
    }
  }
}
