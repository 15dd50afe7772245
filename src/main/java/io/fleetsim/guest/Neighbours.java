package io.fleetsim.guest;

import io.fleetsim.addr.Ipv4Address;
import io.fleetsim.addr.MacAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Permanent ARP entries ({@code ip neigh add ... nud permanent}), built once and shared by every
 * VM of a network: 10,000 VMs on one switch would otherwise start with 10,000 broadcasts, each
 * delivered to 10,000 ports.
 */
public final class Neighbours {
  public static final Neighbours NONE = new Neighbours(Map.of());

  private final Map<Integer, Long> macs;

  private Neighbours(Map<Integer, Long> macs) {
    this.macs = macs;
  }

  public static Neighbours of(Map<Ipv4Address, MacAddress> entries) {
    Map<Integer, Long> macs = new HashMap<>();
    entries.forEach((ip, mac) -> macs.put(ip.bits(), mac.bits()));
    return new Neighbours(macs);
  }

  public boolean isEmpty() {
    return macs.isEmpty();
  }

  public int size() {
    return macs.size();
  }

  /** The MAC of {@code address} as bits, or null. */
  Long mac(int address) {
    return macs.get(address);
  }
}
