package io.fleetsim.experiment.run;

import io.fleetsim.fabric.FabricPort;
import io.fleetsim.fabric.PortStats;
import io.fleetsim.fault.FaultyPort;

/** A network's QEMU socket netdev: where real VMs join. Its far end is outside fleetsim. */
record ExternalPort(String id, String network, FabricPort port, FaultyPort faults, String ready) {
  PortStats stats() {
    return port.counters().snapshot(id);
  }
}
