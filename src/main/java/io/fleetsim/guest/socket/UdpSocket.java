package io.fleetsim.guest.socket;

import io.fleetsim.addr.Ipv4Address;

/** A bound UDP port: datagrams to it go to its handler; it sends from that port. */
public interface UdpSocket {
  int port();

  /** @param payload at most {@link Sockets#MAX_UDP_PAYLOAD} bytes */
  SendStatus send(Ipv4Address destination, int destinationPort, byte[] payload);

  /** Unbinds the port; later datagrams to it count as {@code rxDropNoPort}. */
  void close();
}
