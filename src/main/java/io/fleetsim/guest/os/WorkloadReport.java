package io.fleetsim.guest.os;

import io.fleetsim.addr.MacAddress;
import io.fleetsim.guest.workload.WorkloadResult;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of a declared workload: {@code workload} is its canonical spec, {@code index} its place
 * in the declared list, {@code nic} the MAC of the interface it ran on. A run that ended by itself
 * has its {@code result}; one still running (or that failed) has its tally {@code soFar} instead,
 * since a crash may end it before it ends itself; one that ended with an error has only its
 * tally. Exactly one of the two is present.
 */
public record WorkloadReport(String workload, int index, MacAddress nic, boolean done,
    Optional<WorkloadResult> result, Optional<WorkloadResult> soFar) {
  public WorkloadReport {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(nic, "nic");
    if (result.isPresent() == soFar.isPresent()) {
      throw new IllegalArgumentException("a run has either its result or its tally so far: " + workload);
    }
    if (result.isPresent() && !done) {
      throw new IllegalArgumentException("a result before the run is done: " + workload);
    }
  }

  /** The result of a run that ended, else what it achieved so far (nothing, for one that ended with an error). */
  public Optional<WorkloadResult> latest() {
    return done ? result : soFar;
  }
}
