package io.fleetsim.fault;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code link-down}: the target VMs' carrier goes off, so the guest sees the link go down, and
 * their links become a {@link DeadWire} both ways; with {@code for} both come back after. On a
 * link between networks, or on a network's socket port (a QEMU netdev of an experiment's network,
 * or of a hub or switch), there is no carrier to switch off: every frame is dropped both ways as
 * link-down while the fault is on.
 */
public record LinkDownFault() implements Fault {
  public static final FaultKind KIND = new FaultKind("link-down",
      "carrier off: the guest sees the link go down, frames on the dead wire are dropped both ways"
          + " as link-down (on a link or socket port, only the frames)",
      List.of(), Set.of(Target.VM, Target.PORT, Target.LINK), false,
      p -> Optional.of(new LinkDownFault()));

  @Override
  public String kind() {
    return KIND.name();
  }

  /** The carrier of the VMs the target names (none for a port or link), then the dead wire. */
  @Override
  public void apply(FaultSite site) {
    site.carrierOff();
    // the target's own links, whatever it is: a VM's, a port's, a link between networks; not
    // directed, so both ways
    site.onTargetLinks(new DeadWire());
  }
}
