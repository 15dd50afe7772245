package io.fleetsim.guest.socket;

import io.fleetsim.addr.Ipv4Address;

/**
 * Sends ICMP echo requests under one identifier; replies carrying it come to the listener given
 * to {@link Sockets#openEcho}. Single-threaded, like the whole stack.
 */
public interface EchoSocket {
  /** The ICMP echo identifier of this socket. */
  int id();

  /**
   * Sends an echo request.
   *
   * @param sequence 0-65535 (ping wraps it)
   * @param payload at most {@link Sockets#MAX_ICMP_PAYLOAD} bytes
   */
  SendStatus send(Ipv4Address destination, int sequence, byte[] payload);

  /**
   * As {@link #send(Ipv4Address, int, byte[])} with the IPv4 TTL given ({@code ping -t},
   * traceroute's probes); the default is 64.
   *
   * @param ttl 1-255
   */
  SendStatus send(Ipv4Address destination, int sequence, byte[] payload, int ttl);

  void close();
}
