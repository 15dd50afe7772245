package io.fleetsim.vm;

import java.util.List;

/** What a VM tells whoever started it. */
public sealed interface VmEvent {
  String vm();

  /** Every NIC is attached and the guest has booted; one line per netdev, as the user sees it. */
  record Ready(String vm, List<String> netdevs) implements VmEvent {}

  /** A netdev or the guest's driver could not start; the VM has stopped. */
  record StartFailed(String vm, String reason) implements VmEvent {}

  /** Every finite workload has ended; {@code success} if all succeeded. */
  record Finished(String vm, boolean success) implements VmEvent {}
}
