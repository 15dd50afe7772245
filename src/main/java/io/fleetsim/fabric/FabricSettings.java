package io.fleetsim.fabric;

import java.time.Duration;

/**
 * Tunables of hubs and switches, read from {@code fleetsim.fabric} and {@code fleetsim.switch}.
 *
 * @param ingressBatchFrames frames read from one port are handed over in batches up to this size
 * @param portQueueFrames frames queued towards one port before its senders are paused
 * @param macAgeing how long a switch remembers where a MAC address was seen
 * @param splice a hub of exactly two stream netdevs (no captures) forwards socket to socket,
 *     without the fabric (see {@code io.fleetsim.netdev.Splice})
 */
public record FabricSettings(int ingressBatchFrames, int portQueueFrames, Duration macAgeing,
    boolean splice) {
  /** With splicing on, its default. */
  public FabricSettings(int ingressBatchFrames, int portQueueFrames, Duration macAgeing) {
    this(ingressBatchFrames, portQueueFrames, macAgeing, true);
  }

  public FabricSettings {
    if (ingressBatchFrames < 1) {
      throw new IllegalArgumentException("ingress-batch-frames must be at least 1, got " + ingressBatchFrames);
    }
    if (portQueueFrames < 1) {
      throw new IllegalArgumentException("port-queue-frames must be at least 1, got " + portQueueFrames);
    }
    if (macAgeing.isNegative() || macAgeing.isZero()) {
      throw new IllegalArgumentException("mac-ageing must be positive, got " + macAgeing);
    }
  }

  public static FabricSettings defaults() {
    return new FabricSettings(1024, 4096, Duration.ofSeconds(300));
  }
}
