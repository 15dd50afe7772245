package io.fleetsim.guest;

import java.util.List;

/**
 * A VM's IPv4 routing beyond its connected subnets: whether it forwards between its interfaces
 * (a router), and its static routes, longest prefix first when they are looked up. A default
 * gateway is the interface's ({@link Ipv4Config#gateway()}), set statically or by DHCP.
 */
public record Routing(boolean forwarding, List<StaticRoute> routes) {
  /** A plain host: no forwarding, no static routes. */
  public static final Routing HOST = new Routing(false, List.of());

  public Routing {
    routes = List.copyOf(routes);
  }
}
