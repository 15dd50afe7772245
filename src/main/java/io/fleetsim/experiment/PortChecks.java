package io.fleetsim.experiment;

import io.fleetsim.experiment.Experiment.Fleet;
import io.fleetsim.experiment.Experiment.Network;
import io.fleetsim.qemu.NetdevSpec;
import io.fleetsim.qemu.SocketAddr;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks across sections on sockets and netdev ids, once networks and fleets are read. */
final class PortChecks {
  private PortChecks() {}

  /**
   * A fault or capture target names a vm, fleet, network or port (netdev id); a port id that is
   * also one of the others would make the target ambiguous.
   */
  static void portIdClashes(ExperimentFile in, Map<String, Network> networks) {
    Map<String, List<String>> vmsOf = in.vmsByName();
    Set<String> fleetNames = new HashSet<>(in.names("vms"));
    Set<String> networkNames = new HashSet<>(in.names("networks"));
    for (Network n : networks.values()) {
      for (int i = 0; i < n.ports().size(); i++) {
        String id = n.ports().get(i).id();
        String what = networkNames.contains(id) ? "a network"
            : fleetNames.contains(id) ? (vmsOf.get(id).size() > 1 ? "a fleet" : "a vm")
            : vmsOf.containsKey(id) ? "a vm" : null;
        if (what != null) {
          String ports = ExperimentFile.join("networks", n.name(), "ports");
          in.error(ports + "[" + i + "]", in.lineOfElement(ports, i), "netdev id '" + id
              + "' is also the name of " + what
              + " (fault and capture targets would be ambiguous)");
        }
      }
    }
  }

  /** Two netdevs listening on one host:port cannot both start ("" or 0.0.0.0 overlaps any host). */
  static void listenOverlaps(ExperimentFile in, Map<String, Network> networks,
      Map<String, Fleet> fleets) {
    Map<String, String> seen = new LinkedHashMap<>();
    for (Network n : networks.values()) {
      String ports = ExperimentFile.join("networks", n.name(), "ports");
      for (int i = 0; i < n.ports().size(); i++) {
        listen(in, n.ports().get(i), ports + "[" + i + "]", in.lineOfElement(ports, i), seen);
      }
    }
    for (Fleet f : fleets.values()) {
      boolean listed = in.root.hasPath(ExperimentFile.join("vms", f.name(), "nics"));
      for (Experiment.Vm vm : f.vms()) {
        for (int k = 0; k < vm.nics().size(); k++) {
          if (vm.nics().get(k).attachment() instanceof Experiment.ToNetdev td) {
            String at = listed ? ExperimentFile.join("vms", f.name(), "nics") + "[" + k + "].netdev"
                : ExperimentFile.join("vms", f.name(), "netdev");
            int line = listed ? in.lineOfElement(ExperimentFile.join("vms", f.name(), "nics"), k)
                : in.lineOf(at);
            listen(in, td.netdev(), at, line, seen);
          }
        }
      }
    }
  }

  private static void listen(ExperimentFile in, NetdevSpec spec, String at, int line,
      Map<String, String> seen) {
    if (!(spec instanceof NetdevSpec.Stream) || !((NetdevSpec.Stream) spec).server()) {
      return;
    }
    SocketAddr addr = ((NetdevSpec.Stream) spec).addr();
    if (!(addr instanceof SocketAddr.Inet)) {
      return;
    }
    SocketAddr.Inet inet = (SocketAddr.Inet) addr;
    boolean wildcard = inet.host().isEmpty() || inet.host().equals("0.0.0.0");
    for (Map.Entry<String, String> e : seen.entrySet()) {
      String[] hp = e.getKey().split("\\|", 2);
      boolean samePort = hp[1].equals(String.valueOf(inet.port()));
      boolean otherWildcard = hp[0].isEmpty() || hp[0].equals("0.0.0.0");
      if (samePort && (wildcard || otherWildcard || hp[0].equals(inet.host()))) {
        in.error(at, line, "overlapping ports: listens on " + inet + " as " + e.getValue()
            + " does");
        return;
      }
    }
    seen.put(inet.host() + "|" + inet.port(), at);
  }
}
