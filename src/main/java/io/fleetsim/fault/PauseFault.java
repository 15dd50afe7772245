package io.fleetsim.fault;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code pause}: the target VMs' vCPUs stop (devices keep their state); with {@code for} they
 * resume after.
 */
public record PauseFault() implements Fault {
  public static final FaultKind KIND = new FaultKind("pause",
      "the vCPU stops: rings fill and the wire backs up, nothing is lost; with for it "
          + "resumes after",
      List.of(), Set.of(Target.VM), false,
      p -> Optional.of(new PauseFault()));

  @Override
  public String kind() {
    return KIND.name();
  }

  @Override
  public void apply(FaultSite site) {
    site.pause();
  }

  @Override
  public Optional<VmPower> power() {
    return Optional.of(VmPower.PAUSE);
  }
}
