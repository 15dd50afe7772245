package io.fleetsim.fault;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code link-down}: the target VMs' carrier goes off, so the guest sees the link go down, and
 * their links become a {@link DeadWire} both ways; with {@code for} both come back after. On a
 * link between networks there is no carrier: its frames are dropped both ways.
 */
public record LinkDownFault() implements Fault {
  public static final FaultKind KIND = new FaultKind("link-down",
      "carrier off: the guest sees the link go down, frames on the dead wire are dropped both ways"
          + " as link-down",
      List.of(), Set.of(Target.VM, Target.LINK), false, p -> Optional.of(new LinkDownFault()));

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public void apply(FaultSite site) {
    site.carrierOff();
    site.onLinksOf(site.target(), new DeadWire(), Direction.BOTH);
  }
}
