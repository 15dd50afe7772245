package io.fleetsim.fault;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code crash}: the target VMs stop as if powered off; with {@code for} they boot again after. */
public record CrashFault() implements Fault {
  public static final FaultKind KIND = new FaultKind("crash",
      "the VM stops at once, frames in flight are lost as vm-crash; with for it boots "
          + "again after",
      List.of(), Set.of(Target.VM), false,
      p -> Optional.of(new CrashFault()));

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public void apply(FaultSite site) {
    site.crash();
  }

  @Override
  public Optional<VmPower> power() {
    return Optional.of(VmPower.CRASH);
  }
}
