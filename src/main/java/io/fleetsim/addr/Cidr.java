package io.fleetsim.addr;

import java.util.Optional;

/**
 * An IPv4 address with a prefix length, as written in {@code 10.0.0.5/24}: the address is kept
 * as given (it may be a host inside the block, not only the network).
 */
public record Cidr(Ipv4Address address, int prefixLength) {
  public Cidr {
    if (address == null) {
      throw new IllegalArgumentException("CIDR address missing");
    }
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be 0-32, not " + prefixLength);
    }
  }

  /** {@code a.b.c.d/n} with n in 0-32; empty for anything else. */
  public static Optional<Cidr> tryParse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String prefix = text.substring(slash + 1);
    if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    int length = Integer.parseInt(prefix);
    if (length > 32) {
      return Optional.empty();
    }
    return Ipv4Address.tryParse(text.substring(0, slash)).map(a -> new Cidr(a, length));
  }

  public Ipv4Address network() {
    return new Ipv4Address(address.bits() & Ipv4Address.mask(prefixLength));
  }

  /** Whether {@code other} lies in this block. */
  public boolean contains(Ipv4Address other) {
    return other.inSubnet(address, prefixLength);
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }
}
