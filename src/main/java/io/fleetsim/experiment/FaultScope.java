package io.fleetsim.experiment;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

  public FaultScope {
    Map<String, List<String>> vms = new LinkedHashMap<>();
    vmsOf.forEach((name, of) -> vms.put(name, List.copyOf(of)));
    vmsOf = Collections.unmodifiableMap(vms);
    networks = Collections.unmodifiableSet(new LinkedHashSet<>(networks));
    ports = Collections.unmodifiableSet(new LinkedHashSet<>(ports));
    links = Collections.unmodifiableSet(new LinkedHashSet<>(links));
  }

  /** Everything {@code experiment} names, with its whole duration left. */
  public static FaultScope of(Experiment experiment) {
    // as a file names them (ExperimentFile.vmsByName): each VM of a fleet, then the fleet
    Map<String, List<String>> vmsOf = new LinkedHashMap<>();
    for (Experiment.Fleet fleet : experiment.fleets().values()) {
      List<String> vms = fleet.vms().stream().map(Experiment.Vm::name).toList();
      if (fleet.count() > 1) {
        vms.forEach(vm -> vmsOf.put(vm, List.of(vm)));
      }
      vmsOf.put(fleet.name(), vms);
    }
    Set<String> ports = new LinkedHashSet<>();
    experiment.networks().values().forEach(n -> n.ports().forEach(p -> ports.add(p.id())));
    return new FaultScope(vmsOf, experiment.networks().keySet(), ports,
        experiment.links().keySet(), Optional.of(experiment.duration()));
  }

  /** A hub or switch: its fabrics as networks, its netdevs as ports, no VMs, no end. */
  public static FaultScope ofFabric(Set<String> networks, Set<String> ports) {
    return new FaultScope(Map.of(), networks, ports, Set.of(), Optional.empty());
  }

  /** The same names with {@code left} to go. */
  public FaultScope withRemaining(Duration left) {
    return new FaultScope(vmsOf, networks, ports, links, Optional.of(left));
  }
}
