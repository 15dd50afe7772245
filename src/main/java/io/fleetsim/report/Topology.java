package io.fleetsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * An experiment's topology as results.json's {@code topology} section has it: the networks, the
 * fleets (not their VMs) with a NIC per network they join, and the links between networks. Read
 * leniently, as the report reads everything: a missing field is empty, never an exception; lists
 * longer than anything a drawing could show are cut at {@link #MAX_READ} (a file has a few dozen
 * networks and fleets, a results file of another program may have anything).
 */
public record Topology(List<Network> networks, List<Fleet> fleets, List<Link> links) {
  /** Entries read per list: far beyond what is drawn ({@link TopologySvg#MAX_NODES}). */
  static final int MAX_READ = 10_000;

  public Topology {
    networks = List.copyOf(networks);
    fleets = List.copyOf(fleets);
    links = List.copyOf(links);
  }

  /** {@code networks[i]}: a hub or switch and the ids of its QEMU socket ports. */
  public record Network(String name, String type, List<String> ports) {
    public Network {
      ports = List.copyOf(ports);
    }
  }

  /**
   * {@code fleets[i]}: {@code count} VMs drawn as one node; a router or hosts; one NIC per entry.
   */
  public record Fleet(String name, long count, boolean router, List<Nic> nics) {
    public Fleet {
      nics = List.copyOf(nics);
    }
  }

  /**
   * A fleet's NIC: the network of its first VM ({@code "netdev:SOURCE"} for a netdev of its
   * own), that VM's address as written (empty with DHCP), and, when the fleet's VMs put this NIC
   * on different networks ({@code network = "rack-{index}"}), every network it reaches, in order
   * ({@code networks}; else just {@code network}).
   */
  public record Nic(String network, List<String> networks, String ip, boolean dhcp) {
    public Nic {
      networks = List.copyOf(networks);
    }

    /** Every network this NIC of the fleet's VMs is on: {@code networks}, or else {@code network}. */
    public List<String> reaches() {
      return networks.isEmpty() ? (network.isEmpty() ? List.of() : List.of(network)) : networks;
    }
  }

  /** {@code links[i]}: a point-to-point link between two networks and its standing properties. */
  public record Link(String name, String a, String b, OptionalDouble latencyMillis,
      OptionalDouble jitterMillis, OptionalLong rateBitsPerSecond, OptionalDouble lossPercent) {}

  /** The {@code topology} section of a results tree; empty lists where it has none. */
  public static Topology of(JsonNode topology) {
    List<Network> networks = new ArrayList<>();
    for (JsonNode n : first(topology.path("networks"))) {
      networks.add(new Network(text(n.path("name")), text(n.path("type")), texts(n.path("ports"))));
    }
    List<Fleet> fleets = new ArrayList<>();
    for (JsonNode f : first(topology.path("fleets"))) {
      List<Nic> nics = new ArrayList<>();
      for (JsonNode nic : first(f.path("nics"))) {
        nics.add(new Nic(text(nic.path("network")), texts(nic.path("networks")), text(nic.path("ip")),
            nic.path("dhcp").asBoolean(false)));
      }
      JsonNode count = f.path("count");
      fleets.add(new Fleet(text(f.path("name")), count.canConvertToLong() ? count.asLong() : 1,
          f.path("router").asBoolean(false), nics));
    }
    List<Link> links = new ArrayList<>();
    for (JsonNode l : first(topology.path("links"))) {
      List<String> between = texts(l.path("between"));
      links.add(new Link(text(l.path("name")), between.isEmpty() ? "" : between.get(0),
          between.size() < 2 ? "" : between.get(1), decimal(l.path("latencyMillis")),
          decimal(l.path("jitterMillis")), whole(l.path("rateBitsPerSecond")),
          decimal(l.path("lossPercent"))));
    }
    return new Topology(networks, fleets, links);
  }

  private static List<JsonNode> first(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    if (array.isArray()) {
      for (JsonNode e : array) {
        if (out.size() == MAX_READ) {
          break;
        }
        out.add(e);
      }
    }
    return out;
  }

  private static String text(JsonNode v) {
    return v.isValueNode() && !v.isNull() ? v.asText() : "";
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : first(array)) {
      out.add(text(v));
    }
    return out;
  }

  private static OptionalDouble decimal(JsonNode v) {
    return v.isNumber() ? OptionalDouble.of(v.doubleValue()) : OptionalDouble.empty();
  }

  private static OptionalLong whole(JsonNode v) {
    return v.isNumber() && v.canConvertToLong() ? OptionalLong.of(v.longValue()) : OptionalLong.empty();
  }
}
