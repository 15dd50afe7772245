package io.fleetsim.vm;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.guest.driver.E1000Driver;
import io.fleetsim.link.PortStats;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One NIC of a VM report: its id and MAC, the counters of its port to the wire, the e1000's
 * statistics registers by name (in register order, 64-bit pairs as one) and the guest driver's
 * counters once the driver runs.
 */
public record NicReport(String nic, MacAddress mac, PortStats port, Map<String, Long> e1000,
    Optional<E1000Driver.Stats> driver) {
  public NicReport {
    Objects.requireNonNull(nic, "nic");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(port, "port");
    e1000 = Collections.unmodifiableMap(new LinkedHashMap<>(e1000)); // keeps the register order
    Objects.requireNonNull(driver, "driver (Optional.empty() before it starts)");
  }
}
