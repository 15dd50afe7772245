package io.fleetsim.fault;

import io.fleetsim.addr.MacAddress;
import java.util.List;
import java.util.Set;

/**
 * The running experiment as one activation of a fault sees it: the handles on its target. The
 * runner implements it; everything a fault does through it is undone, in order, when the
 * activation ends (the crash's end boots the VM, the pause's end resumes it).
 */
public interface FaultSite {

  /**
   * Puts {@code fault} on the frames of every link of the target in the element's direction
   * (relative to the target; on a network once, as frames enter it), each link seeded apart.
   */
  void onTargetLinks(Fault.LinkFault fault);

  /** Puts {@code fault} on the link of each VM that {@code vms} (a VM or fleet) names. */
  void onLinksOf(String vms, Fault.LinkFault fault, Direction direction);

  /** The target's name ({@code all} for a fault without one). */
  String target();

  /** The VM names that {@code name} (a VM, fleet or network) stands for. */
  List<String> vmsOf(String name);

  /** The MAC addresses of VM {@code vm}'s NICs. */
  Set<MacAddress> macsOf(String vm);

  /** The target VMs' carrier goes off (the guest sees the link go down). */
  void carrierOff();

  /** The target VMs stop as if powered off. */
  void crash();

  /** The target VMs stop and boot again a moment later. */
  void restart();

  /** The target VMs' vCPUs stop. */
  void pause();

  /** The target VMs' paused vCPUs run again. */
  void resume();

  /** The TCP connection of each socket port the target names is closed. */
  void disconnect();
}
