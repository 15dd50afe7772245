package io.fleetsim.guest.os;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.guest.Ipv4Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One guest interface: its MAC, its IPv4 configuration (none before DHCP answers) and its stack
 * counters by {@link io.fleetsim.guest.StackCounter#key()}, in the counters' declared order.
 */
public record InterfaceReport(MacAddress mac, Optional<Ipv4Config> address, Map<String, Long> counters) {
  public InterfaceReport {
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(address, "address (Optional.empty() for none)");
    counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters)); // keeps the order
  }
}
