package io.fleetsim.fault;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code resume}: the target VMs' paused vCPUs run again. */
public record ResumeFault() implements Fault {
  public static final FaultKind KIND = new FaultKind("resume",
      "a paused vCPU runs again",
      List.of(), Set.of(Target.VM), false,
      p -> Optional.of(new ResumeFault()));

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public void apply(FaultSite site) {
    site.resume();
  }

  @Override
  public boolean instant() {
    return true;
  }

  @Override
  public Optional<VmPower> power() {
    return Optional.of(VmPower.RESUME);
  }
}
