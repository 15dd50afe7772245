package io.fleetsim.experiment.run;

import io.fleetsim.fabric.FabricPort;
import io.fleetsim.link.PortStats;
import io.fleetsim.link.Wire;
import io.fleetsim.link.WiredPort;
import io.fleetsim.fault.FaultChain;
import io.fleetsim.fault.FaultyPort;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An in-process link ({@code VM/ethK}): one NIC of a VM to a port of a network (or multicast bus), with a fault chain
 * and the cable ({@link Wire}) in each direction. "Out" is what the VM sends, "in" what it
 * receives. Each direction is counted at both ends by different code (the NIC's tap, the fabric
 * port) with the chain's and the wire's drops and held frames in between: its {@link
 * FrameBooks}, which {@link Results} checks.
 */
final class Link {
  private final String name;
  private final String network;
  private final FleetVm vm;
  private final NicTap tap;
  private final FabricPort port;
  private final FaultyPort faults;
  private final WiredPort wire;
  private final CrashLoss nicEnd;

  /**
   * {@code nicEnd}: the port the VM's NIC links to, around {@code wire} around {@code faults}
   * around {@code port}; {@code tap} counts at that NIC.
   */
  Link(String name, String network, FleetVm vm, NicTap tap, FabricPort port, FaultyPort faults,
      WiredPort wire, CrashLoss nicEnd) {
    this.name = name;
    this.network = network;
    this.vm = vm;
    this.tap = tap;
    this.port = port;
    this.faults = faults;
    this.wire = wire;
    this.nicEnd = nicEnd;
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

  /** A number that changes whenever a frame moves on this link (for waiting until it is quiet). */
  long motion() {
    return tap.sent() + tap.received() + port.counters().framesOutSoFar()
        + faults.fromWire().framesIn() + faults.toWire().framesIn() + nicEnd.lost()
        + wire.fromWire().framesOut() + wire.toWire().framesOut();
  }

  long held() {
    return faults.fromWire().held() + faults.toWire().held() + wire.fromWire().held()
        + wire.toWire().held();
  }

  /** What the VM sent: its NIC's side ends after the frames it sent, so a crash loses none. */
  FrameBooks out() {
    return FrameBooks.around("out", tap.sent(), portStats().framesIn(), faults.fromWire(),
        wire.fromWire().held(), onWire(wire.fromWire(), Map.of()));
  }

  /** What the VM was sent: frames a crash lost at the NIC's end are {@code vm-crash}. */
  FrameBooks in() {
    long lost = nicEnd.lost();
    return FrameBooks.around("in", portStats().framesOut(), tap.received(), faults.toWire(),
        wire.toWire().held(), onWire(wire.toWire(), lost > 0 ? Map.of(CRASH, lost) : Map.of()));
  }

  /**
   * {@code lost} and the frames that were on {@code w} when a link ended, booked as the fault
   * chain books the frames it held then ({@link FaultChain#CAUSE_LINK_CLOSED}). A crash loses
   * none there: the wire delivers them to the NIC's end, which books them {@link #CRASH}.
   */
  private static Map<String, Long> onWire(Wire w, Map<String, Long> lost) {
    long n = w.lost();
    if (n == 0) {
      return lost;
    }
    Map<String, Long> out = new LinkedHashMap<>(lost);
    out.merge(FaultChain.CAUSE_LINK_CLOSED, n, Long::sum);
    return out;
  }

  /** The cause frames lost at a crashed VM's end of the link are booked under. */
  static final String CRASH = "vm-crash";
}
