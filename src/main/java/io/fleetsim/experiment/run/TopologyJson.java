package io.fleetsim.experiment.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetsim.experiment.Experiment;

/**
 * results.json's {@code topology}: what the file built, for the report's drawing. {@code
 * networks} (with their ports' netdev ids), {@code fleets} (each NIC as its first VM has it) and
 * {@code links} between networks.
 */
final class TopologyJson {
  private TopologyJson() {}

  static ObjectNode of(Experiment experiment) {
    ObjectNode t = Results.JSON.createObjectNode();
    networks(t.putArray("networks"), experiment);
    fleets(t.putArray("fleets"), experiment);
    links(t.putArray("links"), experiment);
    return t;
  }

  private static void networks(ArrayNode out, Experiment experiment) {
    for (Experiment.Network n : experiment.networks().values()) {
      ObjectNode o = out.addObject();
      o.put("name", n.name());
      o.put("type", n.type().hoconName());
      ArrayNode ports = o.putArray("ports");
      n.ports().forEach(p -> ports.add(p.id()));
    }
  }

  /**
   * A NIC's {@code network}: the network's name, or {@code netdev:SOURCE} for its own netdev;
   * {@code ip}: VM 1's address/prefix ({@code {index}} filled in for it), null with DHCP.
   */
  private static void fleets(ArrayNode out, Experiment experiment) {
    for (Experiment.Fleet f : experiment.fleets().values()) {
      ObjectNode o = out.addObject();
      o.put("name", f.name());
      o.put("count", f.count());
      o.put("router", f.router());
      ArrayNode nics = o.putArray("nics");
      for (Experiment.Nic nic : f.vms().get(0).nics()) {
        ObjectNode n = nics.addObject();
        n.put("network", nic.attachment() instanceof Experiment.ToNetwork tn ? tn.network()
            : "netdev:" + ((Experiment.ToNetdev) nic.attachment()).netdev().source());
        n.put("ip", nic.ip().map(ip -> ip.address() + "/" + ip.prefixLength()).orElse(null));
        n.put("dhcp", nic.dhcp());
      }
    }
  }

  /** {@code links}: the links between networks (the "links" work fills this in). */
  private static void links(ArrayNode out, Experiment experiment) {
    // none yet: this experiment model has no links between networks
  }
}
