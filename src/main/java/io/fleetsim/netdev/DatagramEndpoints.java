package io.fleetsim.netdev;

import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.Collections;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a multicast or UDP netdev spec into a {@link DatagramEndpoint}, checking it the way QEMU
 * does at start-up and failing in QEMU's words. It resolves names and really opens, binds (and
 * joins) a throwaway socket with the same set-up, so that a bind or join error is reported with
 * its cause before Pekko's UDP layer (which only says "failed") opens the real one.
 *
 * <p>Blocking (DNS, interface lookup, socket calls): run it on a blocking dispatcher.
 */
public final class DatagramEndpoints {
  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private DatagramEndpoints() {}

  /**
   * @throws DatagramSetupException with a user-facing message when the spec cannot be opened,
   *     including address kinds the JVM cannot do (unix datagram sockets, inherited fds)
   */
  public static DatagramEndpoint resolve(NetdevSpec spec) {
    if (spec instanceof NetdevSpec.Multicast m) {
      return resolveMulticast(m);
    }
    if (spec instanceof NetdevSpec.Udp u) {
      return resolveUnicast(u);
    }
    throw new DatagramSetupException("not a datagram netdev: " + spec.source());
  }

  private static DatagramEndpoint.Multicast resolveMulticast(NetdevSpec.Multicast spec) {
    Inet4Address group = ipv4(spec.group().host());
    if (!group.isMulticastAddress()) {
      throw new DatagramSetupException(String.format(
          "specified mcastaddr %s (0x%08x) does not contain a multicast address",
          group.getHostAddress(), toInt(group)));
    }
    Inet4Address local = null;
    if (spec.localAddr().isPresent()) {
      local = ipv4Literal(spec.localAddr().get());
    }
    int port = spec.group().port();
    // QEMU's order: bind (to the group address), then find the interface and join.
    try (DatagramChannel channel = openAndBind(StandardProtocolFamily.INET,
        new InetSocketAddress(group, port))) {
      DatagramEndpoint.Multicast endpoint = local != null
          ? new DatagramEndpoint.Multicast(group, port, interfaceOf(local, group), local, true)
          : routedInterface(group, port);
      try {
        DatagramSocketSetup.join(endpoint, channel);
      } catch (IOException | IllegalArgumentException e) {
        throw noMembership(group, reason(e));
      }
      try {
        DatagramSocketSetup.loopBack(channel);
      } catch (IOException e) {
        throw new DatagramSetupException(
            "can't force multicast message to loopback: " + reason(e));
      }
      try {
        DatagramSocketSetup.sendInterface(endpoint, channel);
      } catch (IOException e) {
        throw new DatagramSetupException(
            "can't set the default network send interface: " + reason(e));
      }
      return endpoint;
    } catch (IOException e) {
      // Only close() can get here.
      throw new DatagramSetupException("can't close datagram socket: " + reason(e));
    }
  }

  private static DatagramEndpoint.Unicast resolveUnicast(NetdevSpec.Udp spec) {
    SocketAddr.Inet local = inet(spec.local());
    SocketAddr.Inet remote = inet(spec.remote());
    InetAddress remoteAddress = host(remote.host(), false);
    InetAddress localAddress = host(local.host(), remoteAddress instanceof Inet6Address);
    if (remoteAddress instanceof Inet6Address != localAddress instanceof Inet6Address) {
      throw new DatagramSetupException("local address " + local + " and remote address "
          + remote + " are not of the same IP version");
    }
    DatagramEndpoint.Unicast endpoint = new DatagramEndpoint.Unicast(
        new InetSocketAddress(localAddress, local.port()),
        new InetSocketAddress(remoteAddress, remote.port()));
    try (DatagramChannel ignored = openAndBind(endpoint.family(), endpoint.bindAddress())) {
      return endpoint;
    } catch (IOException e) {
      throw new DatagramSetupException("can't close datagram socket: " + reason(e));
    }
  }

  private static SocketAddr.Inet inet(SocketAddr addr) {
    if (addr instanceof SocketAddr.Inet inet) {
      return inet;
    }
    if (addr instanceof SocketAddr.Unix) {
      throw new DatagramSetupException("unix datagram sockets (" + addr
          + ") are not supported by the Java runtime fleetsim runs on");
    }
    throw new DatagramSetupException("inherited file descriptors (" + addr
        + ") are not supported for datagram netdevs: the Java runtime cannot adopt them");
  }

  private static DatagramChannel openAndBind(ProtocolFamily family, InetSocketAddress address) {
    DatagramChannel channel;
    try {
      channel = DatagramSocketSetup.open(family);
    } catch (UnsupportedOperationException e) {
      throw new DatagramSetupException("can't create datagram socket: " + reason(e)
          + (family == StandardProtocolFamily.INET6
              ? " (IPv6 is off: java.net.preferIPv4Stack=true?)" : ""));
    } catch (IOException e) {
      throw new DatagramSetupException("can't create datagram socket: " + reason(e));
    }
    try {
      channel.bind(address);
      return channel;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw new DatagramSetupException("can't bind ip=" + address.getAddress().getHostAddress()
          + " to socket: " + reason(e));
    }
  }

