package io.fleetsim.fault;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code restart}: the target VMs reboot now (a crash, then a boot a moment later). */
public record RestartFault() implements Fault {
  public static final FaultKind KIND = new FaultKind("restart",
      "crash and boot again now",
      List.of(), Set.of(Target.VM), false,
      p -> Optional.of(new RestartFault()));

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public void apply(FaultSite site) {
    site.restart();
  }

  @Override
  public boolean instant() {
    return true;
  }

  @Override
  public Optional<VmPower> power() {
    return Optional.of(VmPower.RESTART);
  }
}
