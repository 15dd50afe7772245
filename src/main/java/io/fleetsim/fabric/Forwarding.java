package io.fleetsim.fabric;

import org.apache.pekko.util.ByteString;

/**
 * Decides which ports a frame leaves by: the one thing a hub and a switch do differently.
 * Called only from the fabric actor, so implementations may keep unsynchronized state.
 */
interface Forwarding {
  /** Writes the destination port indices into {@code out} and returns how many; 0 drops the frame. */
  int route(int inPort, ByteString frame, long nowNanos, int portCount, int[] out);

  /** A provisioned address ({@code bridge fdb add ... static}): never aged or forgotten. */
  default void addStatic(long mac, int port) {}

  /** The port lost its peer: forget what was learned on it. */
  void portDown(int port);

  /** Periodic housekeeping (ageing). */
  void expire(long nowNanos);

  /** Frames that cannot be forwarded at all (too short to carry addresses) are counted here. */
  boolean isRunt(ByteString frame);
}
