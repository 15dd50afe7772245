package io.fleetsim.guest;

import io.fleetsim.guest.socket.SendStatus;
import io.fleetsim.guest.socket.EchoReply;
import io.fleetsim.guest.socket.EchoListener;
import io.fleetsim.guest.socket.EchoSocket;
import io.fleetsim.addr.Ipv4Address;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * ICMP echo (RFC 792): answers requests to our unicast address (broadcast pings are ignored, as
 * Linux does by default) and routes replies to the {@link EchoSocket} owning their identifier.
 */
final class Icmp implements Ipv4Layer.Protocol {
  private final Ipv4Layer ip;
  private final Timers timers;
  private final StackCounters counters;
  private final Map<Integer, Open> sockets = new HashMap<>();
  private int nextId = 1;

  Icmp(Ipv4Layer ip, Timers timers, StackCounters counters) {
    this.ip = ip;
    this.timers = timers;
    this.counters = counters;
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
    return StackCounter.RX_DROP_UNSUPPORTED;
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
      return ip.send(route, Ipv4Header.PROTOCOL_ICMP, frame, len);
    }

    @Override
    public void close() {
      sockets.remove(id, this);
    }
  }
}
