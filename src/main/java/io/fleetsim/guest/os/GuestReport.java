package io.fleetsim.guest.os;

import java.util.List;

/** The guest's side of a VM report: its interfaces in NIC order, its workload runs in declared order. */
public record GuestReport(List<InterfaceReport> interfaces, List<WorkloadReport> workloads) {
  public GuestReport {
    interfaces = List.copyOf(interfaces);
    workloads = List.copyOf(workloads);
  }

  /** Every run of the declared workload {@code index} (one per interface it ran on). */
  public List<WorkloadReport> runsOf(int index) {
    return workloads.stream().filter(w -> w.index() == index).toList();
  }

  /** Whether the guest has interfaces and none of them has an address (no DHCP lease came). */
  public boolean unaddressed() {
    return !interfaces.isEmpty() && interfaces.stream().allMatch(i -> i.address().isEmpty());
  }
}
