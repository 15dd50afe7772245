package io.fleetsim.experiment;

import io.fleetsim.addr.Cidr;
import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.experiment.Experiment.Nic;
import io.fleetsim.guest.Ipv4Config;
import io.fleetsim.guest.StaticRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code vms.NAME.routes} and {@code gateway} for one VM, {@code {index}} filled in: parsed, and
 * checked against the VM's connected subnets (its static NICs). A next hop must be on one of
 * them; a VM with a DHCP NIC may also reach one on the subnet it will lease, known only then.
 */
final class RoutesReader {
  /** What one VM's routes and gateway came to; {@code nics} with the gateway on its NIC. */
  record Read(List<StaticRoute> routes, List<Nic> nics, boolean ok) {}

  /** Reports each path once per fleet, for the first VM that is wrong there. */
  interface Report {
    void error(String path, int line, String message);
  }

  private RoutesReader() {}

  /**
   * {@code routes} (texts as written, {@code {index}} filled in), {@code gateway} (likewise) for
   * VM {@code vm} with {@code nics}.
   */
  static Read read(ExperimentFile in, String p, String vm, List<String> routeTexts,
      Optional<String> gatewayText, List<Nic> nics, Report report) {
    String routesPath = ExperimentFile.join(p, "routes");
    boolean ok = true;
    List<StaticRoute> routes = new ArrayList<>();
    boolean anyDhcp = nics.stream().anyMatch(Nic::dhcp);
    Integer defaultRoute = null;
    for (int j = 0; j < routeTexts.size(); j++) {
      String at = routesPath + "[" + j + "]";
      int line = in.lineOfElement(routesPath, j);
      StaticRoute r;
      try {
        r = StaticRoute.parse(routeTexts.get(j));
      } catch (IllegalArgumentException e) {
        report.error(at, line, e.getMessage());
        ok = false;
        continue;
      }
      for (int i = 0; i < routes.size(); i++) {
        if (routes.get(i).destination().equals(r.destination())) {
          report.error(at, line, "overlapping routes: a second route for " + r.destination()
              + " (routes[" + i + "] is one); give each destination once");
          ok = false;
        }
      }
      Optional<Nic> connected = nics.stream().filter(n -> n.ip().isPresent()
          && subnet(n.ip().get()).equals(r.destination())).findFirst();
      if (connected.isPresent()) {
        report.error(at, line, "overlapping routes: " + r.destination() + " is " + vm + "'s own"
            + " subnet on " + connected.get().id() + ", reached directly, not via " + r.via());
        ok = false;
      }
      if (!anyDhcp && onSubnet(nics, r.via()).isEmpty()) {
        report.error(at, line, "next hop " + r.via() + " is on none of " + vm + "'s subnets ("
            + subnets(nics) + ")");
        ok = false;
      }
      if (r.destination().prefixLength() == 0) {
        defaultRoute = j;
      }
      routes.add(r);
    }
    List<Nic> out = new ArrayList<>(nics);
    if (gatewayText.isPresent()) {
      String at = ExperimentFile.join(p, "gateway");
      int line = in.lineOf(at);
      Optional<Ipv4Address> g = Ipv4Address.tryParse(gatewayText.get().trim());
      if (g.isEmpty()) {
        report.error(at, line, "'" + gatewayText.get() + "' is not an address such as 10.1.0.1");
        return new Read(routes, out, false);
      }
      if (nics.stream().allMatch(Nic::dhcp)) {
        report.error(at, line, "gateway needs a NIC with a static address: with dhcp on every"
            + " NIC the gateway comes from the DHCP server (option 3)");
        return new Read(routes, out, false);
      }
      if (defaultRoute != null) {
        report.error(at, line, "overlapping routes: gateway " + g.get() + " and routes["
            + defaultRoute + "] are both a default route; give one");
        ok = false;
      }
      Optional<Nic> holder = onSubnet(nics, g.get());
      if (holder.isEmpty()) {
        report.error(at, line, "gateway " + g.get() + " is on none of " + vm + "'s subnets ("
            + subnets(nics) + ")");
        return new Read(routes, out, false);
      }
      Nic n = holder.get();
      Ipv4Config ip = n.ip().orElseThrow();
      if (ip.address().equals(g.get())) {
        report.error(at, line, "gateway " + g.get() + " is " + vm + "'s own address on " + n.id());
        return new Read(routes, out, false);
      }
      out.set(nics.indexOf(n), new Nic(n.id(), n.attachment(), n.mac(),
          Optional.of(new Ipv4Config(ip.address(), ip.prefixLength(), g)), false));
    }
    return new Read(routes, out, ok);
  }

  private static Cidr subnet(Ipv4Config ip) {
    return new Cidr(ip.network(), ip.prefixLength());
  }

  /** The first static NIC whose subnet holds {@code a}. */
  private static Optional<Nic> onSubnet(List<Nic> nics, Ipv4Address a) {
    return nics.stream().filter(n -> n.ip().isPresent() && n.ip().get().onLink(a)).findFirst();
  }

  private static String subnets(List<Nic> nics) {
    return nics.stream().map(n -> n.id() + " " + n.ip().map(ip -> subnet(ip).toString())
        .orElse("dhcp")).collect(Collectors.joining(", "));
  }
}
