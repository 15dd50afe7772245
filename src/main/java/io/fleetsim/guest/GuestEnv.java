package io.fleetsim.guest;

import io.fleetsim.vm.hw.Cpu;
import java.util.SplittableRandom;

/**
 * What the guest OS gets from the VM it runs in. All calls come on the VM actor's thread, and
 * scheduled tasks run there too, so guest code is single-threaded.
 */
public interface GuestEnv {
  /** Monotonic guest time: the VM's clock, never the host's. */
  long nanoTime();

  /** Runs {@code task} after {@code delayNanos} on the VM's clock; the handle cancels it. */
  Cancellable schedule(long delayNanos, Runnable task);

  Cpu cpu();

  /**
   * The machine's random numbers (DHCP transaction ids and retransmission jitter), seeded by
   * whoever made the VM, so the same seed gives the same guest decisions. Never wall-clock seeded.
   */
  SplittableRandom random();

  /** A line of guest console output (link up, lease, ping replies). */
  void print(String line);

  interface Cancellable {
    void cancel();
  }
}
