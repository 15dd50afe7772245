package io.fleetsim.experiment.run;

import io.fleetsim.fabric.FabricPort;
import io.fleetsim.link.PortStats;
import io.fleetsim.fault.FaultChain;
import io.fleetsim.fault.FaultyPort;
import java.util.Map;

/**
 * A network's QEMU socket netdev: where real VMs join. Its far end is outside fleetsim, so its
 * books are those of its fault chains, counted at their edges: "out" is what the far end sends
 * into the network, "in" what the network sends it (as for a fault on the port).
 */
record ExternalPort(String id, String network, FabricPort port, FaultyPort faults, String ready) {
  /** What its rows say is checked, and what is not (the far end may be a port of this run). */
  static final String CHECKED = "this port's fault chain, counted as frames enter and leave it";
  static final String NOT_CHECKED = "the socket and the peer behind it (unread or unsent frames there)";

  PortStats stats() {
    return port.counters().snapshot(id);
  }

  FrameBooks out() {
    return books("out", faults.fromWireCrossing(), faults.fromWire());
  }

  FrameBooks in() {
    return books("in", faults.toWireCrossing(), faults.toWire());
  }

  private static FrameBooks books(String name, FaultyPort.Crossing c, FaultChain chain) {
    return FrameBooks.around(name, c.entered(), c.left(), chain, Map.of(FaultyPort.CAUSE_LINK_CLOSED, c.linkClosed()));
  }

  /** A number that changes whenever a frame moves through this port (for waiting until quiet). */
  long motion() {
    FaultyPort.Crossing from = faults.fromWireCrossing();
    FaultyPort.Crossing to = faults.toWireCrossing();
    return from.entered() + from.left() + to.entered() + to.left() + port.counters().framesOutSoFar();
  }

  long held() {
    return faults.fromWire().held() + faults.toWire().held();
  }
}
