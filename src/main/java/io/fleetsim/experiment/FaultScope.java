package io.fleetsim.experiment;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a fault posted to something running may name, and when it would have to end: every VM and
 * fleet name with the VMs it stands for, network names, network port ids (netdev ids), link
 * names, and the time left in the run (empty: a hub or switch, which runs until stopped).
 */
public record FaultScope(Map<String, List<String>> vmsOf, Set<String> networks, Set<String> ports,
    Set<String> links, Optional<Duration> remaining) {

  /** Everything {@code experiment} names, with its whole duration left. */
  public static FaultScope of(Experiment experiment) {
    throw new UnsupportedOperationException("issue 13: valid helper");
  }

  /** A hub or switch: its fabrics as networks, its netdevs as ports, no VMs, no end. */
  public static FaultScope ofFabric(Set<String> networks, Set<String> ports) {
    throw new UnsupportedOperationException("issue 13: valid helper");
  }

  /** The same names with {@code left} to go. */
  public FaultScope withRemaining(Duration left) {
    return new FaultScope(vmsOf, networks, ports, links, Optional.of(left));
  }
}
