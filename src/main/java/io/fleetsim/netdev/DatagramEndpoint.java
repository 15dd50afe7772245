package io.fleetsim.netdev;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/**
 * A datagram socket fully resolved from a netdev spec: addresses are numeric and the multicast
 * interface is known. Made by {@link DatagramEndpoints#resolve}; opening it cannot need DNS.
 */
public sealed interface DatagramEndpoint {

  /** Where the socket binds. */
  InetSocketAddress bindAddress();

  /** Where every frame is sent. */
  InetSocketAddress target();

  ProtocolFamily family();

  /** The one line shown when the netdev is up, given the address the socket actually bound. */
  String describe(InetSocketAddress bound);

  /**
   * QEMU's {@code socket,mcast=}: bound to the group address and port, member of the group on
   * {@code iface}. {@code explicitInterface} is true when the user gave {@code localaddr}, which
   * also becomes the sending interface (IP_MULTICAST_IF); otherwise the kernel routes sends.
   */
  record Multicast(Inet4Address group, int port, NetworkInterface iface,
      Inet4Address interfaceAddress, boolean explicitInterface) implements DatagramEndpoint {
    @Override
    public InetSocketAddress bindAddress() {
      return new InetSocketAddress(group, port);
    }

    @Override
    public InetSocketAddress target() {
      return new InetSocketAddress(group, port);
    }

    @Override
    public ProtocolFamily family() {
      return StandardProtocolFamily.INET;
    }

    @Override
    public String describe(InetSocketAddress bound) {
      return "multicast group " + DatagramEndpoints.format(group, port) + " on "
          + interfaceAddress.getHostAddress();
    }
  }

  /** QEMU's {@code socket,udp=} and inet {@code dgram}: bound locally, every frame to remote. */
  record Unicast(InetSocketAddress local, InetSocketAddress remote) implements DatagramEndpoint {
    @Override
    public InetSocketAddress bindAddress() {
      return local;
    }

    @Override
    public InetSocketAddress target() {
      return remote;
    }

    @Override
    public ProtocolFamily family() {
      InetAddress l = local.getAddress();
      InetAddress r = remote.getAddress();
      return (l instanceof Inet4Address && r instanceof Inet4Address)
          ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    @Override
    public String describe(InetSocketAddress bound) {
      return "udp " + DatagramEndpoints.format(bound.getAddress(), bound.getPort()) + " -> "
          + DatagramEndpoints.format(remote.getAddress(), remote.getPort());
    }
  }
}
