package io.fleetsim.addr;

import java.util.Optional;

/** An IPv4 address held in an int, network order (the first octet in the high byte). */
public record Ipv4Address(int bits) {
  public static final Ipv4Address ANY = new Ipv4Address(0);
  public static final Ipv4Address BROADCAST = new Ipv4Address(0xFFFF_FFFF);
  /** 224.0.0.1: every host joins it, so the stack accepts it. */
  public static final Ipv4Address ALL_HOSTS = new Ipv4Address(0xE000_0001);

  public static Ipv4Address of(int a, int b, int c, int d) {
    for (int octet : new int[] {a, b, c, d}) {
      if (octet < 0 || octet > 255) {
        throw new IllegalArgumentException("IPv4 octet out of range: " + octet);
      }
    }
    return new Ipv4Address((a << 24) | (b << 16) | (c << 8) | d);
  }

  /** Dotted quad, exactly four decimal octets 0-255 without leading '+' or spaces. */
  public static Optional<Ipv4Address> tryParse(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    int bits = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3) {
        return Optional.empty();
      }
      int value = 0;
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        if (c < '0' || c > '9') {
          return Optional.empty();
        }
        value = value * 10 + (c - '0');
      }
      if (value > 255) {
        return Optional.empty();
      }
      bits = (bits << 8) | value;
    }
    return Optional.of(new Ipv4Address(bits));
  }

  /** Like {@link #tryParse} but throws with the text in the message. */
  public static Ipv4Address parse(String text) {
    return tryParse(text).orElseThrow(
        () -> new IllegalArgumentException("'" + text + "' is not an IPv4 address"));
  }

  /** The netmask of a prefix length 0-32 as an int. */
  public static int mask(int prefixLength) {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be 0-32, not " + prefixLength);
    }
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  /** The prefix length of a contiguous netmask; empty when the mask has holes. */
  public static Optional<Integer> prefixOf(int mask) {
    int prefix = Integer.bitCount(mask);
    return mask(prefix) == mask ? Optional.of(prefix) : Optional.empty();
  }

  public boolean isAny() {
    return bits == 0;
  }

  public boolean isBroadcast() {
    return bits == 0xFFFF_FFFF;
  }

  /** 224.0.0.0/4. */
  public boolean isMulticast() {
    return (bits & 0xF000_0000) == 0xE000_0000;
  }

  public boolean inSubnet(Ipv4Address network, int prefixLength) {
    int m = mask(prefixLength);
    return (bits & m) == (network.bits & m);
  }

  public int octet(int i) {
    return (bits >>> (8 * (3 - i))) & 0xFF;
  }

  @Override
  public String toString() {
    return octet(0) + "." + octet(1) + "." + octet(2) + "." + octet(3);
  }
}
