package io.fleetsim.vm;

import io.fleetsim.guest.os.GuestReport;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a VM answers to {@link Vm.GetReport}: its hardware's counters, one entry per NIC, and its
 * guest's report once the guest has booted (empty while the NICs are still being attached).
 * {@code --stats} and results.json write it as JSON (io.fleetsim.report.Json).
 */
public record VmReport(String vm, long cpuCycles, long guestPagesTouched, long guestFaults,
    boolean paused, List<NicReport> nics, Optional<GuestReport> guest) {
  public VmReport {
    Objects.requireNonNull(vm, "vm");
    nics = List.copyOf(nics);
    Objects.requireNonNull(guest, "guest (Optional.empty() before it booted)");
  }
}
