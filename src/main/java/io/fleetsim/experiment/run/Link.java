package io.fleetsim.experiment.run;

import io.fleetsim.fabric.FabricPort;
import io.fleetsim.link.PortStats;
import io.fleetsim.fault.FaultyPort;
import java.util.Map;

/**
 * An in-process link: one VM's NIC to a port of a network (or multicast bus), with a fault chain
 * in each direction. "Out" is what the VM sends, "in" what it receives. Each direction is
 * counted at both ends by different code (the NIC's tap, the fabric port) with the chain's drops
 * in between: its {@link FrameBooks}, which {@link Results} checks.
 */
final class Link {
  private final String name;
  private final String network;
  private final FleetVm vm;
  private final FabricPort port;
  private final FaultyPort faults;
  // frames lost in flight when the VM crashed: per direction, out and in
  private long lostOut;
  private long lostIn;

  Link(String name, String network, FleetVm vm, FabricPort port, FaultyPort faults) {
    this.name = name;
    this.network = network;
    this.vm = vm;
    this.port = port;
    this.faults = faults;
  }

  String name() {
    return name;
  }

  String network() {
    return network;
  }

  FleetVm vm() {
    return vm;
  }

  FaultyPort faults() {
    return faults;
  }

  PortStats portStats() {
    return port.counters().snapshot(port.name());
  }

  /**
   * After a crash the link's streams are gone: whatever was between the two ends then is lost,
   * as a real NIC's rings are. Called once the old link has ended; booked as {@code vm-crash}.
   */
  void bookCrashLoss() {
    lostOut += Math.max(0, out().imbalance());
    lostIn += Math.max(0, in().imbalance());
  }

  /** A number that changes whenever a frame moves on this link (for waiting until it is quiet). */
  long motion() {
    return vm.tap().sent() + vm.tap().received() + port.counters().framesOutSoFar()
        + faults.fromWire().framesIn() + faults.toWire().framesIn();
  }

  long held() {
    return faults.fromWire().held() + faults.toWire().held();
  }

  FrameBooks out() {
    return FrameBooks.around("out", vm.tap().sent(), portStats().framesIn(), faults.fromWire(),
        lostOut > 0 ? Map.of("vm-crash", lostOut) : Map.of());
  }

  FrameBooks in() {
    return FrameBooks.around("in", portStats().framesOut(), vm.tap().received(), faults.toWire(),
        lostIn > 0 ? Map.of("vm-crash", lostIn) : Map.of());
  }
}
