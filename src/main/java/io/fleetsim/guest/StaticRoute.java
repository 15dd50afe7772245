package io.fleetsim.guest;

import io.fleetsim.addr.Cidr;
import io.fleetsim.addr.Ipv4Address;
import java.util.Objects;

/**
 * A static route, as {@code ip route add 10.2.0.0/16 via 10.1.0.1} writes it: packets to {@code
 * destination} go to the gateway {@code via}, which must be on one of the VM's subnets. The
 * destination is kept as its network ({@code 10.2.3.4/16} is {@code 10.2.0.0/16}).
 */
public record StaticRoute(Cidr destination, Ipv4Address via) {
  public StaticRoute {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(via, "via");
    destination = new Cidr(destination.network(), destination.prefixLength());
  }

  /**
   * {@code "10.2.0.0/16 via 10.1.0.1"} ({@code default via G} is {@code 0.0.0.0/0}).
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static StaticRoute parse(String text) {
    String[] words = text.trim().split("\\s+");
    if (words.length != 3 || !words[1].equals("via")) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a route such as \"10.2.0.0/16 via 10.1.0.1\"");
    }
    Cidr to = words[0].equals("default") ? new Cidr(Ipv4Address.ANY, 0)
        : Cidr.tryParse(words[0]).orElseThrow(() -> new IllegalArgumentException(
            "'" + words[0] + "' is not a destination such as 10.2.0.0/16 (or default)"));
    Ipv4Address gateway = Ipv4Address.tryParse(words[2]).orElseThrow(() ->
        new IllegalArgumentException("'" + words[2] + "' is not a gateway address such as 10.1.0.1"));
    return new StaticRoute(to, gateway);
  }

  /** Whether {@code address} matches this route. */
  public boolean matches(Ipv4Address address) {
    return destination.contains(address);
  }

  @Override
  public String toString() {
    return destination + " via " + via;
  }
}
