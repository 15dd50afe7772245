package io.fleetsim.experiment;

import io.fleetsim.addr.Cidr;
import io.fleetsim.guest.workload.DhcpServerWorkload;
import io.fleetsim.guest.workload.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fleet running {@code dhcp-server} must be, checked against the file: one VM (several
 * would lease the same pool to different clients) with a static address on a subnet that holds
 * the pool as the server needs it ({@link DhcpServerWorkload#fitOn}). The run would otherwise
 * only find out as a failed workload; here the error names the line.
 */
final class DhcpServerChecks {
  private DhcpServerChecks() {}

  /**
   * @param subnets the static address/prefix of each of the fleet's first VM's NICs (a NIC
   *     addressed by DHCP has none)
   * @return false when something was reported
   */
  static boolean check(ExperimentFile in, String fleetPath, List<Workload> workloads, int count,
      List<Cidr> subnets) {
    String path = ExperimentFile.join(fleetPath, "workloads");
    boolean ok = true;
    for (int i = 0; i < workloads.size(); i++) {
      if (!(workloads.get(i) instanceof DhcpServerWorkload server)) {
        continue;
      }
      String at = path + "[" + i + "]";
      int line = in.lineOfElement(path, i);
      if (count > 1) {
        in.error(at, line, "dhcp-server on a fleet of " + count + " VMs: each would lease the"
            + " same pool; give the server a fleet of its own (count = 1)");
        ok = false;
        continue;
      }
      if (subnets.isEmpty()) {
        in.error(at, line, "dhcp-server needs a static address (ip = CIDR) on the subnet of its"
            + " pool " + server.pool());
        ok = false;
        continue;
      }
      List<String> why = new ArrayList<>();
      boolean serves = false;
      for (Cidr subnet : subnets) {
        DhcpServerWorkload.Fit fit = server.fitOn(subnet);
        serves |= fit.serves();
        if (fit.refused()) {
          why.add(fit.why());
        }
      }
      if (!serves) {
        in.error(at, line, "dhcp-server cannot serve: " + (why.isEmpty()
            ? "pool " + server.pool() + " is on none of the VM's subnets " + subnets
            : String.join("; ", why)));
        ok = false;
      }
    }
    return ok;
  }
}
