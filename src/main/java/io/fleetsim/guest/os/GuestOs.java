package io.fleetsim.guest.os;

import io.fleetsim.guest.GuestEnv;
import io.fleetsim.guest.Link;
import java.util.List;

/** What runs inside a VM once its NICs are up. Every call comes on the VM's thread. */
public interface GuestOs {
  /**
   * Starts the guest on its links (in NIC order). {@code finished} is called once, on the VM
   * thread, when every finite workload has ended: true if all succeeded.
   */
  void boot(GuestEnv env, List<Link> links, java.util.function.Consumer<Boolean> finished);

  /**
   * Lets workloads that wait for the experiment's start begin (once the guest has its addresses).
   * A guest that does not hold its workloads starts them at boot and ignores this.
   */
  default void release() {}

  /** Stops every workload (ping prints its statistics); the VM is about to stop. */
  void shutdown();

  /** Counters and workload results for --stats and reports. */
  GuestReport report();
}
