package io.fleetsim.guest.socket;

/** Receives the datagrams for a bound UDP port, on the VM thread. */
@FunctionalInterface
public interface UdpHandler {
  void received(UdpDatagram datagram);
}
