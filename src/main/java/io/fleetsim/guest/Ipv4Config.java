package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * The interface's IPv4 configuration: its address, the on-link prefix and an optional default
 * gateway, which must be on-link (as Linux requires for a plain {@code ip route add default via}).
 */
public record Ipv4Config(Ipv4Address address, int prefixLength, Optional<Ipv4Address> gateway) {
  public Ipv4Config {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(gateway, "gateway (Optional.empty() for none)");
    if (prefixLength < 1 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be 1-32, not " + prefixLength);
    }
    if (address.isAny() || address.isBroadcast() || address.isMulticast()) {
      throw new IllegalArgumentException(address + " cannot be an interface address");
    }
    if (gateway.isPresent()) {
      Ipv4Address gw = gateway.get();
      if (!gw.inSubnet(address, prefixLength) || gw.equals(address)) {
        Ipv4Address network = new Ipv4Address(address.bits() & Ipv4Address.mask(prefixLength));
        throw new IllegalArgumentException(
            "gateway " + gw + " is not another host in " + network + "/" + prefixLength);
      }
    }
  }

  public Ipv4Address network() {
    return new Ipv4Address(address.bits() & Ipv4Address.mask(prefixLength));
  }

  /** The subnet-directed broadcast; for /31 and /32 there is none, so it is 255.255.255.255. */
  public Ipv4Address subnetBroadcast() {
    if (prefixLength >= 31) {
      return Ipv4Address.BROADCAST;
    }
    return new Ipv4Address(address.bits() | ~Ipv4Address.mask(prefixLength));
  }

  public boolean onLink(Ipv4Address destination) {
    return destination.inSubnet(address, prefixLength);
  }

  /** "10.0.2.15/24 (router 10.0.2.2)" or "10.0.2.15/24 (no router)". */
  public String describe() {
    return address + "/" + prefixLength
        + gateway.map(gw -> " (router " + gw + ")").orElse(" (no router)");
  }
}
