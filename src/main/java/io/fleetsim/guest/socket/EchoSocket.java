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

  void close();
}
