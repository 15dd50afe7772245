package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import java.util.List;
import java.util.Optional;

/**
 * What a DHCP server granted.
 *
 * @param prefixLength from the subnet mask option; the address's class when the server sent none
 * @param server the server identifier (option 54)
 * @param router the first on-link router of option 3; QEMU's slirp sends none with restrict=on
 * @param leaseSeconds lease time (option 51); -1 for an infinite lease
 * @param renewSeconds T1 (option 58, else half the lease); -1 when infinite
 * @param rebindSeconds T2 (option 59, else 7/8 of the lease); -1 when infinite
 * @param obtainedAtNanos guest time of the ACK
 */
public record DhcpLease(Ipv4Address address, int prefixLength, Ipv4Address server,
    Optional<Ipv4Address> router, List<Ipv4Address> dns, long leaseSeconds, long renewSeconds,
    long rebindSeconds, long obtainedAtNanos) {
  public DhcpLease {
    dns = List.copyOf(dns);
  }

  public Ipv4Config config() {
    return new Ipv4Config(address, prefixLength, router);
  }

  public boolean infinite() {
    return leaseSeconds < 0;
  }

  /** "10.0.2.15/24 from 10.0.2.2 (router 10.0.2.2)", or "(no router)". */
  public String describe() {
    return address + "/" + prefixLength + " from " + server
        + router.map(r -> " (router " + r + ")").orElse(" (no router)");
  }
}