  private static NetworkInterface interfaceOf(Inet4Address local, Inet4Address group) {
    try {
      NetworkInterface iface = NetworkInterface.getByInetAddress(local);
      if (iface == null && local.isLoopbackAddress()) {
        // The kernel finds an interface through its local routes too: 127.0.0.2 is on lo.
        iface = loopbackInterface();
      }
      if (iface == null) {
        // What the kernel answers for a membership on an address no interface has.
        throw noMembership(group, "No such device");
      }
      return iface;
    } catch (SocketException e) {
      throw noMembership(group, reason(e));
    }
  }

  private static NetworkInterface loopbackInterface() throws SocketException {
    for (NetworkInterface iface : Collections.list(
        NetworkInterface.getNetworkInterfaces())) {
      if (iface.isLoopback() && iface.inetAddresses().anyMatch(a -> a instanceof Inet4Address)) {
        return iface;
      }
    }
    return null;
  }

  /**
   * Without localaddr QEMU joins on INADDR_ANY and the kernel picks the device its routing table
   * sends the group to. Java needs the interface itself, so ask the same routing table: the main
   * table in /proc/net/route (a route like "224.0.0.0/4 dev lo" has no source address), else
   * which local address a socket connected to the group would send from.
   */
  private static DatagramEndpoint.Multicast routedInterface(Inet4Address group, int port) {
    try {
      Optional<String> device = Ipv4Routes.deviceFor(group);
      NetworkInterface iface = device.isPresent() ? NetworkInterface.getByName(device.get()) : null;
      if (iface != null) {
        Inet4Address address = firstIpv4(iface);
        if (address == null) {
          throw noMembership(group, "interface " + iface.getName() + " has no IPv4 address");
        }
        return new DatagramEndpoint.Multicast(group, port, iface, address, false);
      }
    } catch (SocketException e) {
      throw noMembership(group, reason(e));
    }
    InetAddress source;
    try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
      probe.connect(new InetSocketAddress(group, port == 0 ? 9 : port));
      source = ((InetSocketAddress) probe.getLocalAddress()).getAddress();
    } catch (IOException e) {
      throw noMembership(group, "No such device");
    }
    if (!(source instanceof Inet4Address address) || address.isAnyLocalAddress()) {
      throw noMembership(group, "No such device");
    }
    return new DatagramEndpoint.Multicast(group, port, interfaceOf(address, group), address,
        false);
  }

  private static Inet4Address firstIpv4(NetworkInterface iface) {
    return iface.inetAddresses().filter(a -> a instanceof Inet4Address)
        .map(a -> (Inet4Address) a).findFirst().orElse(null);
  }

  private static DatagramSetupException noMembership(Inet4Address group, String why) {
    return new DatagramSetupException(
        "can't add socket to multicast group " + group.getHostAddress() + ": " + why);
  }

  /** An IPv4 address for a host name or literal; "" is INADDR_ANY, as QEMU's parser has it. */
  private static Inet4Address ipv4(String host) {
    if (host.isEmpty()) {
      return (Inet4Address) anyAddress(false);
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a instanceof Inet4Address v4) {
          return v4;
        }
      }
    } catch (UnknownHostException e) {
      // reported below
    }
    throw new DatagramSetupException("can't resolve host address '" + host + "'");
  }

  private static Inet4Address ipv4Literal(String text) {
    if (DOTTED_QUAD.matcher(text).matches()) {
      try {
        // A dotted quad is parsed, never looked up.
        return (Inet4Address) InetAddress.getByName(text);
      } catch (UnknownHostException | ClassCastException e) {
        // an octet above 255: reported below
      }
    }
    throw new DatagramSetupException("localaddr '" + text + "' is not a valid IPv4 address");
  }

  /** Any address family for unicast (inet {@code dgram} may be IPv6); IPv4 preferred for names. */
  private static InetAddress host(String host, boolean v6Any) {
    if (host.isEmpty()) {
      return anyAddress(v6Any);
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress a : all) {
        if (a instanceof Inet4Address) {
          return a;
        }
      }
      return all[0];
    } catch (UnknownHostException e) {
      throw new DatagramSetupException("can't resolve host address '" + host + "'");
    }
  }

  private static InetAddress anyAddress(boolean v6) {
    try {
      return InetAddress.getByAddress(new byte[v6 ? 16 : 4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static int toInt(Inet4Address a) {
    byte[] b = a.getAddress();
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  static String format(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
  }

  static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static void closeQuietly(DatagramChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to report: the bind error is the news
    }
  }
}
