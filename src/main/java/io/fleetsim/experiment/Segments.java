package io.fleetsim.experiment;

import io.fleetsim.experiment.Experiment.Attachment;
import io.fleetsim.experiment.Experiment.Network;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which networks and netdev-attached fleets of one experiment form one L2 segment, where an IPv4
 * address may be used once. Each network is its own segment, joined with any other place whose
 * socket reaches the same endpoint: a listen port and a connect port of one address (two sites
 * linked switch to switch), one multicast group, the two ends of a udp= pair, and with the other
 * end of each of its {@code links}. Sockets to places
 * outside the file are not followed, so two networks are separate unless this file joins them.
 */
final class Segments {
  /** Union-find over "net:NAME" and endpoint keys; a key absent from the map is its own root. */
  private final Map<String, String> parent = new HashMap<>();

  static Segments of(Map<String, Network> networks, Map<String, Experiment.NetworkLink> links) {
    Segments s = new Segments();
    // a link is a cable between two switches: one segment
    links.values().forEach(l -> s.union(network(l.a()), network(l.b())));
    for (Network n : networks.values()) {
      for (NetdevSpec port : n.ports()) {
        s.union(network(n.name()), endpoint(port, "port:" + port.id()));
      }
    }
    return s;
  }

  /**
   * The segment a NIC is on; {@code own} names it where its netdev reaches nothing this file
   * can see (an fd).
   */
  String of(String own, Attachment attachment) {
    if (attachment instanceof Experiment.ToNetwork net) {
      return find(network(net.network()));
    }
    return find(endpoint(((Experiment.ToNetdev) attachment).netdev(), own));
  }

  private static String network(String name) {
    return "net:" + name;
  }

  /** What the netdev connects to; {@code own} where that is nothing this file can see (an fd). */
  private static String endpoint(NetdevSpec spec, String own) {
    if (spec instanceof NetdevSpec.Stream stream) {
      return "stream:" + addr(stream.addr()).orElse(own);
    }
    if (spec instanceof NetdevSpec.Multicast mcast) {
      return "mcast:" + mcast.group().host() + ":" + mcast.group().port();
    }
    if (spec instanceof NetdevSpec.Udp udp) {
      // A (local a, remote b) and B (local b, remote a) are the two ends of one wire
      String a = addr(udp.local()).orElse(own);
      String b = addr(udp.remote()).orElse(own);
      return "udp:" + (a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a);
    }
    return own;
  }

  private static Optional<String> addr(SocketAddr addr) {
    if (addr instanceof SocketAddr.Inet inet) {
      return Optional.of((local(inet.host()) ? "local" : inet.host()) + ":" + inet.port());
    }
    if (addr instanceof SocketAddr.Unix unix) {
      return Optional.of("unix:" + unix.path());
    }
    return Optional.empty();
  }

  /** This host: a listen on any address and a connect to loopback meet. */
  private static boolean local(String host) {
    return host.isEmpty() || host.equals("0.0.0.0") || host.equals("localhost")
        || host.startsWith("127.") || host.equals("::") || host.equals("::1");
  }

  private String find(String key) {
    String p = parent.getOrDefault(key, key);
    if (p.equals(key)) {
      return key;
    }
    String root = find(p);
    parent.put(key, root);
    return root;
  }

  private void union(String a, String b) {
    String ra = find(a);
    String rb = find(b);
    if (!ra.equals(rb)) {
      // the smaller key becomes the root, so the result does not depend on the order of ports
      parent.put(ra.compareTo(rb) < 0 ? rb : ra, ra.compareTo(rb) < 0 ? ra : rb);
    }
  }
}
