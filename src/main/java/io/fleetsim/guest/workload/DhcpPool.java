package io.fleetsim.guest.workload;

import io.fleetsim.addr.Cidr;
import io.fleetsim.addr.Ipv4Address;
import java.util.Optional;

/**
 * The addresses a dhcp-server hands out: {@code first} to {@code last}, both included. Written
 * {@code 10.1.0.100-10.1.0.199}, or as a block {@code 10.1.0.128/25}, which holds the block's
 * addresses but its first and last (the network and broadcast addresses of a subnet of that
 * size; a /31 or /32 block keeps them all).
 */
public record DhcpPool(Ipv4Address first, Ipv4Address last) {
  /** At most a /16 of addresses: the server keeps one slot per address. */
  public static final int MAX_SIZE = 65_536;

  public DhcpPool {
    long size = (last.bits() & 0xFFFF_FFFFL) - (first.bits() & 0xFFFF_FFFFL) + 1;
    if (size < 1) {
      throw new IllegalArgumentException("pool " + first + "-" + last + ": last is below first");
    }
    if (size > MAX_SIZE) {
      throw new IllegalArgumentException("pool " + first + "-" + last + " has " + size
          + " addresses, more than " + MAX_SIZE + " (a /16)");
    }
  }

  /** {@code A-B} or {@code A/N}; the message says what is wrong. */
  public static DhcpPool parse(String text) {
    int dash = text.indexOf('-');
    if (dash >= 0) {
      Optional<Ipv4Address> a = Ipv4Address.tryParse(text.substring(0, dash));
      Optional<Ipv4Address> b = Ipv4Address.tryParse(text.substring(dash + 1));
      if (a.isEmpty() || b.isEmpty()) {
        throw new IllegalArgumentException("pool '" + text
            + "' is not FIRST-LAST of two IPv4 addresses (like 10.1.0.100-10.1.0.199)");
      }
      return new DhcpPool(a.get(), b.get());
    }
    Optional<Cidr> block = Cidr.tryParse(text);
    if (block.isEmpty()) {
      throw new IllegalArgumentException("pool '" + text
          + "' is neither FIRST-LAST (10.1.0.100-10.1.0.199) nor a block (10.1.0.128/25)");
    }
    int prefix = block.get().prefixLength();
    if (prefix < 16) {
      throw new IllegalArgumentException("pool " + text + " is larger than a /16 (at most "
          + MAX_SIZE + " addresses)");
    }
    int network = block.get().network().bits();
    int broadcast = network | ~Ipv4Address.mask(prefix);
    if (block.get().address().bits() != network) {
      throw new IllegalArgumentException("pool " + text + " is not a block's start (write "
          + new Ipv4Address(network) + "/" + prefix + ")");
    }
    return prefix >= 31 ? new DhcpPool(new Ipv4Address(network), new Ipv4Address(broadcast))
        : new DhcpPool(new Ipv4Address(network + 1), new Ipv4Address(broadcast - 1));
  }

  public int size() {
    return (int) (index(last) + 1);
  }

  /** The place of {@code a} in the pool (0 for {@code first}), or -1 when outside it. */
  public long index(Ipv4Address a) {
    long i = (a.bits() & 0xFFFF_FFFFL) - (first.bits() & 0xFFFF_FFFFL);
    long n = (last.bits() & 0xFFFF_FFFFL) - (first.bits() & 0xFFFF_FFFFL) + 1;
    return i >= 0 && i < n ? i : -1;
  }

  public boolean contains(Ipv4Address a) {
    return index(a) >= 0;
  }

  public Ipv4Address at(int index) {
    return new Ipv4Address(first.bits() + index);
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
